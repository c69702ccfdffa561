import type { BenchArgs } from './args.ts';

export type Better = 'higher' | 'lower';

export interface Result {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly better: Better;
  readonly extra?: Readonly<Record<string, string | number | boolean>>;
}

/**
 * Collects a scenario's results while it runs and prints them afterwards, one JSON line
 * each, in the shape the Erlang twins print (benchmarks/beam/bench.erl): writing to stdout
 * while the clock runs would be measured too.
 */
export class Report {
  private readonly results: Result[] = [];

  constructor(private readonly args: BenchArgs<Record<string, number>>) {}

  add(name: string, value: number, unit: string, better: Better, extra?: Result['extra']): void {
    this.results.push(extra === undefined ? { name, value, unit, better } : { name, value, unit, better, extra });
  }

  print(): void {
    for (const r of this.results) {
      const line = {
        name: r.name,
        params: this.args.params,
        value: Math.round(r.value * 1000) / 1000,
        unit: r.unit,
        better: r.better,
        runtime: 'kairos',
        form: this.args.form,
        node: process.version,
        ...r.extra,
      };
      process.stdout.write(JSON.stringify(line) + '\n');
    }
  }
}
