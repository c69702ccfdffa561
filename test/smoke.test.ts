import test from 'ava';
test('toolchain runs typescript tests', (t) => { t.is(1 + 1, 2); });
