/**
 * Persistence for always-online roles (held HTLCs, mailboxes, static invoices, used nonces): a real
 * SQLite file through better-sqlite3. Every write that must survive a crash goes through
 * {@link SqliteStore.transaction}; the database runs in WAL mode with `synchronous = FULL`, so a
 * committed transaction survives the process being killed.
 *
 * The store is a set of namespaces of key → value; values are JSON with bigints and byte arrays
 * tagged so they come back as the same types.
 *
 * ```ts
 * const store = SqliteStore.open('lsp.sqlite');
 * const held = store.namespace<HeldHtlc>('held_htlcs');
 * store.transaction(() => held.put(id, htlc));
 * ```
 */
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import Database from 'better-sqlite3';

/** One namespace of a store. */
export interface Table<V> {
  get(key: string): V | undefined;
  put(key: string, value: V): void;
  delete(key: string): boolean;
  /** Every entry, in key order (optionally those whose key starts with `prefix`). */
  entries(prefix?: string): [string, V][];
  /** The entries whose key is in `[from, to)`, in key order, at most `limit` of them. */
  range(from: string, to: string, limit?: number): [string, V][];
  count(): number;
}

/** What a node persists through. */
export interface Store {
  namespace<V>(name: string): Table<V>;
  /** Run `fn` atomically: all its writes commit together or none do. */
  transaction<T>(fn: () => T): T;
  close(): void;
}

/**
 * A {@link Store} in one SQLite file (or `:memory:`), one table per namespace.
 *
 * @example
 * const store = SqliteStore.open(':memory:');
 * const t = store.namespace<{ amount: bigint }>('payments');
 * store.transaction(() => t.put('p1', { amount: 1000n }));
 * t.get('p1'); // { amount: 1000n }
 */
export class SqliteStore implements Store {
  private constructor(
    private readonly db: Database.Database,
    readonly path: string,
  ) {}

  /** Open (or create) the SQLite file at `path`; `':memory:'` for a throwaway store. */
  static open(path: string): SqliteStore {
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(
      'CREATE TABLE IF NOT EXISTS kv (ns TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (ns, key)) WITHOUT ROWID',
    );
    return new SqliteStore(db, path);
  }

  namespace<V>(ns: string): Table<V> {
    const db = this.db;
    const get = db.prepare<[string, string], { value: string }>(
      'SELECT value FROM kv WHERE ns = ? AND key = ?',
    );
    const put = db.prepare(
      'INSERT INTO kv (ns, key, value) VALUES (?, ?, ?) ON CONFLICT (ns, key) DO UPDATE SET value = excluded.value',
    );
    const del = db.prepare('DELETE FROM kv WHERE ns = ? AND key = ?');
    const all = db.prepare<[string, string, string], { key: string; value: string }>(
      'SELECT key, value FROM kv WHERE ns = ? AND key >= ? AND key < ? ORDER BY key',
    );
    const count = db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM kv WHERE ns = ?');
    const range = db.prepare<[string, string, string, number], { key: string; value: string }>(
      'SELECT key, value FROM kv WHERE ns = ? AND key >= ? AND key < ? ORDER BY key LIMIT ?',
    );
    return {
      get: (key) => {
        const row = get.get(ns, key);
        return row ? (decodeValue(row.value) as V) : undefined;
      },
      put: (key, value) => void put.run(ns, key, encodeValue(value)),
      delete: (key) => del.run(ns, key).changes > 0,
      entries: (prefix = '') =>
        all.all(ns, prefix, `${prefix}\uffff`).map((r) => [r.key, decodeValue(r.value) as V] as [string, V]),
      count: () => count.get(ns)?.n ?? 0,
      range: (from, to, limit = -1) =>
        range.all(ns, from, to, limit).map((r) => [r.key, decodeValue(r.value) as V] as [string, V]),
    };
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  close(): void {
    this.db.close();
  }
}

/** JSON with bigints as `{"$n": "…"}` and byte arrays as `{"$b": "hex"}`. */
export function encodeValue(v: unknown): string {
  return JSON.stringify(v, (_k, x) => {
    if (typeof x === 'bigint') return { $n: x.toString() };
    if (x instanceof Uint8Array) return { $b: bytesToHex(x) };
    return x;
  });
}

/** The inverse of {@link encodeValue}: tagged bigints and byte arrays come back as themselves. */
export function decodeValue(s: string): unknown {
  return JSON.parse(s, (_k, x) => {
    if (x && typeof x === 'object' && !Array.isArray(x)) {
      if (typeof x.$n === 'string' && Object.keys(x).length === 1) return BigInt(x.$n);
      if (typeof x.$b === 'string' && Object.keys(x).length === 1) return hexToBytes(x.$b);
    }
    return x;
  });
}
