/**
 * The `CacheAccess` record of one cache (see `cache_access.ts`): full keys,
 * the raw command target, the value coder, and bytes stored without the
 * serializer (the cache's compressor and tags still apply).
 *
 * @module
 */

import type { RedisTarget } from "../client/target.ts";
import type { BytesGetOptions, BytesSetOptions, CacheAccess } from "./cache_access.ts";
import { checkOptionKeys } from "../util/options.ts";
import type { KeyNames } from "./key_names.ts";
import type { OpenedStore } from "./open_store.ts";
import { rawSerializer } from "./serializers/raw.ts";
import { checkTags, isTagged, type TagVersions } from "./tags.ts";
import { parseTtl } from "./ttl.ts";
import type { ValueCoder } from "./value_coder.ts";

const SET_KEYS = ["ttl", "tags"];
const utf8 = /* @__PURE__ */ new TextEncoder();

/**
 * The access record of a cache's parts.
 *
 * @param opened The cache's stores and client.
 * @param tags The cache's tag versions.
 * @param names The cache's key naming.
 * @param coder The cache's value coder (its compressor also serves bytes).
 */
export function byteAccess(
  opened: OpenedStore,
  tags: TagVersions,
  names: KeyNames,
  coder: ValueCoder,
): CacheAccess {
  const store = opened.store;
  const bytes = coder.withSerializer(rawSerializer);
  return {
    key: (key) => names.key(key),
    client: opened.client as RedisTarget | undefined,
    coder,
    async getBytes(key: string, options?: BytesGetOptions): Promise<Uint8Array | undefined> {
      const full = names.key(key);
      let stored = options?.tags === undefined
        ? await store.get(full, "bytes")
        : await tags.readWith(() => store.get(full, "bytes"), key, options.tags);
      if (stored !== null && isTagged(stored)) stored = await tags.open(stored, key);
      if (stored === null) return undefined;
      const value = bytes.decode(stored, key) as string | Uint8Array;
      return typeof value === "string" ? utf8.encode(value) : value;
    },
    async setBytes(key: string, value: Uint8Array, options: BytesSetOptions = {}) {
      checkOptionKeys(options, SET_KEYS, "setBytes()");
      const full = names.key(key);
      const ttl = parseTtl(options.ttl, names.defaultTtl);
      if (ttl === 0) {
        await store.delete([full]);
        return false;
      }
      const list = options.tags === undefined ? [] : checkTags(options.tags, "setBytes()");
      const framed = await tags.frame(list, bytes.encode(value, key), ttl);
      return await store.set(full, framed, ttl);
    },
  };
}
