/**
 * Times to live: milliseconds, or duration strings such as `"90s"`, `"5m"`,
 * `"1h30m"`.
 *
 * @module
 */

/** What a `ttl` option accepts: ms, a duration string, `null` (forever), or omitted. */
export type TtlOption = number | string | null | undefined;

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
/** One part of a duration: a number, a unit, and optional spaces around them. */
const PART = /\s*(\d+)(?:\.(\d+))?\s*(ms|s|m|h|d|w)\s*/y;
const EXAMPLES = `"90s", "5m", "1h", "1d"`;

/** A value for an error message: strings quoted and cut, others by type. */
function show(value: unknown): string {
  if (typeof value === "string") {
    return value.length > 40 ? `${JSON.stringify(value.slice(0, 40))}…` : JSON.stringify(value);
  }
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value === "bigint") return `${value}n`;
  return `of type ${value === null ? "null" : typeof value}`;
}

/** Milliseconds in a duration string, or NaN when it is not one. */
function durationMs(text: string): number {
  let total = 0;
  let position = 0;
  while (position < text.length) {
    PART.lastIndex = position;
    const match = PART.exec(text);
    if (match === null) return NaN;
    const [, whole, fraction = "", unit] = match;
    // "0.1s" as 1 * 1000 / 10, exact where 0.1 * 1000 would not be.
    total += (Number(whole + fraction) * UNIT_MS[unit]) / 10 ** fraction.length;
    position = PART.lastIndex;
  }
  return position === 0 ? NaN : Math.ceil(total);
}

function checkRange(ms: number, label: string, value: unknown): number {
  if (ms > Number.MAX_SAFE_INTEGER) {
    throw new RangeError(
      `Invalid ${label} ${show(value)}: it is over ${Number.MAX_SAFE_INTEGER} ms`,
    );
  }
  return ms;
}

/**
 * Reads a duration string: parts of a number and a unit (`ms`, `s`, `m`,
 * `h`, `d`, `w`), optionally separated by spaces, added up; fractions of a
 * millisecond are rounded up.
 *
 * @param text A duration such as `"500ms"`, `"90s"`, `"1h30m"`, `"1.5d"`.
 * @returns The duration in whole milliseconds.
 * @throws {TypeError} When `text` is not such a string.
 * @throws {RangeError} When the duration is over `Number.MAX_SAFE_INTEGER` ms.
 * @example
 * ```ts ignore
 * parseDuration("1h 30m"); // 5_400_000
 * parseDuration("250ms"); // 250
 * ```
 */
export function parseDuration(text: string): number {
  const ms = typeof text === "string" ? durationMs(text) : NaN;
  if (Number.isNaN(ms)) {
    throw new TypeError(`Invalid duration ${show(text)}: expected a duration such as ${EXAMPLES}`);
  }
  return checkRange(ms, "duration", text);
}

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
 * ```ts ignore
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
