import test from 'ava';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const LAYERS = ['runtime', 'supervision', 'store', 'engine'] as const;
const CONSUMERS = ['examples', 'bin', 'benchmarks', 'test'];
/** Which top-level folders each layer may import (through their index.ts only). */
const ALLOWED: Record<string, readonly string[]> = {
  runtime: [],
  store: [],
  supervision: ['runtime'],
  engine: ['supervision', 'runtime', 'store'],
};

interface Import {
  readonly from: string;
  readonly target: string;
  readonly typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  let out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(sourceFiles(path));
    else if (/\.(ts|mts)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** Static and re-export imports with relative specifiers; `import type`/`export type` are type-only. */
function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const out: Import[] = [];
  const re = /^\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"](\.[^'"]+)['"]/gm;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    out.push({ from: file, target: resolve(dirname(file), m[4]!), typeOnly: m[2] !== undefined });
  }
  const bare = /^\s*import\s*['"](\.[^'"]+)['"]/gm;
  for (let m = bare.exec(text); m !== null; m = bare.exec(text)) {
    out.push({ from: file, target: resolve(dirname(file), m[1]!), typeOnly: false });
  }
  return out;
}

function topFolder(path: string): string {
  return relative(root, path).split(sep)[0]!;
}

const files = [...LAYERS, ...CONSUMERS].flatMap((f) => sourceFiles(join(root, f)));
const imports = files.flatMap(importsOf);

test('every layer folder has an index.ts as its public surface', (t) => {
  for (const layer of LAYERS) {
    const hasFiles = sourceFiles(join(root, layer)).length > 0;
    if (hasFiles) t.true(sourceFiles(join(root, layer)).includes(join(root, layer, 'index.ts')), `${layer}/index.ts is missing`);
  }
  t.pass();
});

test('other folders reach a layer only through its index.ts (no deep imports)', (t) => {
  const deep = imports.filter((i) => {
    const to = topFolder(i.target);
    return (LAYERS as readonly string[]).includes(to) && to !== topFolder(i.from) && i.target !== join(root, to, 'index.ts');
  });
  t.deepEqual(deep.map((i) => `${relative(root, i.from)} -> ${relative(root, i.target)}`), []);
});

test('layers import only in the allowed direction (engine -> supervision -> runtime, engine -> store)', (t) => {
  const wrong = imports.filter((i) => {
    const from = topFolder(i.from);
    const to = topFolder(i.target);
    if (!(from in ALLOWED) || from === to) return false;
    return !ALLOWED[from]!.includes(to);
  });
  t.deepEqual(wrong.map((i) => `${relative(root, i.from)} -> ${relative(root, i.target)}`), []);
});

test('there are no value-import cycles between modules', (t) => {
  const graph = new Map<string, string[]>();
  for (const i of imports) {
    if (i.typeOnly) continue;
    const list = graph.get(i.from) ?? [];
    list.push(i.target);
    graph.set(i.from, list);
  }
  const cycles: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const s = state.get(next);
      if (s === 'visiting') cycles.push(stack.slice(stack.indexOf(next)).concat(next).map((f) => relative(root, f)).join(' -> '));
      else if (s === undefined) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  t.deepEqual(cycles, []);
});

test('the checker sees the imports it is meant to check', (t) => {
  t.true(imports.some((i) => topFolder(i.from) === 'runtime' && topFolder(i.target) === 'runtime'));
  t.true(imports.some((i) => i.typeOnly));
});
