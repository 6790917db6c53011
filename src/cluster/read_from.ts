/**
 * `readFrom`: where reads go (the primary, replicas, or both), and its
 * validation. Shared by the cluster client and the replica strategies above.
 *
 * @module
 */

/**
 * Where reads go: `"primary"` (the default: always fresh), `"replica"`
 * (replicas, the primary when none is healthy), or `"any"` (the primary and
 * the replicas in turn).
 *
 * @example
 * ```ts
 * import { createCache, type ReadFrom } from "@redcache/redcache";
 *
 * const readFrom: ReadFrom = "replica";
 * const cache = createCache({
 *   url: "redis://10.0.0.1:6379",
 *   replicas: ["redis://10.0.0.2:6379", "redis://10.0.0.3:6379"],
 *   readFrom,
 * });
 * ```
 */
export type ReadFrom = "primary" | "replica" | "any";

/** Checks a `readFrom` option. */
export function checkReadFrom(value: unknown): ReadFrom {
  if (value === undefined) return "primary";
  if (value === "primary" || value === "replica" || value === "any") return value;
  throw new TypeError(
    `Invalid option "readFrom": expected "primary", "replica" or "any", got ${
      JSON.stringify(value)?.slice(0, 40)
    }`,
  );
}
