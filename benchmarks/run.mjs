// Runs the runtime benchmarks side by side with their Erlang twins and prints a table.
//
//   npm run bench                      build, then every scenario
//   npm run bench -- ring timers       build, then only scenarios whose name contains a filter
//   node benchmarks/run.mjs ring       the same without building (uses dist/ as it is)
//
// Options: --no-beam (Kairos only), --forms=gen,async, --repeat=N (median of N runs per
// figure), --timeout=SECONDS (per run, default 600), --out=FILE (raw JSON lines, default
// dist/bench-results.jsonl), --json (echo raw JSON lines while running),
// --node-flags="--max-semi-space-size=64 ..." (extra V8 flags for the Kairos runs),
// --pin=CPU (run every command, Kairos and BEAM, under `taskset -c CPU`: on a machine whose
// CPUs run at different speeds, unpinned runs land on either and the ratios swing; pinned,
// V8's parallel GC threads share that one CPU too, so it suits A/B runs of two builds better
// than the side-by-side table, whose comparison is one scheduler thread each).
//
// Each Kairos scenario runs as compiled JavaScript (`node --expose-gc dist/...bench.js`),
// once per process form; when `erl` is on PATH its twin from benchmarks/beam/ runs right
// after it with `erl +S 1`. With --repeat, the columns take turns run after run.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist', 'benchmarks', 'runtime');
const BEAM_SRC = join(ROOT, 'benchmarks', 'beam');

/** Scenario file (benchmarks/runtime/<file>.bench.ts), Erlang twin module, parameter sets. */
const SCENARIOS = [
  { file: 'spawn', erl: 'spawn', runs: [{ n: 100_000, batch: 10_000 }, { n: 1_000_000, batch: 10_000 }], erlFlags: ['+P', '2000000'] },
  { file: 'ring', erl: 'ring', runs: [{ m: 1000, hops: 1_000_000 }, { m: 100_000, hops: 1_000_000 }] },
  { file: 'ping-pong', erl: 'ping_pong', runs: [{ n: 1_000_000 }] },
  { file: 'fan-in', erl: 'fan_in', runs: [{ senders: 1000, messages: 1000 }] },
  { file: 'chain', erl: 'chain', runs: [{ n: 100_000 }] },
  { file: 'star', erl: 'star', runs: [{ n: 100_000 }] },
  { file: 'trap-exit', erl: 'trap_exit', runs: [{ n: 100_000 }] },
  { file: 'monitor', erl: 'monitor', runs: [{ n: 100_000 }] },
  { file: 'selective-receive', erl: 'selective_receive', runs: [{ queue: 10_000, rounds: 1000 }] },
  { file: 'timers', erl: 'timers', runs: [{ n: 100_000, timeout: 100 }] },
  { file: 'registry', erl: 'registry', runs: [{ n: 100_000, rounds: 3 }] },
];

/**
 * The issue's targets, as "Kairos advantage" (how many times better than the BEAM, whatever
 * the unit's direction) and absolute bounds; checked against the faster Kairos form.
 */
const TARGETS = {
  'spawn.all': { advantage: 3 },
  'spawn.memory': { advantage: 4, max: 600 },
  'ring.throughput': { advantage: 1.5 },
  'ping_pong.throughput': { advantage: 1.5 },
  'fan_in.throughput': { advantage: 1.5 },
  'chain.kill': { advantage: 2 },
  'star.kill': { advantage: 2 },
  'trap_exit.throughput': { advantage: 1.5 },
  'monitor.down_live': { advantage: 1.5 },
  'monitor.down_noproc': { advantage: 1.5 },
  'selective_receive.per_skipped': { advantage: 1 },
  'timers.late_p50': { max: 3 },
  'timers.late_p99': { max: 10 },
};

/** The async form should stay within this factor of the generator form. */
const ASYNC_FACTOR = 3;

function parseOptions(argv) {
  const opts = { filters: [], beam: true, forms: ['gen', 'async'], repeat: 1, timeout: 600, out: join(ROOT, 'dist', 'bench-results.jsonl'), json: false, nodeFlags: [], pin: null };
  for (const arg of argv) {
    const [key, value] = arg.startsWith('--') ? arg.slice(2).split(/=(.*)/s) : [null, arg];
    if (key === null) opts.filters.push(value);
    else if (key === 'no-beam') opts.beam = false;
    else if (key === 'forms') opts.forms = value.split(',');
    else if (key === 'repeat') opts.repeat = positiveInt(key, value);
    else if (key === 'pin') opts.pin = nonNegativeInt(key, value);
    else if (key === 'timeout') opts.timeout = positiveInt(key, value);
    else if (key === 'out') opts.out = value;
    else if (key === 'json') opts.json = true;
    else if (key === 'node-flags') opts.nodeFlags = value.split(/\s+/).filter(Boolean);
    else throw new Error(`unknown option --${key} (see the top of benchmarks/run.mjs)`);
  }
  for (const form of opts.forms) if (form !== 'gen' && form !== 'async') throw new Error(`--forms takes gen and/or async, got ${form}`);
  return opts;
}

function nonNegativeInt(key, value) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${key} must be a non-negative integer, got ${value}`);
  return n;
}

function positiveInt(key, value) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${key} must be a positive integer, got ${value}`);
  return n;
}

function selectScenarios(filters) {
  if (filters.length === 0) return SCENARIOS;
  const chosen = SCENARIOS.filter((s) => filters.some((f) => s.file.includes(f) || s.erl.includes(f)));
  if (chosen.length === 0) throw new Error(`no scenario matches ${filters.join(', ')}; scenarios: ${SCENARIOS.map((s) => s.file).join(', ')}`);
  return chosen;
}

// ---- running one command ------------------------------------------------------------------

/** Runs a command; resolves with its JSON lines, or with an error message. */
function runCommand(cmd, args, timeoutSec) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutSec * 1000);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ lines: [], error: err.message });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const { lines, junk } = parseLines(stdout);
      let error = null;
      if (timedOut) error = `timed out after ${timeoutSec} s`;
      else if (code !== 0) error = `exit ${code ?? signal}: ${lastLines(stderr || junk.join('\n'))}`;
      else if (junk.length > 0) error = `non-JSON output on stdout: ${junk[0].slice(0, 120)}`;
      resolve({ lines, error });
    });
  });
}

function parseLines(stdout) {
  const lines = [];
  const junk = [];
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    try {
      lines.push(JSON.parse(line));
    } catch {
      junk.push(line);
    }
  }
  return { lines, junk };
}

function lastLines(text) {
  return text.trim().split('\n').slice(-3).join(' | ').slice(0, 300);
}

function nodeArgs(scenario, params, form, extraFlags) {
  const file = join(DIST, `${scenario.file}.bench.js`);
  const flags = ['--expose-gc', ...(scenario.nodeFlags ?? []), ...extraFlags];
  return [...flags, file, ...Object.entries(params).map(([k, v]) => `--${k}=${v}`), `--form=${form}`];
}

function erlArgs(scenario, params, ebin) {
  const flags = ['+S', '1', ...(scenario.erlFlags ?? [])];
  return [...flags, '-noshell', '-pa', ebin, '-run', scenario.erl, 'main', ...Object.entries(params).map(([k, v]) => `${k}=${v}`)];
}

function compileTwins() {
  const probe = spawnSync('erl', ['-noshell', '-eval', 'io:format("~s", [erlang:system_info(otp_release)]), halt().'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) return null;
  const ebin = mkdtempSync(join(tmpdir(), 'kairos-beam-'));
  const sources = readdirSync(BEAM_SRC).filter((f) => f.endsWith('.erl')).map((f) => join(BEAM_SRC, f));
  const erlc = spawnSync('erlc', ['-o', ebin, ...sources], { encoding: 'utf8' });
  // A twin that does not compile fails its own rows; the others still run.
  if (erlc.error !== undefined || erlc.status !== 0) process.stderr.write(`erlc reported errors:\n${erlc.stderr || erlc.error?.message}\n`);
  return { ebin, otp: probe.stdout.trim() };
}

// ---- collecting -----------------------------------------------------------------------------

/** One run of one column's command; adds its figures to `byName` and returns its error, if any. */
async function runOnce(label, cmd, args, opts, raw, byName) {
  const started = Date.now();
  const pinned = opts.pin === null ? [cmd, args] : ['taskset', ['-c', String(opts.pin), cmd, ...args]];
  const result = await runCommand(pinned[0], pinned[1], opts.timeout);
  const took = ((Date.now() - started) / 1000).toFixed(1);
  process.stderr.write(`  ${label.padEnd(14)} ${result.error === null ? 'ok' : 'FAILED'} in ${took} s${result.error === null ? '' : `: ${result.error}`}\n`);
  for (const line of result.lines) {
    raw.push(line);
    if (opts.json) process.stdout.write(JSON.stringify(line) + '\n');
    if (!byName.has(line.name)) byName.set(line.name, []);
    byName.get(line.name).push(line);
  }
  return result.error;
}

function median(lines) {
  const sorted = [...lines].sort((a, b) => a.value - b.value);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

function paramsLabel(params) {
  return Object.entries(params).map(([k, v]) => `${k}=${v}`).join(' ');
}

async function runScenario(scenario, params, opts, twins, rows, raw) {
  process.stderr.write(`${scenario.file} ${paramsLabel(params)}\n`);
  const commands = opts.forms.map((form) => ({ col: form, label: `kairos ${form}`, cmd: process.execPath, args: nodeArgs(scenario, params, form, opts.nodeFlags) }));
  if (twins !== null) commands.push({ col: 'beam', label: 'beam +S 1', cmd: 'erl', args: erlArgs(scenario, params, twins.ebin) });
  // The columns take turns, run after run, so a slow stretch of the machine hits them alike.
  const byCol = new Map(commands.map((c) => [c.col, new Map()]));
  const errors = {};
  for (let i = 0; i < opts.repeat; i++) {
    for (const c of commands) {
      if (errors[c.col] !== undefined) continue;
      const error = await runOnce(c.label, c.cmd, c.args, opts, raw, byCol.get(c.col));
      if (error !== null) errors[c.col] = error;
    }
  }
  const columns = {};
  for (const [col, byName] of byCol) columns[col] = new Map([...byName].map(([name, lines]) => [name, median(lines)]));
  const names = new Set(Object.values(columns).flatMap((m) => [...m.keys()]));
  for (const name of names) {
    const [gen, async, beam] = ['gen', 'async', 'beam'].map((col) => columns[col]?.get(name));
    const { unit, better } = gen ?? async ?? beam;
    rows.push({ name, params, unit, better, gen, async, beam });
  }
  for (const [col, error] of Object.entries(errors)) rows.push({ name: `${scenario.file} (${col})`, params, failed: error });
}

// ---- the table ------------------------------------------------------------------------------

/** How many times better `a` is than `b` (> 1: `a` wins), whatever the unit's direction. */
function advantage(a, b, better) {
  if (a === undefined || b === undefined || a.value <= 0 || b.value <= 0) return undefined;
  return better === 'higher' ? a.value / b.value : b.value / a.value;
}

function bestForm(row) {
  const forms = [row.gen, row.async].filter((c) => c !== undefined);
  if (forms.length === 0) return undefined;
  return forms.reduce((x, y) => ((advantage(x, y, row.better) ?? 1) >= 1 ? x : y));
}

function checkTarget(row, best, vsBeam) {
  const t = TARGETS[row.name];
  if (t === undefined || best === undefined) return { text: '', met: '' };
  const parts = [];
  const ok = [];
  if (t.advantage !== undefined) {
    parts.push(`≥${t.advantage}× vs BEAM`);
    if (vsBeam !== undefined) ok.push(vsBeam >= t.advantage);
  }
  if (t.max !== undefined) {
    parts.push(`≤${t.max} ${shortUnit(row.unit)}`);
    ok.push(best.value <= t.max);
  }
  return { text: parts.join(', '), met: ok.length === 0 ? '?' : ok.every(Boolean) ? 'met' : 'NOT met' };
}

function shortUnit(unit) {
  return unit === 'bytes/process' ? 'B' : unit;
}

function fmtNum(v) {
  if (v >= 100) return Math.round(v).toLocaleString('en-US');
  if (v >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

function fmtValue(cell) {
  if (cell === undefined) return '—';
  const { value, unit } = cell;
  if (unit.endsWith('/s')) {
    const rate = value >= 1e6 ? `${(value / 1e6).toFixed(2)} M` : `${(value / 1e3).toFixed(0)} k`;
    return `${rate} ${unit}`;
  }
  if (unit === 'bytes/process') return `${Math.round(value).toLocaleString('en-US')} B`;
  return `${fmtNum(value)} ${unit}`;
}

function fmtRatio(r) {
  return r === undefined ? '—' : `${fmtNum(r)}×`;
}

function table(rows, withBeam) {
  const head = ['figure', 'params', 'Kairos gen', 'Kairos async'];
  if (withBeam) head.push('BEAM +S 1', 'Kairos vs BEAM');
  head.push('gen vs async', 'target', '');
  const out = [head, head.map(() => '---')];
  for (const row of rows) {
    if (row.failed !== undefined) {
      out.push([row.name, paramsLabel(row.params), `FAILED: ${row.failed}`, ...head.slice(3).map(() => '')]);
      continue;
    }
    const best = bestForm(row);
    const vsBeam = advantage(best, row.beam, row.better);
    const formGap = advantage(row.gen, row.async, row.better);
    const target = checkTarget(row, best, vsBeam);
    const line = [row.name, paramsLabel(row.params), fmtValue(row.gen), fmtValue(row.async)];
    if (withBeam) line.push(fmtValue(row.beam), fmtRatio(vsBeam));
    const gap = formGap === undefined ? '—' : `${fmtRatio(formGap)}${formGap > ASYNC_FACTOR ? ' (>3×)' : ''}`;
    line.push(gap, target.text, target.met);
    out.push(line);
  }
  return out.map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

function revision() {
  const git = spawnSync('git', ['describe', '--always', '--dirty'], { cwd: ROOT, encoding: 'utf8' });
  return git.status === 0 ? git.stdout.trim() : 'unknown revision';
}

function machine(twins, loadBefore, beamWanted) {
  const cpu = cpus();
  const load = (l) => l.map((x) => x.toFixed(2)).join(' ');
  return [
    `kairos ${revision()}, node ${process.version}, ${twins !== null ? `Erlang/OTP ${twins.otp} (erl +S 1)` : beamWanted ? 'no erl on PATH' : 'BEAM skipped (--no-beam)'}`,
    `${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${process.platform} ${process.arch}`,
    // Other work on the machine skews both columns; the load average says how much there was.
    `load average before: ${load(loadBefore)}, after: ${load(loadavg())}`,
  ].join('\n');
}

// ---- main -----------------------------------------------------------------------------------

async function main() {
  const opts = parseOptions(process.argv.slice(2));
  const scenarios = selectScenarios(opts.filters);
  for (const s of scenarios) {
    if (!existsSync(join(DIST, `${s.file}.bench.js`))) throw new Error(`dist/benchmarks/runtime/${s.file}.bench.js is missing: run \`npm run build\` (npm run bench does)`);
  }
  const twins = opts.beam ? compileTwins() : null;
  if (opts.beam && twins === null) process.stderr.write('erl is not on PATH: running Kairos only (apt-get install -y erlang-nox for the BEAM columns)\n');
  const rows = [];
  const raw = [];
  const loadBefore = loadavg();
  try {
    for (const s of scenarios) for (const params of s.runs) await runScenario(s, params, opts, twins, rows, raw);
  } finally {
    if (twins !== null) rmSync(twins.ebin, { recursive: true, force: true });
  }
  mkdirSync(dirname(opts.out), { recursive: true });
  writeFileSync(opts.out, raw.map((l) => JSON.stringify(l)).join('\n') + '\n');
  const command = `node benchmarks/run.mjs ${process.argv.slice(2).join(' ')}`.trim();
  process.stdout.write(`\n${machine(twins, loadBefore, opts.beam)}\n${command}${opts.repeat > 1 ? ` (median of ${opts.repeat})` : ''}\n\n${table(rows, twins !== null)}\n`);
  process.stdout.write(`\n"Kairos vs BEAM" and "gen vs async": how many times better the first is (> 1: it wins), for the faster Kairos form. Raw lines: ${opts.out}\n`);
  if (rows.some((r) => r.failed !== undefined)) process.exitCode = 1;
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
