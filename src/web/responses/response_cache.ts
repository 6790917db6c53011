/**
 * `ResponseCache`: the framework-free core of the response cache. It looks
 * a request up (following a Vary pointer when the response varies), answers
 * hits and stale hits, and on a miss renders once per key: in-process by a
 * map of running renders, across processes by `cache.lock()`.
 *
 * @module
 */

import { CircuitOpenError, TimeoutError } from "../../errors.ts";
import type { Lock } from "../../cache/lock.ts";
import type { Handler } from "../handler.ts";
import { type Lookup, Lookups } from "./lookup.ts";
import { canonicalUrl, defaultKey, headerSuffix, prefixPattern, urlTag } from "./keys.ts";
import {
  resolveResponseCacheOptions,
  type ResponseCacheOptions,
  type ResponseCacheSettings,
} from "./options.ts";
import { render, type Rendered, type Shared } from "./render.ts";
import { fromStored, withoutTags } from "./stored.ts";

/**
 * How `handle()` treats a stale entry.
 *
 * @example A middleware that must finish within its request
 * ```ts
 * import { createCache, type HandleOptions, ResponseCache } from "@redcache/redcache";
 *
 * const cache = createCache({ url: "redis://127.0.0.1:6379", keyPrefix: "site" });
 * const responses = new ResponseCache({ cache, staleWhileRevalidate: "1m" });
 * const inline: HandleOptions = { refresh: "inline" };
 * const render = () => new Response("<h1>Hello</h1>");
 * const answer = (request: Request) => responses.handle(request, render, inline);
 * ```
 */
export interface HandleOptions {
  /**
   * `"background"`: answer with the stale response and refresh it after
   * (the handler is called again later, with a copy of the request);
   * `"inline"`: the request that wins the refresh renders it while the others
   * get the stale response (for frameworks whose handler cannot run after
   * the request ended, such as Hono middleware).
   *
   * @default {"background"}
   */
  refresh?: "background" | "inline";
}

const HELD = "held";

/** An `Error` for `onError`, from anything thrown. */
function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Caches the responses of a handler in Redis; see `cacheResponses()` for
 * what is cached and how.
 *
 * @example Using the core from a custom adapter
 * ```ts
 * import { createCache, type Handler, ResponseCache } from "@redcache/redcache";
 *
 * const cache = createCache({ url: "redis://127.0.0.1:6379", keyPrefix: "site" });
 * const render: Handler = () => new Response("<h1>Hello</h1>");
 * const responses = new ResponseCache({ cache, ttl: "5m" });
 * const served = (request: Request) => responses.handle(request, render);
 * await responses.purgeUrl("https://example.com/");
 * await responses.close();
 * ```
 */
export class ResponseCache {
  #settings: ResponseCacheSettings;
  #flights = new Map<string, Promise<Shared>>();
  #refreshing = new Set<string>();
  #pending = new Set<Promise<void>>();
  #lookups: Lookups;
  #closed = false;

  /**
   * Creates a response cache; `cacheResponses()` and the Hono
   * `responseCache()` are the usual ways.
   *
   * @param options The response cache's options.
   * @param caller The function named by error messages.
   * @throws {TypeError} For an unknown option, a missing `cache` or a value of the wrong type.
   * @throws {RangeError} For a number out of range.
   */
  constructor(options: ResponseCacheOptions, caller = "new ResponseCache()") {
    this.#settings = resolveResponseCacheOptions(options, caller);
    this.#lookups = new Lookups(
      this.#settings.access,
      (error, op, key) => this.#report(error, op, key),
    );
  }

  /**
   * Answers `request` from the cache, or with `next` (storing its response
   * when it may be). Redis failures never fail the request: it goes to `next`.
   *
   * @param request The client's request.
   * @param next Renders a request (the handler, or the rest of a middleware chain).
   * @param options How stale entries are refreshed.
   * @returns The response.
   * @throws What `next` or the `key` option throws.
   */
  async handle(request: Request, next: Handler, options: HandleOptions = {}): Promise<Response> {
    const method = request.method;
    if (method !== "GET" && method !== "HEAD") return await this.#pass(request, next);
    const custom = this.#settings.key;
    let key = custom === undefined ? defaultKey(request) : custom(request);
    if (key instanceof Promise) key = await key;
    if (key === undefined) return await this.#pass(request, next);
    if (typeof key !== "string") {
      throw new TypeError('Invalid key from option "key": expected a string');
    }
    const primary = `${this.#settings.namespace}:${key}${
      headerSuffix(request, this.#settings.vary)
    }`;
    return await this.#answer(request, next, primary, options.refresh ?? "background", 0);
  }

  async #answer(
    request: Request,
    next: Handler,
    primary: string,
    mode: "background" | "inline",
    depth: number,
  ): Promise<Response> {
    let found: Lookup;
    try {
      found = await this.#lookups.find(request, primary, this.#urlTags(request));
    } catch (error) {
      this.#report(error, "read", primary);
      return await this.#pass(request, next);
    }
    const { key, stored } = found;
    if (stored !== undefined) {
      const age = Date.now() - stored.storedAt;
      if (age < stored.freshFor) return fromStored(stored, request, Date.now());
      if (age < stored.freshFor + stored.staleFor) {
        if (mode === "inline" && request.method !== "HEAD") {
          return await this.#refreshInline(request, next, found, primary);
        }
        // Inline, a HEAD cannot render the GET entry: it gets the stale one, unrefreshed.
        if (mode === "background") this.#refreshLater(request, next, key, primary);
        return fromStored(stored, request, Date.now());
      }
    }
    if (request.method === "HEAD") return await this.#pass(request, next);
    return await this.#fill(request, next, { key, primary, mode }, depth);
  }

  /** The handler's response, without the tag header. */
  async #pass(request: Request, next: Handler): Promise<Response> {
    return withoutTags(await next(request), this.#settings.tagHeader);
  }

  /** Renders and stores (see `render`). */
  #render(request: Request, next: Handler, primary: string, detached: boolean): Promise<Rendered> {
    const remember = (names: readonly string[]) => this.#lookups.remember(primary, names);
    const report = (error: unknown, op: string, key: string) => this.#report(error, op, key);
    return render(this.#settings, report, request, next, { primary, detached, remember });
  }

  /** A miss: joins the render running in this process for `key`, or leads one. */
  async #fill(
    request: Request,
    next: Handler,
    { key, primary, mode }: { key: string; primary: string; mode: "background" | "inline" },
    depth: number,
  ): Promise<Response> {
    const running = this.#flights.get(key);
    if (running !== undefined) {
      const shared = await running;
      const stored = shared.stored;
      if (stored === undefined) return await this.#pass(request, next);
      const names = this.#lookups.varyNames(primary);
      if (primary + headerSuffix(request, names) === shared.key) {
        return fromStored(stored, request, Date.now());
      }
      // The response varies, and this request is another variant: look again.
      if (depth === 0) return await this.#answer(request, next, primary, mode, 1);
      return await this.#pass(request, next);
    }
    const flight = this.#lead(request, next, key, primary);
    const shared = flight.then((rendered) => rendered.shared);
    shared.catch(() => {}); // followers get the error; without followers nobody must.
    this.#flights.set(key, shared);
    try {
      return (await flight).response;
    } finally {
      this.#flights.delete(key);
    }
  }

  /**
   * The process's render for `key`: takes the cross-process lock; when
   * another process holds it, waits for it and reads what it stored (or
   * renders when waiting times out or nothing was stored).
   */
  async #lead(request: Request, next: Handler, key: string, primary: string): Promise<Rendered> {
    const lock = this.#settings.lock;
    if (lock === undefined) return await this.#render(request, next, primary, false);
    const first = await this.#tryLock(key, 0);
    if (first === HELD) {
      const waited = await this.#tryLock(key, lock.wait);
      if (typeof waited === "object") {
        const [found] = await Promise.all([
          this.#readFresh(request, primary),
          this.#release(waited, key),
        ]);
        if (found !== undefined) return found;
      }
      return await this.#render(request, next, primary, false);
    }
    try {
      // Double check: a render that finished between our miss and our lock has stored its response.
      const found = first === undefined ? undefined : await this.#readFresh(request, primary);
      return found ?? await this.#render(request, next, primary, false);
    } finally {
      if (first !== undefined) await this.#release(first, key);
    }
  }

  /** A fresh stored response for `request`, as a render's outcome; `undefined` otherwise. */
  async #readFresh(request: Request, primary: string): Promise<Rendered | undefined> {
    let found: Lookup;
    try {
      found = await this.#lookups.find(request, primary, this.#urlTags(request));
    } catch (error) {
      this.#report(error, "read", primary);
      return undefined;
    }
    const stored = found.stored;
    if (stored === undefined || Date.now() - stored.storedAt >= stored.freshFor) return undefined;
    return {
      response: fromStored(stored, request, Date.now()),
      shared: { key: found.key, stored },
    };
  }

  /** The lock for `key`; `"held"` when another owner kept it for `wait`; `undefined` on failure. */
  async #tryLock(key: string, wait: number): Promise<Lock | typeof HELD | undefined> {
    try {
      return await this.#settings.cache.lock(key, {
        ttl: this.#settings.lock!.ttl,
        wait,
        retryDelay: 25,
      });
    } catch (error) {
      if (error instanceof TimeoutError) return HELD;
      this.#report(error, "lock", key);
      return undefined;
    }
  }

  async #release(lock: Lock, key: string): Promise<void> {
    try {
      await lock.release();
    } catch (error) {
      this.#report(error, "lock", key);
    }
  }

  /** Starts one background refresh of `key` (none when one runs here or in another process). */
  #refreshLater(request: Request, next: Handler, key: string, primary: string): void {
    if (this.#closed || this.#refreshing.has(key)) return;
    this.#refreshing.add(key);
    const task = this.#refresh(request, next, key, primary).finally(() => {
      this.#refreshing.delete(key);
      this.#pending.delete(task);
    });
    this.#pending.add(task);
  }

  async #refresh(request: Request, next: Handler, key: string, primary: string): Promise<void> {
    const lock = this.#settings.lock === undefined ? undefined : await this.#tryLock(key, 0);
    if (lock === HELD || (lock === undefined && this.#settings.lock !== undefined)) return;
    try {
      const { response } = await this.#render(request, next, primary, true);
      await response.body?.cancel();
    } catch (error) {
      this.#report(error, "refresh", key);
    } finally {
      if (lock !== undefined) await this.#release(lock, key);
    }
  }

  /** A stale hit in `"inline"` mode: render now if this request wins the refresh, else stale. */
  async #refreshInline(
    request: Request,
    next: Handler,
    found: Lookup,
    primary: string,
  ): Promise<Response> {
    const { key, stored } = found;
    if (this.#closed || this.#refreshing.has(key)) return fromStored(stored!, request, Date.now());
    this.#refreshing.add(key);
    try {
      const lock = this.#settings.lock === undefined ? undefined : await this.#tryLock(key, 0);
      if (lock === HELD || (lock === undefined && this.#settings.lock !== undefined)) {
        return fromStored(stored!, request, Date.now());
      }
      try {
        return (await this.#render(request, next, primary, false)).response;
      } finally {
        if (lock !== undefined) await this.#release(lock, key);
      }
    } finally {
      this.#refreshing.delete(key);
    }
  }

  /** Tells `onError`; an open circuit is not told per request (the cache reported it opening). */
  #report(error: unknown, op: string, key: string): void {
    if (error instanceof CircuitOpenError) return;
    try {
      this.#settings.onError?.(asError(error), { op, key });
    } catch { /* a broken onError must not break a response */ }
  }

  /** The tag every entry of `request` carries: read with the entry, in the same round trip. */
  #urlTags(request: Request): readonly string[] {
    return [urlTag(this.#settings.namespace, canonicalUrl(request.url))];
  }

  /**
   * Purges every cached response of `url` (all its Vary variants), in every
   * process. The URL is compared without its fragment, query included.
   *
   * @param url An absolute URL.
   * @throws {TypeError} When `url` is not an absolute URL.
   */
  async purgeUrl(url: string | URL): Promise<void> {
    const settings = this.#settings;
    await settings.cache.invalidateTags([urlTag(settings.namespace, canonicalUrl(url))]);
  }

  /**
   * Purges the cached responses whose key starts with `prefix` (with the
   * default key: whose URL starts with it), by SCAN.
   *
   * @param prefix The start of the keys, e.g. `"https://example.com/products/"`.
   * @returns How many entries were deleted (Vary variants and pointers count).
   */
  async purgePrefix(prefix: string): Promise<number> {
    const settings = this.#settings;
    return await settings.cache.deletePattern(prefixPattern(settings.namespace, prefix));
  }

  /**
   * Purges the cached responses tagged (by their `Surrogate-Key`) with any of
   * `tags`, and every other cache value written with them.
   *
   * @param tags Tag names.
   */
  async purgeTags(tags: readonly string[]): Promise<void> {
    await this.#settings.cache.invalidateTags(tags);
  }

  /** Stops starting background refreshes and waits for the running ones. */
  async close(): Promise<void> {
    this.#closed = true;
    while (this.#pending.size > 0) await Promise.all(this.#pending);
  }

  /** `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
