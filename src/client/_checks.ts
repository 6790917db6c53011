/**
 * Value checks for connection options: each throws a `TypeError` or
 * `RangeError` that names the option.
 *
 * @module
 */

/** A number, 0 or more (optionally `Infinity`). */
export function checkPositive(value: unknown, name: string, allowInfinity = false): number {
  if (
    typeof value !== "number" || !(value >= 0) ||
    (!Number.isFinite(value) && !(allowInfinity && value === Infinity))
  ) {
    throw new TypeError(`Invalid option "${name}": expected a number, 0 or more`);
  }
  return value;
}

/** A whole number between `min` and `max`. */
export function checkInteger(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new TypeError(`Invalid option "${name}": expected a whole number, got ${typeof value}`);
  }
  if (value < min || value > max) {
    throw new RangeError(`Invalid option "${name}": ${value} is not between ${min} and ${max}`);
  }
  return value;
}

/** A string, or `undefined`. */
export function checkString(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new TypeError(`Invalid option "${name}": expected a string`);
  return value;
}
