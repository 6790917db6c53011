/**
 * The 1 KiB JSON object the cache benches store (`bench/cache.ts`,
 * `bench/near_cache.ts`), so that their figures compare.
 *
 * @module
 */

/** A user record of 1,024 bytes as JSON. */
export const KIB_OBJECT = {
  id: 12345,
  name: "Ada Lovelace",
  email: "ada@example.com",
  tags: Array.from({ length: 20 }, (_, i) => `tag-${i}`),
  bio: "x".repeat(749),
  active: true,
  score: 98.6,
};
