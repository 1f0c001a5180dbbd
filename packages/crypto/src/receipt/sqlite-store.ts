/**
 * A {@link UsedNonceStore} in a SQLite file (better-sqlite3).
 *
 * One row per used nonce id. Marking a nonce used is one `BEGIN IMMEDIATE` transaction that inserts
 * the row under a primary key, so two processes sharing the file cannot both mark the same id;
 * `synchronous = FULL` makes the row durable before `markUsed` returns, i.e. before the recipient
 * reveals the receipt scalar. Ids are u64, stored as 8-byte big-endian BLOBs (SQLite integers are
 * signed).
 *
 * ```sql
 * CREATE TABLE used_receipt_nonces (
 *   nonce_id BLOB PRIMARY KEY,  -- u64 big-endian, 8 bytes
 *   message  BLOB NOT NULL,     -- the 32-byte receipt message m it was used for
 *   used_at  INTEGER NOT NULL   -- seconds since the Unix epoch
 * ) WITHOUT ROWID;
 * ```
 *
 * @example
 * ```ts
 * const store = new SqliteUsedNonceStore('bob-nonces.sqlite');
 * store.markUsed(12345n, m);
 * store.close();
 * ```
 * @module
 */
import Database from 'better-sqlite3';
import { u64ToBytes } from '../bytes.js';
import { checkMarkArgs, nonceReused, type UsedNonceStore } from './store.js';

/** Options of {@link SqliteUsedNonceStore}. */
export interface SqliteUsedNonceStoreOptions {
  /** Clock for `used_at`, in seconds since the epoch. Default: the system clock. */
  now?: () => number;
}

/** A persistent, atomic {@link UsedNonceStore} backed by a SQLite file. */
export class SqliteUsedNonceStore implements UsedNonceStore {
  readonly #db: Database.Database;
  readonly #insert: Database.Statement<[Uint8Array, Uint8Array, number]>;
  readonly #select: Database.Statement<[Uint8Array]>;
  readonly #mark: (id: Uint8Array, message: Uint8Array, at: number) => void;
  readonly #now: () => number;

  /**
   * Opens (creating if needed) the store in the SQLite file at `path`.
   *
   * @param path a file path; `':memory:'` works but is not persistent.
   */
  constructor(path: string, options: SqliteUsedNonceStoreOptions = {}) {
    this.#now = options.now ?? (() => Math.floor(Date.now() / 1000));
    this.#db = new Database(path);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = FULL');
    this.#db.pragma('busy_timeout = 5000');
    this.#db.exec(
      `CREATE TABLE IF NOT EXISTS used_receipt_nonces (
         nonce_id BLOB PRIMARY KEY,
         message  BLOB NOT NULL,
         used_at  INTEGER NOT NULL
       ) WITHOUT ROWID`,
    );
    this.#insert = this.#db.prepare(
      'INSERT INTO used_receipt_nonces (nonce_id, message, used_at) VALUES (?, ?, ?)',
    );
    this.#select = this.#db.prepare('SELECT 1 FROM used_receipt_nonces WHERE nonce_id = ?');
    const tx = this.#db.transaction((id: Uint8Array, message: Uint8Array, at: number) => {
      if (this.#select.get(id) !== undefined) throw new UsedMarker();
      this.#insert.run(id, message, at);
    });
    this.#mark = (id, message, at) => tx.immediate(id, message, at);
  }

  /** {@inheritDoc UsedNonceStore.markUsed} */
  markUsed(nonceId: bigint, message: Uint8Array): void {
    checkMarkArgs(nonceId, message);
    try {
      this.#mark(u64ToBytes(nonceId), message, this.#now());
    } catch (e) {
      if (e instanceof UsedMarker || isPrimaryKeyViolation(e)) throw nonceReused(nonceId);
      throw e;
    }
  }

  /** {@inheritDoc UsedNonceStore.isUsed} */
  isUsed(nonceId: bigint): boolean {
    checkMarkArgs(nonceId, new Uint8Array(32));
    return this.#select.get(u64ToBytes(nonceId)) !== undefined;
  }

  /** Number of used nonce ids recorded. */
  count(): number {
    const row = this.#db.prepare('SELECT count(*) AS n FROM used_receipt_nonces').get() as { n: number };
    return row.n;
  }

  /** Closes the database file. */
  close(): void {
    this.#db.close();
  }
}

/** Thrown inside the transaction to roll it back when the id is already present. */
class UsedMarker extends Error {}

function isPrimaryKeyViolation(e: unknown): boolean {
  return (
    typeof e === 'object' &&
    e !== null &&
    'code' in e &&
    (e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || e.code === 'SQLITE_CONSTRAINT_UNIQUE')
  );
}
