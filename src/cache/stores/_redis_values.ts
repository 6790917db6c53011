/**
 * How the memory store answers as Redis does, value by value: 64-bit
 * integer arguments and counters, expire-time errors, reading text or bytes
 * as Redis returns them, comparing a value with a token, and entry sizes.
 *
 * @module
 */
import { ReplyError } from "../../errors.ts";
import type { ReadMode, StoredValue } from "./store.ts";

// Literals rather than 2n ** 63n: bundlers keep arithmetic at module level as import-time work.
/** -2^63, the smallest Redis integer. */
export const INT64_MIN = -9_223_372_036_854_775_808n;
/** 2^63 - 1, the largest Redis integer. */
export const INT64_MAX = 9_223_372_036_854_775_807n;
/** 2^63 as a number: no Redis integer argument or expiry time reaches it. */
export const INT64_LIMIT = 9_223_372_036_854_775_808;
/** Decimal text that Redis accepts as an integer (string2ll): no sign, spaces or leading zeros. */
const INTEGER_TEXT = /^(?:0|-?[1-9][0-9]{0,18})$/;
const utf8 = /* @__PURE__ */ new TextEncoder();
const text = /* @__PURE__ */ new TextDecoder("utf-8", { ignoreBOM: true });

/** `n`, when Redis would take it as a 64-bit integer argument. */
export function integer(n: number): number {
  if (!Number.isInteger(n) || n < -INT64_LIMIT || n >= INT64_LIMIT) {
    throw new ReplyError("ERR value is not an integer or out of range");
  }
  return n;
}

/** A stored value as a 64-bit integer, as Redis's `INCRBY` parses it. */
export function parseInteger(value: StoredValue): bigint {
  const digits = typeof value === "string" ? value : value.length <= 20 ? text.decode(value) : "";
  const parsed = INTEGER_TEXT.test(digits) ? BigInt(digits) : undefined;
  if (parsed === undefined || parsed < INT64_MIN || parsed > INT64_MAX) {
    throw new ReplyError("ERR value is not an integer or out of range");
  }
  return parsed;
}

export function invalidExpireTime(command: string): ReplyError {
  return new ReplyError(`ERR invalid expire time in '${command}' command`);
}

/** A stored value as `mode` asks, never sharing the stored bytes. */
export function readAs(value: StoredValue, mode: ReadMode): StoredValue {
  if (typeof value === "string") {
    // Through Redis, text starting with NUL reads back as bytes in "text" mode too.
    return mode === "bytes" || value.charCodeAt(0) === 0 ? utf8.encode(value) : value;
  }
  return mode === "bytes" || value[0] === 0 ? value.slice() : text.decode(value);
}

/** Whether a stored value has the same UTF-8 bytes as `token`. */
export function equals(value: StoredValue, token: string): boolean {
  if (typeof value === "string") {
    return value === (token.isWellFormed() ? token : token.toWellFormed());
  }
  const bytes = utf8.encode(token);
  return bytes.length === value.length && bytes.every((byte, i) => byte === value[i]);
}

/** The accounted size of an entry: key length plus value length. */
export function sizeOf(key: string, value: StoredValue): number {
  return key.length + (typeof value === "string" ? value.length : value.byteLength);
}

/** A key for an error message: quoted, and cut short when long. */
export function quote(key: string): string {
  return JSON.stringify(key.length > 100 ? `${key.slice(0, 100)}…` : key);
}
