import { dataVersion } from '../db/database.js';
import type { Clock } from './clock.js';

// One cache for data derived from the database (rendered responses, summaries): an entry is used
// only while the database is at the version it was computed from (db/database.ts dataVersion), and
// for at most `ttlMs` (what depends on the date: "the last six months", "upcoming"). Computations of
// the same key at the same time share one promise, so a crowd opening the network dashboard at once
// costs one computation. Bounded by entries and bytes, least recently used out first.

// Derived data computed in the background (the qualitative analysis of a summary) changes what a
// response holds without any write: caches of whole responses add this generation to their version.
let generation = 0;
/** Call when a background computation stores a new result that responses include. */
export function noteDerivedChange(): void {
  generation++;
}
/** The database version with the background generation, for caches of responses that include derived data. */
export function responseVersion(db: object): string | null {
  const version = dataVersion(db);
  return version && `${version}.g${generation}`;
}

export interface DerivedCacheOptions<V> {
  maxEntries: number;
  maxBytes?: number;
  ttlMs: number;
  sizeOf?: (value: V) => number;
}

interface Entry<V> {
  version: string;
  value: V;
  bytes: number;
  storedAt: number;
}

export class DerivedCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly pending = new Map<string, { version: string; promise: Promise<V> }>();
  private bytes = 0;

  constructor(private readonly clock: Clock, private readonly options: DerivedCacheOptions<V>) {}

  /** The cached value for this key if it was computed at `version` and is fresh. */
  get(key: string, version: string | null): V | undefined {
    const entry = version === null ? undefined : this.entries.get(key);
    if (!entry) return undefined;
    if (this.clock.now().getTime() - entry.storedAt > this.options.ttlMs) {
      this.remove(key, entry);
      return undefined;
    }
    // Computed at another version: not an answer now, but kept (peek) until its successor replaces it.
    if (entry.version !== version) return undefined;
    // Move to the end: the least recently used entry is the first in the map.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** The last value stored for this key, whatever version it was computed at (still within its lifetime): for serving while a new one is computed. */
  peek(key: string): V | undefined {
    const entry = this.entries.get(key);
    return entry && this.clock.now().getTime() - entry.storedAt <= this.options.ttlMs ? entry.value : undefined;
  }

  /** Stores a value computed at `version` (taken before computing: a write meanwhile makes it stale at once). */
  set(key: string, version: string | null, value: V): void {
    if (version === null) return;
    const bytes = this.options.sizeOf?.(value) ?? 0;
    if (this.options.maxBytes !== undefined && bytes > this.options.maxBytes / 4) return;
    const old = this.entries.get(key);
    if (old) this.remove(key, old);
    this.entries.set(key, { version, value, bytes, storedAt: this.clock.now().getTime() });
    this.bytes += bytes;
    for (const [oldestKey, oldest] of this.entries) {
      if (this.entries.size <= this.options.maxEntries && (this.options.maxBytes === undefined || this.bytes <= this.options.maxBytes)) break;
      this.remove(oldestKey, oldest);
    }
  }

  /**
   * The value for `key` at the database's current version (or the narrower `version` given, such as
   * journalVersion), computed once however many ask at the same time.
   */
  async getOrCompute(db: object, key: string, compute: () => Promise<V>, version: string | null = dataVersion(db), keep: (value: V) => boolean = () => true): Promise<V> {
    if (version === null) return compute();
    const cached = this.get(key, version);
    if (cached !== undefined) return cached;
    const running = this.pending.get(key);
    if (running && running.version === version) return running.promise;
    const promise = compute();
    this.pending.set(key, { version, promise });
    try {
      const value = await promise;
      if (keep(value)) this.set(key, version, value);
      return value;
    } finally {
      if (this.pending.get(key)?.promise === promise) this.pending.delete(key);
    }
  }

  /** The computation of this key under way, whatever version it computes at. */
  inFlight(key: string): { version: string; promise: Promise<V> } | undefined {
    return this.pending.get(key);
  }

  get size() {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  private remove(key: string, entry: Entry<V>) {
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }
}
