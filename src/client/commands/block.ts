/**
 * The server timeout of a blocking command (`BLPOP`, `BZPOPMIN`, …), checked
 * and turned into the `block` option of `sendMapped`. Not part of the
 * command class chain.
 *
 * @module
 */

/**
 * Checks a blocking command's server timeout (seconds, `0` forever) and returns it in
 * milliseconds, for `sendMapped`'s `block` option.
 *
 * @throws {TypeError} When `timeout` is not a number, negative, NaN or infinite.
 */
export function blockMs(timeout: number, method: string): number {
  if (typeof timeout !== "number" || !(timeout >= 0) || !Number.isFinite(timeout)) {
    throw new TypeError(
      `Invalid timeout ${String(timeout).slice(0, 20)} for ${method}(): ` +
        "expected seconds, 0 (forever) or more",
    );
  }
  return timeout * 1000;
}
