/**
 * Named memory stores: caches made with the same `memory://name` share one
 * `MemoryStore`, as Django's LocMem does; closing the last cache that uses
 * it empties it.
 *
 * @module
 */

import { MemoryStore } from "./memory_store.ts";
import type { CacheStore } from "./store.ts";

/** Memory stores by name, with how many open caches use each. */
const memoryStores = new Map<string, { store: MemoryStore; users: number }>();

/**
 * The shared memory store `name`, seen through a handle whose `close()`
 * only lets go of it (once); the last handle's close empties the store.
 *
 * @param name The name after `memory://` (`""` for `memory://`).
 * @param options Bounds, used when the store is made by this call.
 */
export function sharedMemoryStore(
  name: string,
  options: { maxEntries?: number; maxBytes?: number },
): CacheStore {
  let entry = memoryStores.get(name);
  if (entry === undefined) {
    entry = { store: new MemoryStore(options), users: 0 };
    memoryStores.set(name, entry);
  }
  entry.users++;
  const shared = entry;
  let closed = false;
  return new Proxy(shared.store, {
    get(target, property) {
      if (property === "close") {
        return () => {
          if (closed) return Promise.resolve();
          closed = true;
          if (--shared.users > 0) return Promise.resolve();
          memoryStores.delete(name);
          return target.close();
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
