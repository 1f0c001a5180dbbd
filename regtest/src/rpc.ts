/**
 * A small typed JSON-RPC client for bitcoind, built on the global `fetch`.
 *
 * Why not a library: the npm clients for bitcoind (`bitcoin-core`, `bitcoind-rpc`, …) are untyped or
 * typed by hand to an old release, pull in request libraries we do not need, and are sparsely maintained;
 * none is both typed and dependency-free. bitcoind's RPC is plain JSON-RPC over HTTP with basic auth, which
 * `fetch` speaks in a few lines, so the harness keeps its own client and types exactly the calls it makes
 * ({@link RpcMethods}); anything else goes through the untyped {@link RpcClient.callRaw}.
 *
 * Requests use JSON-RPC 2.0 (bitcoind ≥ 28 then answers errors with HTTP 200); 1.0-style answers with
 * HTTP 500 and an `error` member are understood too, so older nodes work.
 */
import { RegtestError } from './errors.js';

/** Where a node's RPC server is and how to log in. Plain data: can be written to JSON and read back. */
export interface RpcEndpoint {
  /** e.g. `http://127.0.0.1:18443` */
  url: string;
  /** RPC user name. */
  user: string;
  /** RPC password. */
  password: string;
}

/** An unspent output as `gettxout` returns it. */
export interface RawTxOut {
  bestblock: string;
  confirmations: number;
  value: number;
  scriptPubKey: { asm: string; hex: string; type: string; address?: string };
  coinbase: boolean;
}

/** A `testmempoolaccept` result entry. */
export interface RawMempoolAccept {
  txid: string;
  wtxid: string;
  allowed: boolean;
  vsize?: number;
  fees?: { base: number };
  'reject-reason'?: string;
  'reject-details'?: string;
}

/** A wallet UTXO as `listunspent` returns it. */
export interface RawUnspent {
  txid: string;
  vout: number;
  address?: string;
  amount: number;
  confirmations: number;
  spendable: boolean;
  scriptPubKey: string;
}

/** A decoded transaction as `getrawtransaction txid true` returns it. */
export interface RawTransaction {
  txid: string;
  hash: string;
  hex: string;
  locktime: number;
  vin: { txid?: string; vout?: number; sequence: number; coinbase?: string }[];
  vout: { value: number; n: number; scriptPubKey: { hex: string; type: string; address?: string } }[];
  blockhash?: string;
  confirmations?: number;
}

/**
 * The RPC calls the harness makes, with their parameter and result types (bitcoind v25+). Amounts are
 * passed as decimal strings (`"0.00012345"`), which bitcoind accepts, so no float ever rounds a satoshi.
 */
export interface RpcMethods {
  getblockcount: { params: []; result: number };
  getblockhash: { params: [height: number]; result: string };
  getblockchaininfo: { params: []; result: { chain: string; blocks: number; bestblockhash: string } };
  getnetworkinfo: { params: []; result: { version: number; subversion: string } };
  createwallet: { params: [name: string]; result: { name: string } };
  loadwallet: { params: [name: string]; result: { name: string } };
  getnewaddress: { params: [] | [label: string, type: string]; result: string };
  generatetoaddress: { params: [n: number, address: string]; result: string[] };
  getbalance: { params: []; result: number };
  sendtoaddress: { params: [address: string, amount: string]; result: string };
  listunspent: { params: [] | [minconf: number]; result: RawUnspent[] };
  createrawtransaction: {
    params:
      | [inputs: { txid: string; vout: number; sequence?: number }[], outputs: Record<string, string>[]]
      | [
          inputs: { txid: string; vout: number; sequence?: number }[],
          outputs: Record<string, string>[],
          locktime: number,
        ];
    result: string;
  };
  signrawtransactionwithwallet: {
    params: [hex: string];
    result: { hex: string; complete: boolean; errors?: { error: string }[] };
  };
  sendrawtransaction: { params: [hex: string]; result: string };
  testmempoolaccept: { params: [hexes: string[]]; result: RawMempoolAccept[] };
  getrawtransaction: { params: [txid: string, verbose: true]; result: RawTransaction };
  getrawmempool: { params: []; result: string[] };
  gettxout: { params: [txid: string, vout: number, includeMempool: boolean]; result: RawTxOut | null };
  stop: { params: []; result: string };
}

/** Options for {@link RpcClient}. */
export interface RpcClientOptions {
  /** Wallet the wallet calls go to (`/wallet/<name>`); default none. */
  wallet?: string;
  /** Per-request timeout in ms (default 30 000). */
  timeoutMs?: number;
}

interface JsonRpcReply {
  result?: unknown;
  error?: { code: number; message: string } | null;
}

/**
 * A JSON-RPC client for one bitcoind.
 *
 * @example
 * ```ts
 * const rpc = new RpcClient({ url: 'http://127.0.0.1:18443', user: 'u', password: 'p' });
 * const height = await rpc.call('getblockcount', []); // number
 * ```
 */
export class RpcClient {
  /** The endpoint this client talks to. */
  readonly endpoint: RpcEndpoint;
  readonly #url: string;
  readonly #auth: string;
  readonly #timeoutMs: number;
  #id = 0;

  constructor(endpoint: RpcEndpoint, options: RpcClientOptions = {}) {
    this.endpoint = endpoint;
    const base = endpoint.url.replace(/\/+$/, '');
    this.#url = options.wallet === undefined ? base : `${base}/wallet/${encodeURIComponent(options.wallet)}`;
    this.#auth = `Basic ${btoa(`${endpoint.user}:${endpoint.password}`)}`;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** A typed call: `method` is one of {@link RpcMethods} and params and result are checked against it. */
  call<M extends keyof RpcMethods>(
    method: M,
    params: RpcMethods[M]['params'],
  ): Promise<RpcMethods[M]['result']> {
    return this.callRaw(method, params) as Promise<RpcMethods[M]['result']>;
  }

  /**
   * Any call, untyped. Throws `RPC_ERROR` (with bitcoind's `rpcCode` and `rpcMessage`) when bitcoind
   * answers with an error, `RPC_TRANSPORT` when there is no usable answer.
   */
  async callRaw(method: string, params: readonly unknown[] = []): Promise<unknown> {
    const body = JSON.stringify({ jsonrpc: '2.0', id: ++this.#id, method, params });
    let res: Response;
    try {
      res = await fetch(this.#url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: this.#auth },
        body,
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (e) {
      throw new RegtestError('RPC_TRANSPORT', `${method}: cannot reach ${this.endpoint.url}: ${String(e)}`, {
        method,
        cause: e,
      });
    }
    const text = await res.text().catch(() => '');
    let reply: JsonRpcReply | undefined;
    try {
      reply = JSON.parse(text) as JsonRpcReply;
    } catch {
      reply = undefined;
    }
    if (reply?.error) {
      const { code, message } = reply.error;
      throw new RegtestError('RPC_ERROR', `${method}: ${message} (${code})`, {
        method,
        rpcCode: code,
        rpcMessage: message,
      });
    }
    if (!res.ok || reply === undefined || !('result' in reply)) {
      const what = res.status === 401 ? 'unauthorized (wrong RPC credentials)' : text.slice(0, 200);
      throw new RegtestError('RPC_TRANSPORT', `${method}: HTTP ${res.status} ${what}`, { method });
    }
    return reply.result;
  }
}

/** Formats satoshis as the decimal BTC string bitcoind accepts for amounts: 12345n → `"0.00012345"`. */
export function satsToBtc(sats: bigint | number): string {
  const v = BigInt(sats);
  if (v < 0n) throw new RangeError(`sats must not be negative: ${v}`);
  return `${v / 100_000_000n}.${(v % 100_000_000n).toString().padStart(8, '0')}`;
}

/** Converts a BTC amount as bitcoind returns it (a JSON number with ≤ 8 decimals) to satoshis. */
export function btcToSats(btc: number): bigint {
  return BigInt(Math.round(btc * 1e8));
}
