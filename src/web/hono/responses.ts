/**
 * The response cache of `cacheResponses()` as Hono middleware.
 *
 * @module
 */

import type { MiddlewareHandler } from "hono";
import { controls, type ResponseCacheControls } from "../responses/cache_responses.ts";
import type { ResponseCacheOptions } from "../responses/options.ts";
import { ResponseCache } from "../responses/response_cache.ts";

/**
 * The middleware, with `purgeUrl`, `purgePrefix`, `purgeTags` and `close`.
 *
 * @example Purging a section of the site
 * ```ts
 * import { Hono } from "hono";
 * import { createCache } from "@redcache/redcache";
 * import { responseCache, type ResponseCacheMiddleware } from "@redcache/redcache/hono";
 *
 * const cache = createCache({ url: "redis://127.0.0.1:6379", keyPrefix: "site" });
 * const pages: ResponseCacheMiddleware = responseCache({ cache, ttl: "10m" });
 * const app = new Hono();
 * app.get("/blog/*", pages, (c) => c.html("<h1>Blog</h1>"));
 * await pages.purgePrefix("https://example.com/blog/"); // resolves with the count purged
 * ```
 */
export type ResponseCacheMiddleware = MiddlewareHandler & ResponseCacheControls;

/**
 * Hono middleware that caches the responses of the handlers after it in
 * Redis, as `cacheResponses()` does, with one difference: Hono cannot run a
 * handler after its request ended, so a stale entry is refreshed by the
 * request that wins the refresh (in the foreground) while every other
 * request meanwhile gets the stale response.
 *
 * @param options As for `cacheResponses()`.
 * @returns The middleware, with the purge methods and `close()`.
 * @throws {TypeError} For an unknown option, a missing `cache` or a value of the wrong type.
 * @throws {RangeError} For a number out of range.
 * @example Caching a Hono app's pages
 * ```ts
 * import { Hono } from "hono";
 * import { createCache } from "@redcache/redcache";
 * import { responseCache } from "@redcache/redcache/hono";
 *
 * const cache = createCache({ url: "redis://127.0.0.1:6379", keyPrefix: "site" });
 * const pages = responseCache({ cache, ttl: "5m" });
 * const app = new Hono();
 * app.use("/products/*", pages);
 * app.get("/products/:id", (c) => c.html(`<h1>Product ${c.req.param("id")}</h1>`));
 * await pages.purgeUrl("https://example.com/products/1");
 * ```
 */
export function responseCache(options: ResponseCacheOptions): ResponseCacheMiddleware {
  const responses = new ResponseCache(options, "responseCache()");
  const middleware: MiddlewareHandler = async (c, next) => {
    const downstream = async (): Promise<Response> => {
      await next(); // a handler's error is already Hono's error response (status 500) here
      return c.res;
    };
    const response = await responses.handle(c.req.raw, downstream, { refresh: "inline" });
    if (response !== c.res) {
      c.res = undefined; // replace, not merge: Hono would copy the old headers over
      c.res = response;
    }
  };
  return Object.assign(middleware, controls(responses));
}
