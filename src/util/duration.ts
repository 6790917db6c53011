/**
 * Durations: milliseconds, or strings such as `"90s"`, `"5m"`, `"1h30m"`.
 * One parser for every option that is a duration (TTLs, timeouts, backoff,
 * breaker windows), so they all accept the same forms.
 *
 * @module
 */

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
/** Examples quoted by error messages. */
export const DURATION_EXAMPLES = `"90s", "5m", "1h", "1d"`;

/** A value for an error message: strings quoted and cut, others by type. */
export function showValue(value: unknown): string {
  if (typeof value === "string") {
    return value.length > 40 ? `${JSON.stringify(value.slice(0, 40))}…` : JSON.stringify(value);
  }
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value === "bigint") return `${value}n`;
  return `of type ${value === null ? "null" : typeof value}`;
}

/** Milliseconds in a duration string, or NaN when it is not one. */
export function durationMs(text: string): number {
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

/** Throws a `RangeError` when `ms` is over `Number.MAX_SAFE_INTEGER`. */
export function checkDurationRange(ms: number, label: string, value: unknown): number {
  if (ms > Number.MAX_SAFE_INTEGER) {
    throw new RangeError(
      `Invalid ${label} ${showValue(value)}: it is over ${Number.MAX_SAFE_INTEGER} ms`,
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
 * ```ts
 * import { parseDuration } from "./duration.ts";
 *
 * parseDuration("1h 30m"); // 5_400_000
 * parseDuration("250ms"); // 250
 * ```
 */
export function parseDuration(text: string): number {
  const ms = typeof text === "string" ? durationMs(text) : NaN;
  if (Number.isNaN(ms)) {
    throw new TypeError(
      `Invalid duration ${showValue(text)}: expected a duration such as ${DURATION_EXAMPLES}`,
    );
  }
  return checkDurationRange(ms, "duration", text);
}

/**
 * Reads a duration option: milliseconds (a whole number) or a duration
 * string, between `min` and `max` ms (`Infinity` allowed when `max` is).
 *
 * @param value The option's value.
 * @param name The option's name, for the error message.
 * @param min Smallest value allowed.
 * @param max Largest value allowed.
 * @returns Milliseconds.
 * @throws {TypeError} For another type or a string that is not a duration.
 * @throws {RangeError} Outside `min`..`max`.
 */
export function durationOption(value: unknown, name: string, min: number, max: number): number {
  let ms = NaN;
  if (typeof value === "number") {
    ms = value === Infinity && max === Infinity ? value : Number.isInteger(value) ? value : NaN;
  } else if (typeof value === "string") ms = durationMs(value);
  if (Number.isNaN(ms)) {
    throw new TypeError(
      `Invalid option "${name}": expected milliseconds or a duration such as ${DURATION_EXAMPLES}, got ${
        showValue(value)
      }`,
    );
  }
  if (ms < min || ms > max) {
    throw new RangeError(
      `Invalid option "${name}": ${showValue(value)} is not between ${min} and ${max} ms`,
    );
  }
  return ms;
}
