/**
 * Tags: `set(key, value, { tags })` and `invalidateTags(tags)`, by logical
 * invalidation. Each tag has a version key in Redis holding a random token.
 * A tagged value is stored in a frame that records, for each of its tags,
 * the tag's version key and the token it held when the value was written;
 * a read compares them with the tokens now stored and treats any difference
 * (or a missing version key) as a miss. `invalidateTags` writes new tokens.
 *
 * Why this shape:
 * - bounded work: an invalidation writes one key per tag, however many
 *   entries carry it; a read of a tagged value reads one key per tag;
 * - no race: a value written with a token read before an invalidation
 *   carries the old token, so it reads as a miss after the invalidation
 *   resolves, even if its write lands later;
 * - shard and cluster: every key stands alone (values and version keys may
 *   live on different servers), and nothing needs a multi-key transaction.
 *
 * Frame: `00 C3 0E`, a tag count (1 byte), then per tag a 2-byte length and
 * the UTF-8 version key, a 1-byte length and the token, then the stored
 * value as it would be without tags. Id 14 is reserved next to the
 * compressors' ids (1–3 built in, 16–255 custom).
 *
 * @module
 */

import { SerializationError } from "../errors.ts";
import type { CacheStore, StoredValue } from "./stores/store.ts";

/** The most tags a value may carry. */
export const MAX_TAGS = 64;

const MAGIC_0 = 0x00;
const MAGIC_1 = 0xc3;
const TAGGED = 0x0e;
const HEADER = 4;

const encoder = /* @__PURE__ */ new TextEncoder();
const decoder = /* @__PURE__ */ new TextDecoder("utf-8", { fatal: true });

/** True when `stored` is a tagged frame. */
export function isTagged(stored: StoredValue): stored is Uint8Array {
  return typeof stored !== "string" && stored.length >= HEADER && stored[0] === MAGIC_0 &&
    stored[1] === MAGIC_1 && stored[2] === TAGGED;
}

/** A tagged frame taken apart. */
export interface TaggedValue {
  /** Version keys of the tags. */
  keys: string[];
  /** The token each version key held at write time. */
  tokens: string[];
  /** The value as stored without tags. */
  inner: Uint8Array;
}

/**
 * `inner` in a frame with the tags' version keys and tokens.
 *
 * @param keys Version keys of the tags.
 * @param tokens The token of each.
 */
export function frameTagged(
  keys: readonly string[],
  tokens: readonly string[],
  inner: StoredValue,
): Uint8Array {
  const body = typeof inner === "string" ? encoder.encode(inner) : inner;
  const parts = keys.map((key) => encoder.encode(key));
  let size = HEADER + body.length;
  for (let i = 0; i < parts.length; i++) size += 3 + parts[i].length + tokens[i].length;
  const out = new Uint8Array(size);
  out.set([MAGIC_0, MAGIC_1, TAGGED, keys.length]);
  let at = HEADER;
  for (let i = 0; i < parts.length; i++) {
    const key = parts[i];
    out[at] = key.length >> 8;
    out[at + 1] = key.length & 0xff;
    out.set(key, at + 2);
    at += 2 + key.length;
    const token = encoder.encode(tokens[i]);
    out[at] = token.length;
    out.set(token, at + 1);
    at += 1 + token.length;
  }
  out.set(body, at);
  return out;
}

/**
 * A tagged frame taken apart.
 *
 * @param key The caller's key, for the error message.
 * @throws {SerializationError} When the frame is cut short.
 */
export function unframeTagged(frame: Uint8Array, key: string): TaggedValue {
  const count = frame[3];
  const keys: string[] = [];
  const tokens: string[] = [];
  let at = HEADER;
  try {
    for (let i = 0; i < count; i++) {
      const keyLength = (frame[at] << 8) | frame[at + 1];
      const tokenAt = at + 2 + keyLength;
      if (tokenAt >= frame.length) throw new RangeError("short");
      keys.push(decoder.decode(frame.subarray(at + 2, tokenAt)));
      const next = tokenAt + 1 + frame[tokenAt];
      if (next > frame.length) throw new RangeError("short");
      tokens.push(decoder.decode(frame.subarray(tokenAt + 1, next)));
      at = next;
    }
  } catch {
    throw new SerializationError(
      `Cannot decode the value of key "${key.slice(0, 100)}" as its tag list is malformed`,
    );
  }
  return { keys, tokens, inner: frame.subarray(at) };
}

/** A fresh random token: 64 bits as hex. */
function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  let text = "";
  for (const byte of bytes) text += byte.toString(16).padStart(2, "0");
  return text;
}

/**
 * Checks a list of tags: strings of 1 to 1,000 characters, at most `MAX_TAGS`.
 *
 * @throws {TypeError} For anything else.
 */
export function checkTags(tags: unknown, where: string): readonly string[] {
  if (!Array.isArray(tags)) {
    throw new TypeError(`Invalid option "tags" for ${where}: expected an array of strings`);
  }
  if (tags.length > MAX_TAGS) {
    throw new TypeError(`Invalid option "tags" for ${where}: more than ${MAX_TAGS} tags`);
  }
  for (const tag of tags) {
    if (typeof tag !== "string" || tag.length === 0 || tag.length > 1000) {
      throw new TypeError(
        `Invalid tag for ${where}: expected a string of 1 to 1000 characters`,
      );
    }
  }
  return [...new Set(tags as string[])];
}

/** The tag versions of one cache, in its store. */
export class TagVersions {
  #store: CacheStore;
  #keyOf: (tag: string) => string;

  /**
   * @param store Where version keys live (not the herd store: they never expire).
   * @param keyOf The version key of a tag.
   */
  constructor(store: CacheStore, keyOf: (tag: string) => string) {
    this.#store = store;
    this.#keyOf = keyOf;
  }

  /**
   * Frames values with the current tokens of `tags` (creating those that
   * are missing); one read of the tokens serves every value framed. Each
   * version key is kept at least `ttl` ms (the values' TTL; `null`: forever),
   * so that version keys go away with the last value that needs them.
   */
  async framer(
    tags: readonly string[],
    ttl: number | null,
  ): Promise<(inner: StoredValue) => StoredValue> {
    if (tags.length === 0) return (inner) => inner;
    const keys = tags.map(this.#keyOf);
    const tokens = await Promise.all(keys.map((key) => this.#store.ensure(key, newToken(), ttl)));
    return (inner) => frameTagged(keys, tokens, inner);
  }

  /** `inner` framed with the current tokens of `tags`, for a value kept `ttl` ms. */
  async frame(
    tags: readonly string[],
    inner: StoredValue,
    ttl: number | null,
  ): Promise<StoredValue> {
    return (await this.framer(tags, ttl))(inner);
  }

  /**
   * The value inside a tagged frame when every tag still holds its token,
   * else `null`. `known` holds tokens already read (version key → token),
   * so that a caller who read them with the value pays no second round trip.
   *
   * @param key The caller's key, for error messages.
   */
  async open(
    frame: Uint8Array,
    key: string,
    known?: ReadonlyMap<string, StoredValue | null>,
  ): Promise<Uint8Array | null> {
    const { keys, tokens, inner } = unframeTagged(frame, key);
    const missing = known === undefined ? keys : keys.filter((k) => !known.has(k));
    const read = missing.length === 0 ? [] : await this.#store.getMany(missing, "text");
    for (let i = 0; i < keys.length; i++) {
      const token = known?.has(keys[i]) ? known.get(keys[i]) : read[missing.indexOf(keys[i])];
      if (token === null || typeof token !== "string" || token !== tokens[i]) return null;
    }
    return inner;
  }

  /**
   * Runs `read` and, in the same round trip, reads the tokens of `tags` (the
   * tags its value is expected to carry); a tagged value is then checked
   * without a second round trip when it carries no other tags.
   *
   * @param callerKey The caller's key, for error messages.
   */
  async readWith(
    read: () => Promise<StoredValue | null>,
    callerKey: string,
    tags: readonly string[],
  ): Promise<StoredValue | null> {
    const tagKeys = tags.map(this.#keyOf);
    const [stored, tokens] = await Promise.all([
      read(),
      tagKeys.length === 0 ? [] : this.#store.getMany(tagKeys, "text"),
    ]);
    if (stored === null || !isTagged(stored)) return stored;
    const known = new Map(tagKeys.map((k, i) => [k, tokens[i]] as const));
    return await this.open(stored, callerKey, known);
  }

  /**
   * A stored value with its tags checked: as it is when untagged, the inner
   * value when its tags hold, `null` when one was invalidated.
   */
  read(stored: StoredValue | null, key: string): Promise<StoredValue | null> | StoredValue | null {
    if (stored === null || !isTagged(stored)) return stored;
    return this.open(stored, key);
  }

  /**
   * Deletes the tags' version keys: values written before carry tokens
   * that no longer exist, and the next write of a tag makes a new token.
   */
  async invalidate(tags: readonly string[]): Promise<void> {
    if (tags.length === 0) return;
    await this.#store.delete(tags.map(this.#keyOf));
  }
}
