import fs from 'node:fs';
import path from 'node:path';

/**
 * The machine's raw durable-write floor: a loop of a 256-byte write followed by fdatasync on one
 * file in `dir`, in writes per second. Group commit is measured against this number.
 */
export function fsyncFloor(dir: string, iterations: number): number {
  const file = path.join(dir, 'fsync-floor.bin');
  const fd = fs.openSync(file, 'w');
  const block = Buffer.alloc(256, 7);
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) {
    fs.writeSync(fd, block, 0, block.length, (i % 64) * 256);
    fs.fdatasyncSync(fd);
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  fs.closeSync(fd);
  fs.rmSync(file);
  return iterations / seconds;
}
