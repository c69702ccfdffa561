/**
 * The head seq of recently written workflows, as committed by this connection. It is trusted only
 * while `PRAGMA data_version` (read inside the write transaction) is unchanged: that number moves
 * exactly when another connection commits to the file, so an unchanged number means no head
 * moved behind our back and the head query can be skipped for cached workflows.
 */
export class HeadCache {
  readonly #heads = new Map<string, number>();
  readonly #limit: number;
  #dataVersion: number | undefined;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Forgets every head when another connection committed since the last check. */
  validate(dataVersion: number): void {
    if (dataVersion !== this.#dataVersion) this.#heads.clear();
    this.#dataVersion = dataVersion;
  }

  get(workflowId: string): number | undefined {
    return this.#heads.get(workflowId);
  }

  /** Records committed heads; the least recently written workflows are forgotten past the limit. */
  remember(heads: ReadonlyMap<string, number>): void {
    for (const [workflowId, head] of heads) {
      this.#heads.delete(workflowId);
      this.#heads.set(workflowId, head);
    }
    for (const workflowId of this.#heads.keys()) {
      if (this.#heads.size <= this.#limit) break;
      this.#heads.delete(workflowId);
    }
  }

  clear(): void {
    this.#heads.clear();
    this.#dataVersion = undefined;
  }
}
