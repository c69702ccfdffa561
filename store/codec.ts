import { Packr } from 'msgpackr';

/**
 * Encodes stored values with msgpackr's structured-clone extensions, so Date, Map, Set, BigInt
 * (any size), typed arrays, Buffers, shared and cyclic references and Errors survive. Errors keep
 * their class (for the built-in ones), name, message and cause chain; their stack and extra
 * fields are not kept, which is why recorded failures are serialised as plain data by the engine.
 */
export class PayloadCodec {
  // Records (useRecords, the default) inline their key lists in every message here, because no
  // shared structures are configured: each blob decodes on its own, in any process.
  readonly #packr = new Packr({ structuredClone: true, useBigIntExtension: true, useToJSON: false });

  encode(value: unknown): Buffer {
    return this.#packr.pack(value);
  }

  decode<T>(bytes: Uint8Array): T {
    return this.#packr.unpack(bytes) as T;
  }
}
