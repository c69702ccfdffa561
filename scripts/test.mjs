// Runs ava with TAP output, echoes it, and ends with one line `N passed, N failed`.
// Exit status is ava's (non-zero when anything failed or ava itself broke).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const args = ['ava', '--tap', ...process.argv.slice(2)];
const child = spawn('npx', args, { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
let passed = 0;
let failed = 0;
let sawSummary = false;
const lines = createInterface({ input: child.stdout });
lines.on('line', (line) => {
  process.stdout.write(line + '\n');
  const m = /^# (pass|fail)\s+(\d+)/.exec(line);
  if (m) {
    sawSummary = true;
    if (m[1] === 'pass') passed = Number(m[2]);
    else failed = Number(m[2]);
  }
});
child.on('close', (code) => {
  const status = code ?? 1;
  // A crash before ava's summary (or a non-zero exit with no failing test, e.g. an
  // unhandled rejection) must never read as green.
  if (status !== 0 && failed === 0) failed = 1;
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  process.exit(status !== 0 ? status : failed > 0 ? 1 : 0);
});
