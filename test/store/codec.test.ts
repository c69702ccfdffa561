import test from 'ava';
import { PayloadCodec } from '../../store/index.ts';

const roundTrip = <T>(value: T): T => {
  // A separate decoder, as after a restart: nothing may depend on state kept by the encoder.
  return new PayloadCodec().decode<T>(new PayloadCodec().encode(value));
};

test('dates, maps with non-string keys and sets round-trip with their types', (t) => {
  const value = { when: new Date(1_700_000_000_123), map: new Map<unknown, unknown>([[1, 'a'], [true, new Map([['x', 1]])]]), set: new Set([1, 'two', 3n]) };
  const back = roundTrip(value);
  t.true(back.when instanceof Date);
  t.true(back.map instanceof Map);
  t.true(back.set instanceof Set);
  t.deepEqual(back, value);
});

test('bigints of any size and sign round-trip as bigints', (t) => {
  for (const n of [0n, 7n, -7n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 64n, -(2n ** 200n) + 12345n]) {
    t.is(roundTrip({ n }).n, n);
  }
});

test('typed arrays and buffers round-trip with their element types', (t) => {
  const value = {
    u8: new Uint8Array([0, 255]),
    i32: new Int32Array([-1, 2 ** 31 - 1]),
    f64: new Float64Array([Math.PI, -0.5]),
    u16: new Uint16Array([65535]),
    buf: Buffer.from('hello'),
  };
  const back = roundTrip(value);
  t.is(back.i32.constructor, Int32Array);
  t.is(back.f64.constructor, Float64Array);
  t.is(back.u16.constructor, Uint16Array);
  t.deepEqual([...back.i32], [...value.i32]);
  t.deepEqual([...back.f64], [...value.f64]);
  t.true(Buffer.from(back.buf).equals(value.buf));
  t.deepEqual([...back.u8], [0, 255]);
});

test('nested errors keep their class, name, message and cause chain', (t) => {
  class PaymentDeclined extends Error {
    override name = 'PaymentDeclined';
  }
  const value = { failure: new TypeError('outer', { cause: new RangeError('middle', { cause: new PaymentDeclined('root') }) }) };
  const back = roundTrip(value).failure;
  t.true(back instanceof TypeError);
  t.is(back.message, 'outer');
  const middle = back.cause as Error;
  t.true(middle instanceof RangeError);
  t.is(middle.message, 'middle');
  const root = middle.cause as Error;
  t.true(root instanceof Error);
  t.is(root.name, 'PaymentDeclined');
  t.is(root.message, 'root');
});

test('shared and cyclic references keep their shape', (t) => {
  const shared = { id: 1 };
  const cyclic: { self?: unknown; shared: typeof shared; again: typeof shared } = { shared, again: shared };
  cyclic.self = cyclic;
  const back = roundTrip(cyclic);
  t.is(back.self, back);
  t.is(back.shared, back.again);
});

test('undefined values survive and floats stay exact', (t) => {
  const value = { a: undefined, list: [1, undefined, 3], f: 0.1 + 0.2, big: 2 ** 53 - 1, neg: -0.000001 };
  t.deepEqual(roundTrip(value), value);
});
