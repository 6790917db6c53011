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
 * ```ts ignore
 * createCache({ url: primary, replicas: [replica1, replica2], readFrom: "replica" });
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
