import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { Packr } from 'msgpackr';
import { Pid, Ref } from './pid.ts';
import { makePackr } from './codec.ts';
import { KairosError } from './errors.ts';
import type { ExitReason } from './exit-reason.ts';
import type { ResolvedModuleRef } from './module-ref.ts';

/** Record codes in a batch; each record is the code followed by a fixed number of fields. */
export const R_MSG = 0; //        toSerial, msg
export const R_ALIAS = 1; //      refSerial, msg
export const R_EXIT = 2; //       toSerial, from, reason, link
export const R_LINK = 3; //       toSerial, from
export const R_UNLINK = 4; //     toSerial, from
export const R_MONITOR = 5; //    toSerial, from, ref
export const R_DEMONITOR = 6; //  toSerial, ref
export const R_DOWN = 7; //       toSerial, ref, from, reason
export const R_SPAWN = 8; //      serial, moduleRef, args, linkTo, monitor [watcher, ref] | null
export const R_EVENT = 9; //      kind, pid, reason, extra
export const R_DOWN_SCHED = 10; // index, reason
export const R_STOP = 11; //      unused, unused
export const R_DIRTY = 12; //     id, [moduleRef, args]
export const R_DIRTY_REPLY = 13; // id, [ok, value]
export const R_READY = 14; //     index, unused

const ARITY = [2, 2, 4, 2, 2, 3, 2, 4, 5, 4, 2, 2, 2, 2, 2];

/** The reply to a synchronous request: its value, or the error the answering scheduler threw. */
interface Answer {
  readonly value?: unknown;
  readonly error?: { readonly code: string; readonly message: string };
}

/** What a scheduler does with records that arrive from other schedulers. */
export interface RemoteHandler {
  inMessage(serial: number, msg: unknown): void;
  inAlias(refSerial: number, msg: unknown): void;
  inExit(serial: number, from: Pid, reason: ExitReason, link: boolean): void;
  inLink(serial: number, from: Pid): void;
  inUnlink(serial: number, from: Pid): void;
  inMonitor(serial: number, from: Pid, ref: Ref): void;
  inDemonitor(serial: number, ref: Ref): void;
  inDown(serial: number, ref: Ref, from: Pid | string, reason: ExitReason): void;
  inSpawn(serial: number, ref: ResolvedModuleRef, args: unknown[], linkTo: Pid | null, monitor: [Pid, Ref] | null): void;
  inControl(code: number, a: unknown, b: unknown, c: unknown, d: unknown, source: number): void;
  /** Serves a synchronous request from another scheduler (introspection, registration). */
  serve(request: unknown): unknown;
}

/** The ports one scheduler holds: per peer, a batch channel and the two ends of a request channel. */
export interface RouterPorts {
  readonly batch: (MessagePort | null)[];
  /** Requests this scheduler sends to peer k, and their replies. */
  readonly callOut: (MessagePort | null)[];
  /** Requests peer k sends to this scheduler. */
  readonly callIn: (MessagePort | null)[];
  /** One Int32 doorbell per scheduler, rung when a request or reply is posted to it. */
  readonly doorbells: SharedArrayBuffer;
  /** BigInt64 per (allocator, target): the highest spawn sequence the allocator has handed out there. */
  readonly allocated: SharedArrayBuffer;
}

/**
 * Moves signals between schedulers: records are appended to a per-destination outbox and sent
 * as one msgpackr-encoded batch per destination per tick (never one postMessage per message),
 * so the order between any two processes is the order of the one channel between their
 * schedulers. Signals for a process whose spawn record has not arrived yet are held back
 * until it does (spawns and signals can travel on different channels).
 */
export class Router {
  private readonly outboxes: unknown[][];
  private readonly packr: Packr = makePackr();
  private readonly unpackr: Packr = makePackr();
  private flushScheduled = false;
  /** Per allocator scheduler: the highest spawn sequence number created here. */
  private readonly createdSeq: number[];
  private readonly pending = new Map<number, unknown[][]>();
  private readonly doorbells: Int32Array;
  private readonly allocated: BigInt64Array;
  private handler: RemoteHandler | null = null;
  private closed = false;
  readonly down: boolean[];
  /** Which schedulers have booted (their thread runs and can answer requests). */
  readonly ready: boolean[];

  constructor(
    readonly index: number,
    readonly count: number,
    private readonly ports: RouterPorts,
  ) {
    this.outboxes = Array.from({ length: count }, () => []);
    this.createdSeq = new Array<number>(count).fill(0);
    this.down = new Array<boolean>(count).fill(false);
    this.ready = new Array<boolean>(count).fill(false);
    // Scheduler 0 is the thread that started the others: it is up before any of them.
    this.ready[index] = true;
    this.ready[0] = true;
    this.doorbells = new Int32Array(ports.doorbells);
    this.allocated = new BigInt64Array(ports.allocated);
  }

  attach(handler: RemoteHandler): void {
    this.handler = handler;
    this.ports.batch.forEach((port, k) => port?.on('message', (buf: Uint8Array) => this.receive(buf, k)));
    this.ports.callIn.forEach((port, k) => port?.on('message', (req: unknown) => this.answer(port, k, req)));
  }

  post(dest: number, code: number, a: unknown, b: unknown, c?: unknown, d?: unknown, e?: unknown): void {
    if (this.down[dest]) return;
    const box = this.outboxes[dest]!;
    const n = ARITY[code]!;
    box.push(code, a, b);
    if (n > 2) box.push(c);
    if (n > 3) box.push(d);
    if (n > 4) box.push(e);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(this.flush);
    }
  }

  readonly flush = (): void => {
    this.flushScheduled = false;
    for (let k = 0; k < this.count; k++) {
      const box = this.outboxes[k]!;
      if (box.length === 0) continue;
      this.outboxes[k] = [];
      const port = this.ports.batch[k];
      if (port === null || port === undefined || this.down[k]) continue;
      // pack() reuses its buffer: copy into an exact-size buffer we can transfer.
      const bytes = this.encode(box);
      port.postMessage(bytes, [bytes.buffer as ArrayBuffer]);
    }
  };

  /** Marks a scheduler down: nothing more is sent to it, and what was held for its spawns is released. */
  markDown(k: number): void {
    this.down[k] = true;
    this.outboxes[k] = [];
    for (const [serial, held] of [...this.pending]) {
      if (serial % this.count !== k) continue;
      this.pending.delete(serial);
      // Their spawn will never arrive: the records now meet no process and are answered as for a dead one.
      for (const r of held) this.dispatch(r[0] as number, r[1], r[2], r[3], r[4], r[5], k);
    }
  }

  /** Publishes that this scheduler handed out spawn sequence `seq` on `target` (before the pid can escape). */
  noteAllocated(target: number, seq: number): void {
    Atomics.store(this.allocated, this.index * this.count + target, BigInt(seq));
  }

  private receive(buf: Uint8Array, source: number): void {
    const recs = this.unpackr.unpack(buf) as unknown[];
    for (let i = 0; i < recs.length; ) {
      const code = recs[i] as number;
      const n = ARITY[code]!;
      this.dispatch(code, recs[i + 1], recs[i + 2], recs[i + 3], recs[i + 4], recs[i + 5], source);
      i += n + 1;
    }
  }

  private dispatch(code: number, a: unknown, b: unknown, c: unknown, d: unknown, e: unknown, source: number): void {
    const h = this.handler!;
    if (code <= R_DOWN && this.holdBack(code, a as number, b, c, d, e)) return;
    switch (code) {
      case R_MSG:
        return h.inMessage(a as number, b);
      case R_ALIAS:
        return h.inAlias(a as number, b);
      case R_EXIT:
        return h.inExit(a as number, b as Pid, c as ExitReason, d as boolean);
      case R_LINK:
        return h.inLink(a as number, b as Pid);
      case R_UNLINK:
        return h.inUnlink(a as number, b as Pid);
      case R_MONITOR:
        return h.inMonitor(a as number, b as Pid, c as Ref);
      case R_DEMONITOR:
        return h.inDemonitor(a as number, b as Ref);
      case R_DOWN:
        return h.inDown(a as number, b as Ref, c as Pid | string, d as ExitReason);
      case R_SPAWN:
        return this.spawned(a as number, b as ResolvedModuleRef, c as unknown[], d as Pid | null, e as [Pid, Ref] | null);
      case R_READY:
        this.ready[source] = true;
        return h.inControl(code, a, b, c, d, source);
      default:
        return h.inControl(code, a, b, c, d, source);
    }
  }

  /** True when the record targets a serial whose spawn has not arrived yet (it is kept for later). */
  private holdBack(code: number, serial: number, b: unknown, c: unknown, d: unknown, e: unknown): boolean {
    if (code === R_ALIAS) return false;
    const allocator = serial % this.count;
    const seq = Math.floor(serial / this.count);
    if (allocator === this.index || seq <= this.createdSeq[allocator]!) return false;
    // A serial its allocator never handed out names no process (a made-up pid): no spawn will come.
    if (BigInt(seq) > Atomics.load(this.allocated, allocator * this.count + this.index)) return false;
    const list = this.pending.get(serial);
    const rec = [code, serial, b, c, d, e];
    if (list === undefined) this.pending.set(serial, [rec]);
    else list.push(rec);
    return true;
  }

  private spawned(serial: number, ref: ResolvedModuleRef, args: unknown[], linkTo: Pid | null, monitor: [Pid, Ref] | null): void {
    const allocator = serial % this.count;
    this.createdSeq[allocator] = Math.max(this.createdSeq[allocator]!, Math.floor(serial / this.count));
    this.handler!.inSpawn(serial, ref, args, linkTo, monitor);
    const held = this.pending.get(serial);
    if (held === undefined) return;
    this.pending.delete(serial);
    for (const r of held) this.dispatch(r[0] as number, r[1], r[2], r[3], r[4], r[5], allocator);
  }

  // ---- synchronous requests (introspection and registration across threads) ------------------

  /**
   * Asks scheduler `k` and blocks until it answers, serving requests addressed to this
   * scheduler meanwhile so two schedulers asking each other cannot deadlock.
   */
  call(k: number, request: unknown): unknown {
    const out = this.ports.callOut[k];
    if (out === null || out === undefined || this.down[k] || this.closed) return undefined;
    this.assertReady(k);
    // Signals this thread sent earlier go first: the answer must see them (the responder
    // drains this batch channel before it answers).
    this.flush();
    out.postMessage(this.encode(request));
    this.ring(k);
    for (;;) {
      const reply = receiveMessageOnPort(out);
      if (reply !== undefined) return this.unwrap(this.unpackr.unpack(reply.message as Uint8Array) as Answer);
      if (this.down[k]) return undefined;
      this.serveWaiting();
      Atomics.wait(this.doorbells, this.index, Atomics.load(this.doorbells, this.index), 2);
    }
  }

  /** Throws `scheduler_starting` when scheduler `k` has not booted yet. */
  assertReady(k: number): void {
    if (this.ready[k] || this.down[k]) return;
    // A scheduler thread receives its ports only through the main thread's event loop, so
    // blocking here before it has booted could wait forever.
    throw new KairosError('scheduler_starting', `scheduler ${k} is still starting: await runtime.ready() before asking about its processes`, { scheduler: k });
  }

  private serveWaiting(): void {
    this.ports.callIn.forEach((port, k) => {
      if (port === null) return;
      for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) this.answer(port, k, m.message);
    });
  }

  /** Serves one request; a thrown error travels back as `{ error: { code, message } }`. */
  private answer(port: MessagePort, k: number, request: unknown): void {
    const batch = this.ports.batch[k];
    if (batch !== null && batch !== undefined) {
      for (let m = receiveMessageOnPort(batch); m !== undefined; m = receiveMessageOnPort(batch)) this.receive(m.message as Uint8Array, k);
    }
    let answer: Answer;
    try {
      answer = { value: this.handler!.serve(this.unpackr.unpack(request as Uint8Array)) };
    } catch (err) {
      const e = err as { code?: unknown; message?: unknown };
      answer = { error: { code: typeof e.code === 'string' ? e.code : 'internal', message: String(e.message ?? err) } };
    }
    const bytes = this.encode(answer);
    port.postMessage(bytes, [bytes.buffer as ArrayBuffer]);
    this.ring(k);
  }

  /** A request's answer, or the typed error the answering scheduler threw. */
  private unwrap(answer: Answer): unknown {
    if (answer.error !== undefined) throw new KairosError(answer.error.code, answer.error.message);
    return answer.value;
  }

  private encode(value: unknown): Uint8Array {
    return Uint8Array.prototype.slice.call(this.packr.pack(value));
  }

  private ring(k: number): void {
    Atomics.add(this.doorbells, k, 1);
    Atomics.notify(this.doorbells, k);
  }

  close(): void {
    this.flush();
    this.closed = true;
    for (const list of [this.ports.batch, this.ports.callIn, this.ports.callOut]) for (const p of list) p?.close();
  }
}
