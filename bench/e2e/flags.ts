/**
 * The `--name=N` flags of the floor scripts.
 *
 * @module
 */
import process from "node:process";

/** The value of `--name=N` on the command line (a positive whole number), or `fallback`. */
export function flag(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  const value = arg === undefined ? fallback : Number(arg.slice(name.length + 3));
  if (!Number.isInteger(value) || value < 1) {
    throw new TypeError(`--${name} expects a positive whole number`);
  }
  return value;
}
