/**
 * Reads an installed npm package's version from its package.json.
 *
 * @module
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** `6.0.0`, or `unknown` when the package.json cannot be read. */
export function packageVersion(name: string): string {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return "unknown";
  }
}
