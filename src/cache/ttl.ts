/**
 * Times to live: milliseconds, or duration strings such as `"90s"`, `"5m"`,
 * `"1h30m"`.
 *
 * @module
 */

import {
  checkDurationRange as checkRange,
  DURATION_EXAMPLES as EXAMPLES,
  durationMs,
  parseDuration,
  showValue as show,
} from "../util/duration.ts";

/** What a `ttl` option accepts: ms, a duration string, `null` (forever), or omitted. */
export type TtlOption = number | string | null | undefined;

export { parseDuration };

/**
 * Reads a `ttl` option. Numbers are milliseconds (fractions rounded up),
 * strings are durations (see `parseDuration`), `null` means forever, and
 * `undefined` means `defaultTtl`.
 *
 * @param ttl The caller's `ttl`.
 * @param defaultTtl The cache's `defaultTtl`, used when `ttl` is `undefined`.
 * @returns Milliseconds (positive), `null` for no expiry, or `0` when the
 *   TTL is zero or negative: the key is to be deleted, nothing stored.
 * @throws {TypeError} For a string that is not a duration, NaN, ±Infinity,
 *   or another type; the message names the value.
 * @throws {RangeError} When the TTL is over `Number.MAX_SAFE_INTEGER` ms.
 * @example
 * ```ts
 * import { parseTtl } from "./ttl.ts";
 *
 * parseTtl("5m", 300_000); // 300_000
 * parseTtl(undefined, 60_000); // 60_000
 * parseTtl(null, 60_000); // null
 * parseTtl(-1, 60_000); // 0
 * ```
 */
export function parseTtl(ttl: TtlOption, defaultTtl: number | null): number | null {
  const value: unknown = ttl === undefined ? defaultTtl : ttl;
  if (value === null) return null;
  let ms = NaN;
  if (typeof value === "number" && Number.isFinite(value)) ms = Math.ceil(value);
  else if (typeof value === "string") ms = durationMs(value);
  if (Number.isNaN(ms)) {
    throw new TypeError(
      `Invalid TTL ${show(value)}: expected milliseconds or a duration such as ${EXAMPLES}`,
    );
  }
  return ms > 0 ? checkRange(ms, "TTL", value) : 0;
}
