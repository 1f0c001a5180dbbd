/**
 * The one error class the harness throws. Callers and tests branch on {@link RegtestError.code}, never on
 * the wording of the message.
 */

/**
 * The closed set of failure kinds:
 * - `BITCOIND_NOT_FOUND`: no `$BITCOIND`, no `bitcoind` on PATH, nothing installed, and installing was not
 *   allowed or not possible.
 * - `UNSUPPORTED_HOST`: bitcoind would have to be installed, but this host is not Debian/Ubuntu on a
 *   supported architecture (or has no Debian mirror to take packages from).
 * - `INSTALL_FAILED`: `apt-get update`, `apt-get download` or `dpkg -x` failed.
 * - `START_TIMEOUT`: bitcoind did not answer RPC in time.
 * - `START_FAILED`: bitcoind exited while starting (bad option, port taken …).
 * - `RPC_ERROR`: bitcoind answered with a JSON-RPC error; see `rpcCode` and `rpcMessage`.
 * - `RPC_TRANSPORT`: the HTTP request failed or the answer was not JSON-RPC (node gone, wrong password).
 * - `WAIT_TIMEOUT`: a `waitFor…` call gave up.
 * - `STOPPED`: the node was used after `stop()`.
 */
export type RegtestErrorCode =
  | 'BITCOIND_NOT_FOUND'
  | 'UNSUPPORTED_HOST'
  | 'INSTALL_FAILED'
  | 'START_TIMEOUT'
  | 'START_FAILED'
  | 'RPC_ERROR'
  | 'RPC_TRANSPORT'
  | 'WAIT_TIMEOUT'
  | 'STOPPED';

/** Structured details a {@link RegtestError} may carry. */
export interface RegtestErrorDetails {
  /** bitcoind's numeric JSON-RPC error code (`RPC_ERROR` only), e.g. -8 for RPC_INVALID_PARAMETER. */
  rpcCode?: number;
  /** bitcoind's own error message (`RPC_ERROR` only). */
  rpcMessage?: string;
  /** The RPC method that failed (`RPC_ERROR`, `RPC_TRANSPORT`). */
  method?: string;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * An error from the regtest harness.
 *
 * @example
 * ```ts
 * try {
 *   await node.rpc.call('getblockhash', [1_000_000]);
 * } catch (e) {
 *   if (e instanceof RegtestError && e.code === 'RPC_ERROR') console.log(e.rpcCode); // -8
 * }
 * ```
 */
export class RegtestError extends Error {
  /** The stable failure kind. */
  readonly code: RegtestErrorCode;
  /** bitcoind's numeric JSON-RPC error code, for `RPC_ERROR`. */
  readonly rpcCode: number | undefined;
  /** bitcoind's error message, for `RPC_ERROR`. */
  readonly rpcMessage: string | undefined;
  /** The RPC method involved, if any. */
  readonly method: string | undefined;

  constructor(code: RegtestErrorCode, message: string, details: RegtestErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'RegtestError';
    this.code = code;
    this.rpcCode = details.rpcCode;
    this.rpcMessage = details.rpcMessage;
    this.method = details.method;
  }
}
