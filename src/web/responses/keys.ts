/**
 * Keys and tags of cached responses.
 *
 * - primary key: `<namespace>:<key>` where `<key>` is the canonical URL (or
 *   the custom key), then `#name=value` for each header of the `vary` option;
 * - variant key: the primary key, then `#name=value` for each header the
 *   response's `Vary` adds (the primary key then holds a Vary pointer);
 * - URL tag: `<namespace>:url:<canonical URL>`, carried by every entry of a
 *   URL (all its variants), so that purging a URL is one tag invalidation.
 *
 * Variant keys start with their primary key, so a purge by key prefix takes
 * every variant with it.
 *
 * @module
 */

import { escapeGlob } from "../../cache/keys.ts";

/** Longest URL tag kept readable; longer ones end in a hash of the URL. */
const MAX_TAG = 900;

/**
 * A URL as keys and tags use it: without its fragment.
 *
 * @param url An absolute URL.
 * @throws {TypeError} When `url` is not an absolute URL.
 */
export function canonicalUrl(url: string | URL): string {
  const text = typeof url === "string" ? url : url.href;
  const hash = text.indexOf("#");
  if (hash < 0 && typeof url !== "string") return text;
  return new URL(hash < 0 ? text : text.slice(0, hash)).href;
}

/** `#name=value` for each of `names` (lowercased) as `request` has it. */
export function headerSuffix(request: Request, names: readonly string[]): string {
  let suffix = "";
  for (const name of names) {
    suffix += `#${name}=${encodeURIComponent(request.headers.get(name) ?? "")}`;
  }
  return suffix;
}

/**
 * The default key of a request: its URL without the fragment, or
 * `undefined` for a request with credentials (`Authorization` or `Cookie`).
 */
export function defaultKey(request: Request): string | undefined {
  const headers = request.headers;
  if (headers.has("authorization") || headers.has("cookie")) return undefined;
  const url = request.url;
  return url.includes("#") ? canonicalUrl(url) : url;
}

/**
 * The lowercased, sorted names a response's `Vary` adds to `base` (the
 * option's names).
 */
export function varyNames(vary: string | null, base: readonly string[]): readonly string[] {
  if (vary === null) return [];
  const names = new Set<string>();
  for (const part of vary.split(",")) {
    const name = part.trim().toLowerCase();
    if (name !== "" && !base.includes(name)) names.add(name);
  }
  return [...names].sort();
}

/** 64-bit FNV-1a of `text`'s UTF-16 units, as hex. */
function fnv1a(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16);
}

/**
 * The tag every entry of `url` carries. Long URLs are hashed: a collision
 * only purges more than asked.
 *
 * @param namespace The response cache's namespace.
 * @param url A canonical URL.
 */
export function urlTag(namespace: string, url: string): string {
  const tag = `${namespace}:url:${url}`;
  return tag.length <= MAX_TAG ? tag : `${namespace}:url#${fnv1a(url)}`;
}

/**
 * A glob pattern for `deletePattern` that matches every key starting with
 * `prefix` (its glob characters escaped).
 */
export function prefixPattern(namespace: string, prefix: string): string {
  return `${escapeGlob(`${namespace}:${prefix}`)}*`;
}
