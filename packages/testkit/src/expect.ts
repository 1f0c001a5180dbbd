/**
 * Assertions on typed errors: the workspace's errors carry a stable `code` (and often the offending
 * `field`), and tests assert those, never the wording.
 */
import { expect } from 'vitest';

/** An error carrying a stable `code` and, optionally, the name of the offending field. */
export interface CodedError extends Error {
  readonly code: string;
  readonly field?: string | undefined;
}

/** A class of typed errors, e.g. the codec's `CodecError` or the crypto package's `CryptoError`. */
export type CodedErrorClass<E extends CodedError = CodedError> = abstract new (
  // biome-ignore lint/suspicious/noExplicitAny: any constructor signature
  ...args: any[]
) => E;

/**
 * Run `fn` and assert it throws an `Error` with `code` and, when given, `field`. Returns the error so
 * a test can check more of it.
 *
 * @example
 * expectCode(() => decodeOffer(bytes), 'MISSING_FIELD', 'offer_issuer_id');
 */
export function expectCode(fn: () => unknown, code: string, field?: string): CodedError {
  return check(fn, Error as unknown as CodedErrorClass, code, field);
}

/**
 * Assertions bound to one error class: `expectCode` also asserts the class, and `errorCode` returns
 * the code of the error `fn` throws (`undefined` when it returns; any other exception is rethrown).
 *
 * @example
 * const { expectCode, errorCode } = typedErrors(CodecError);
 * expectCode(() => verifyWebhook(call, opts), 'STALE');
 * expect(errorCode(() => decodeOffer(bytes, { now }))).toBeUndefined();
 */
export function typedErrors<E extends CodedError>(type: CodedErrorClass<E>) {
  return {
    /** Run `fn` and assert it throws a `type` with `code` (and `field`, when given); returns the error. */
    expectCode: (fn: () => unknown, code: E['code'], field?: string): E => check(fn, type, code, field),
    /** The code of the `type` error `fn` throws, or `undefined` when it returns. */
    errorCode: (fn: () => unknown): E['code'] | undefined => {
      try {
        fn();
        return undefined;
      } catch (e) {
        if (e instanceof type) return e.code;
        throw e;
      }
    },
  };
}

function check<E extends CodedError>(
  fn: () => unknown,
  type: CodedErrorClass<E>,
  code: string,
  field: string | undefined,
): E {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(type);
    expect((e as E).code).toBe(code);
    if (field !== undefined) expect((e as E).field).toBe(field);
    return e as E;
  }
  throw new Error(`expected ${code}, nothing thrown`);
}
