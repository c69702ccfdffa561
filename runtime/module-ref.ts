import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { invalidInput } from './errors.ts';
import type { Body } from './process.ts';

/**
 * A process body named by module and export, so it can be started on any scheduler thread
 * (closures cannot cross threads; the BEAM spawns by module/function/args for the same reason).
 * `scheduler` pins the process to one scheduler; without it the runtime places it.
 */
export interface ModuleRef {
  readonly module: string | URL;
  readonly export: string;
  readonly scheduler?: number;
}

/** A validated module reference: `module` as an absolute URL string. */
export interface ResolvedModuleRef {
  readonly module: string;
  readonly export: string;
}

export function isModuleRef(value: unknown): value is ModuleRef {
  return typeof value === 'object' && value !== null && 'module' in value && 'export' in value;
}

export function resolveModuleRef(ref: ModuleRef, argument: string): ResolvedModuleRef {
  const m = ref.module;
  let href: string;
  if (m instanceof URL) href = m.href;
  else if (typeof m === 'string' && /^[a-z][a-z0-9+.-]*:/i.test(m)) href = m;
  else if (typeof m === 'string' && isAbsolute(m)) href = pathToFileURL(m).href;
  else throw invalidInput(`${argument}.module`, 'a URL (e.g. new URL("./worker.js", import.meta.url)) or an absolute path', m);
  if (typeof ref.export !== 'string' || ref.export.length === 0) {
    throw invalidInput(`${argument}.export`, 'the name of an exported function (non-empty string)', ref.export);
  }
  return { module: href, export: ref.export };
}

/**
 * Loads process bodies by module reference, once per module per thread; after the first load
 * a body is available synchronously.
 */
export class ModuleCache {
  private readonly loaded = new Map<string, Record<string, unknown>>();
  private readonly loading = new Map<string, Promise<Record<string, unknown>>>();

  /** The body if its module is already loaded (undefined otherwise); throws if the export is not a function. */
  peek(ref: ResolvedModuleRef): Body | undefined {
    const mod = this.loaded.get(ref.module);
    return mod === undefined ? undefined : bodyOf(mod, ref);
  }

  async load(ref: ResolvedModuleRef): Promise<Body> {
    let mod = this.loaded.get(ref.module);
    if (mod === undefined) {
      let p = this.loading.get(ref.module);
      if (p === undefined) {
        p = import(ref.module) as Promise<Record<string, unknown>>;
        this.loading.set(ref.module, p);
      }
      try {
        mod = await p;
      } finally {
        this.loading.delete(ref.module);
      }
      this.loaded.set(ref.module, mod);
    }
    return bodyOf(mod, ref);
  }
}

function bodyOf(mod: Record<string, unknown>, ref: ResolvedModuleRef): Body {
  const fn = mod[ref.export];
  if (typeof fn !== 'function') throw invalidInput(`export ${JSON.stringify(ref.export)} of ${ref.module}`, 'a function', fn);
  return fn as Body;
}
