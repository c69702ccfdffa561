/**
 * OTP's restart intensity (`supervisor:add_restart/3`): every restart is stamped; stamps older
 * than `now - period` are dropped (a stamp exactly `period` old still counts); when more than
 * `intensity` stamps remain the supervisor must give up. Deliberate difference: OTP stamps in
 * whole seconds and `period` is in seconds; here both are milliseconds on the runtime's clock.
 */
export class RestartIntensity {
  /** Restart times, oldest first, from `head` on (dropping stale stamps is O(1), not a shift). */
  private stamps: number[] = [];
  private head = 0;

  constructor(
    readonly intensity: number,
    readonly period: number,
  ) {}

  /** Records a restart at `now`; false when that makes more than `intensity` restarts within `period`. */
  add(now: number): boolean {
    const threshold = now - this.period;
    const stamps = this.stamps;
    while (this.head < stamps.length && stamps[this.head]! < threshold) this.head++;
    if (this.head > 1024 && this.head * 2 > stamps.length) {
      this.stamps = stamps.slice(this.head);
      this.head = 0;
    }
    this.stamps.push(now);
    return this.count <= this.intensity;
  }

  /** Restarts currently inside the window (as of the last {@link add}). */
  get count(): number {
    return this.stamps.length - this.head;
  }
}
