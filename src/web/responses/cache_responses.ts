/**
 * `cacheResponses(handler, options)`: a standard handler whose responses
 * are cached in Redis.
 *
 * @module
 */

import type { Handler } from "../handler.ts";
import type { ResponseCacheOptions } from "./options.ts";
import { ResponseCache } from "./response_cache.ts";

/**
 * Purging cached responses and waiting for background refreshes.
 *
 * @example Purging a product's pages after it changed
 * ```ts
 * import { cacheResponses, createCache, type ResponseCacheControls } from "@redcache/redcache";
 *
 * async function productChanged(pages: ResponseCacheControls, id: string): Promise<void> {
 *   await pages.purgeUrl(`https://example.com/products/${id}`);
 *   await pages.purgeTags([`product:${id}`]);
 * }
 * const cache = createCache({ url: "redis://127.0.0.1:6379", keyPrefix: "site" });
 * await using pages = cacheResponses(() => new Response("<h1>Product</h1>"), { cache });
 * await productChanged(pages, "1");
 * ```
 */
export interface ResponseCacheControls extends AsyncDisposable {
  /** Purges every cached response of a URL (all its Vary variants), in every process. */
  purgeUrl(url: string | URL): Promise<void>;
  /** Purges the cached responses whose key (by default: URL) starts with `prefix`; resolves with the count. */
  purgePrefix(prefix: string): Promise<number>;
  /** Purges the responses tagged with any of `tags` (and every cache value written with them). */
  purgeTags(tags: readonly string[]): Promise<void>;
  /** Stops starting background refreshes and waits for the running ones; the cache stays open. */
  close(): Promise<void>;
}

/**
 * A handler with a response cache in front of it.
 *
 * @example Calling the cached handler directly
 * ```ts
 * import { type CachedHandler, cacheResponses, createCache } from "@redcache/redcache";
 *
 * const cache = createCache({ url: "redis://127.0.0.1:6379", keyPrefix: "site" });
 * const pages: CachedHandler = cacheResponses(() => new Response("<h1>Hello</h1>"), { cache });
 * const response = await pages(new Request("https://example.com/"));
 * await pages.close();
 * ```
 */
export interface CachedHandler extends ResponseCacheControls {
  /** Answers a request, from the cache when it can. */
  (request: Request): Promise<Response>;
}

/**
 * Wraps `handler` in a response cache stored in Redis.
 *
 * - Cached: `GET` responses with status 200, 203, 204, 301, 404 or 410,
 *   without `Set-Cookie`, `Cache-Control: private`/`no-store`/`no-cache`, or
 *   `Vary: *`, with a body of at most `maxBodyBytes` (not an event stream).
 *   `HEAD` is answered from the `GET` entry. With the default key, requests
 *   with `Authorization` or `Cookie` are not cached.
 * - Freshness: `s-maxage`, else `max-age`, else `ttl`; then
 *   `stale-while-revalidate` (or the option) serves the stale response while
 *   one background refresh runs. `Age` is added; `If-None-Match` and
 *   `If-Modified-Since` get a 304 (a strong `ETag` is made when missing).
 * - Concurrent misses of one key render once per process, and once across
 *   processes while the lock holder renders. A handler error is never cached
 *   and reaches the caller. Redis failures pass requests to the handler.
 *
 * @param handler The handler whose responses are cached.
 * @param options The cache and how to use it.
 * @returns A handler, with `purgeUrl`, `purgePrefix`, `purgeTags` and `close`.
 * @throws {TypeError} For an unknown option, a missing `cache` or a value of the wrong type.
 * @throws {RangeError} For a number out of range.
 *
 * @example Caching rendered pages
 * ```ts
 * import { cacheResponses, createCache, type Handler } from "@redcache/redcache";
 *
 * const render: Handler = (request) =>
 *   new Response(`<h1>${new URL(request.url).pathname}</h1>`, {
 *     headers: { "Content-Type": "text/html", "Surrogate-Key": "product:1" },
 *   });
 * const cache = createCache({ url: "redis://127.0.0.1:6379", keyPrefix: "site" });
 * const pages = cacheResponses(render, { cache, ttl: "5m", vary: ["Accept-Language"] });
 * Deno.serve(pages);
 * await pages.purgeUrl("https://example.com/products/1");
 * await pages.purgeTags(["product:1"]); // entries whose Surrogate-Key lists it
 * ```
 */
export function cacheResponses(handler: Handler, options: ResponseCacheOptions): CachedHandler {
  if (typeof handler !== "function") {
    throw new TypeError("Invalid handler for cacheResponses(): expected a function");
  }
  const responses = new ResponseCache(options, "cacheResponses()");
  const cached = (request: Request) => responses.handle(request, handler);
  return Object.assign(cached, controls(responses));
}

/**
 * The purge and close methods of `responses`, bound.
 *
 * @param responses The core.
 * @returns Its controls.
 */
export function controls(responses: ResponseCache): ResponseCacheControls {
  return {
    purgeUrl: (url) => responses.purgeUrl(url),
    purgePrefix: (prefix) => responses.purgePrefix(prefix),
    purgeTags: (tags) => responses.purgeTags(tags),
    close: () => responses.close(),
    [Symbol.asyncDispose]: () => responses.close(),
  };
}
