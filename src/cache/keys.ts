/**
 * Cache keys: the Django key format, key checks, and glob escaping for SCAN
 * patterns.
 *
 * @module
 */

/** Longest key accepted, in UTF-8 bytes (16 KiB). */
export const MAX_KEY_BYTES = 16_384;
/** How many characters of a key an error message shows. */
const SHOWN_CHARS = 40;

/**
 * Builds the full Redis key from a cache key, the cache's `keyPrefix` and
 * its `version`. Must be deterministic and must keep distinct keys distinct.
 *
 * @example
 * ```ts
 * import { createCache, type KeyFunction } from "@redcache/redcache";
 *
 * const keyFunction: KeyFunction = (key, prefix, version) => `${prefix}/v${version}/${key}`;
 * const cache = createCache({ keyPrefix: "app", keyFunction });
 * ```
 */
export type KeyFunction = (key: string, prefix: string, version: number) => string;

/**
 * Django's key format, `prefix:version:key`.
 *
 * @param key The cache key.
 * @param prefix The cache's `keyPrefix` (may be empty).
 * @param version The key's version.
 * @returns The full Redis key.
 * @throws Never.
 * @example
 * ```ts
 * import { defaultKeyFunction } from "./keys.ts";
 *
 * defaultKeyFunction("user:1", "app", 1); // "app:1:user:1"
 * ```
 */
export const defaultKeyFunction: KeyFunction = (
  key: string,
  prefix: string,
  version: number,
): string => `${prefix}:${version}:${key}`;

/**
 * Escapes the characters that are special in a Redis glob (`\ * ? [ ]`),
 * so that `text` matches only itself inside a SCAN or KEYS pattern.
 *
 * @param text Literal text, e.g. a key prefix.
 * @returns The text with each special character preceded by a backslash.
 * @throws Never.
 * @example
 * ```ts
 * import { createCache, escapeGlob } from "@redcache/redcache";
 *
 * escapeGlob("app[1]*"); // "app\\[1\\]\\*"
 * await using cache = createCache("redis://127.0.0.1:6379/1");
 * for await (const key of cache.scan(`${escapeGlob("report[2024]")}:*`)) console.log(key);
 * ```
 */
export function escapeGlob(text: string): string {
  return text.replace(/[\\*?[\]]/g, "\\$&");
}

/**
 * Quotes a key for an error message, showing at most its first 40
 * characters.
 *
 * @param key The key.
 * @returns The key as a JSON string, cut with `…` when longer.
 * @throws Never.
 * @example
 * ```ts
 * import { quoteKey } from "./keys.ts";
 *
 * quoteKey("user:1"); // '"user:1"'
 * ```
 */
export function quoteKey(key: string): string {
  if (key.length <= SHOWN_CHARS) return JSON.stringify(key);
  let end = SHOWN_CHARS;
  const last = key.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--; // do not split a surrogate pair
  return `${JSON.stringify(key.slice(0, end))}…`;
}

/** UTF-8 length of a string (lone surrogates count 3, as TextEncoder writes U+FFFD). */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Checks a cache key: a non-empty string of at most 16 KiB in UTF-8.
 *
 * @param key The key given by the caller.
 * @returns The key.
 * @throws {TypeError} When the key is not a string, is empty, or is longer
 *   than 16 KiB in UTF-8; the message shows at most its first 40 characters.
 * @example
 * ```ts
 * import { checkKey } from "./keys.ts";
 *
 * checkKey("user:1"); // "user:1"
 * checkKey(""); // TypeError: Invalid cache key "": a key must not be empty
 * ```
 */
export function checkKey(key: unknown): string {
  if (typeof key !== "string") {
    const kind = key === null ? "null" : typeof key;
    throw new TypeError(`Invalid cache key of type ${kind}: a key must be a string`);
  }
  if (key.length === 0) throw new TypeError(`Invalid cache key "": a key must not be empty`);
  // Each UTF-16 unit is at most 3 UTF-8 bytes, and at least 1.
  if (key.length * 3 > MAX_KEY_BYTES) {
    const bytes = key.length > MAX_KEY_BYTES ? key.length : utf8Length(key);
    if (bytes > MAX_KEY_BYTES) {
      throw new TypeError(
        `Invalid cache key ${quoteKey(key)}: a key must be at most ${MAX_KEY_BYTES} bytes in UTF-8`,
      );
    }
  }
  return key;
}

/** A part of a prefix that reads as a version number (`1`, `-2`, `007`). */
const NUMBER_PART = /^-?[0-9]+$/;

/**
 * Checks a `keyPrefix` for the default key format `prefix:version:key`: a
 * prefix whose part after any `:` is a whole number cannot be told apart
 * from a shorter prefix plus a version (`"app:2"` with version 1 writes
 * `app:2:1:k`, which is also key `1:k` of `"app"` at version 2), so such a
 * prefix is refused. Every other prefix, glob characters included, owns the
 * keys that start with `prefix:version:` and no other prefix does.
 *
 * @param prefix The `keyPrefix` option.
 * @returns The prefix.
 * @throws {TypeError} When the prefix is not a string, or has a part after
 *   a `:` that is a whole number.
 * @example
 * ```ts
 * import { checkPrefix } from "./keys.ts";
 *
 * checkPrefix("app:"); // "app:"
 * checkPrefix("app:2"); // TypeError
 * ```
 */
export function checkPrefix(prefix: unknown): string {
  if (typeof prefix !== "string") {
    throw new TypeError('Invalid option "keyPrefix": expected a string');
  }
  const parts = prefix.split(":");
  for (let i = 1; i < parts.length; i++) {
    if (NUMBER_PART.test(parts[i])) {
      const shorter = parts.slice(0, i).join(":");
      throw new TypeError(
        `Invalid option "keyPrefix" ${quoteKey(prefix)}: a part after ":" must not be a ` +
          `whole number, or its keys could not be told apart from those of keyPrefix ` +
          `${quoteKey(shorter)} at version ${parts[i]}`,
      );
    }
  }
  return prefix;
}

/**
 * Whether a full key belongs to `prefix` at some version under the default
 * key format: it starts with `prefix:`, then a whole number, then `:`.
 *
 * @param full A full Redis key.
 * @param prefix A prefix accepted by {@linkcode checkPrefix}.
 * @returns True when the key is `prefix:<integer>:<anything>`.
 * @throws Never.
 * @example
 * ```ts
 * import { ownsKey } from "./keys.ts";
 *
 * ownsKey("app:1:user", "app"); // true
 * ownsKey("app::1:user", "app"); // false (keyPrefix "app:")
 * ```
 */
export function ownsKey(full: string, prefix: string): boolean {
  if (!full.startsWith(prefix) || full.charCodeAt(prefix.length) !== 0x3a) return false;
  let i = prefix.length + 1;
  if (full.charCodeAt(i) === 0x2d) i++;
  const digits = i;
  while (i < full.length) {
    const code = full.charCodeAt(i);
    if (code === 0x3a) return i > digits;
    if (code < 0x30 || code > 0x39) return false;
    i++;
  }
  return false;
}
