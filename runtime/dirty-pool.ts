import { Piscina } from 'piscina';
import { execArgvOption, workerFile } from './cluster.ts';
import type { ResolvedModuleRef } from './module-ref.ts';

/**
 * Threads for dirty work: CPU-heavy functions run here, outside every scheduler, so no
 * scheduler blocks (the BEAM's dirty schedulers). Created on first use, one per runtime.
 */
export class DirtyPool {
  private pool: Piscina | null = null;

  run(ref: ResolvedModuleRef, args: unknown[]): Promise<unknown> {
    if (this.pool === null) {
      const { filename, workerData } = workerFile('dirty-worker');
      this.pool = new Piscina({ filename, workerData, idleTimeout: 1000, ...execArgvOption() });
      this.pool.on('error', () => {});
    }
    return this.pool.run({ module: ref.module, export: ref.export, args });
  }

  async destroy(): Promise<void> {
    await this.pool?.destroy();
    this.pool = null;
  }
}
