/**
 * Helpers for the response cache tests: a handler that counts its calls, a
 * gate that holds renders until the test opens it, and a cached handler
 * served on loopback with its own cache (one "process").
 *
 * ```ts
 * await using site = responseSite(redis.url, () => new Response("hi"));
 * await (await fetch(site.url + "/a")).text();
 * site.calls; // 1
 * ```
 *
 * @module
 */
import { type Cache, type CacheOptions, createCache } from "../../../mod.ts";
import { type CachedHandler, cacheResponses } from "../../../src/web/responses/cache_responses.ts";
import type { ResponseCacheOptions } from "../../../src/web/responses/options.ts";
import { serve, type TestServer } from "./serve.ts";

/** What the counting handler answers with; `n` is its call number (from 1). */
export type Respond = (request: Request, n: number) => Response | Promise<Response>;

/**
 * A promise the test resolves: renders wait on it. Declare it with `using`
 * after the sites whose handlers wait on it: it opens on the way out (before
 * the servers close), so a failed assertion cannot leave a request hanging.
 */
export class Gate implements Disposable {
  #open!: () => void;
  #opened = new Promise<void>((resolve) => (this.#open = resolve));
  /** How many are waiting (or have waited). */
  arrivals = 0;

  /** Resolves once the gate opens. */
  wait(): Promise<void> {
    this.arrivals++;
    return this.#opened;
  }

  /** Lets every waiter through, now and later. */
  open(): void {
    this.#open();
  }

  /** Opens the gate. */
  [Symbol.dispose](): void {
    this.open();
  }
}

let sites = 0;

/** One cached site: a cache of its own, the cached handler and a server. */
export interface ResponseSite extends AsyncDisposable {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** The cache (its own connections). */
  readonly cache: Cache;
  /** The cached handler. */
  readonly pages: CachedHandler;
  /** The server. */
  readonly server: TestServer;
  /** How many times the handler ran. */
  readonly calls: number;
}

/** A key prefix no other test uses. */
export function uniquePrefix(): string {
  return `rc${++sites}x${crypto.randomUUID().slice(0, 8)}`;
}

/** Options of `responseSite`. */
export type SiteOptions = Omit<ResponseCacheOptions, "cache"> & {
  /** Options of the site's own cache (`keyPrefix`: the same for sites that share entries). */
  cacheOptions?: CacheOptions;
  /**
   * The origin the app sees, as behind a load balancer: requests reach the
   * cached handler with this origin instead of the server's, so that sites
   * on several ports share URLs.
   */
  origin?: string;
};

/** `request` as if it was sent to `origin` (a copy that does not follow its signal). */
async function rebase(request: Request, origin: string): Promise<Request> {
  const url = new URL(request.url);
  const { method, headers } = request;
  const body = method === "GET" || method === "HEAD" ? undefined : await request.arrayBuffer();
  return new Request(new URL(url.pathname + url.search, origin), { method, headers, body });
}

/**
 * Serves `respond` behind `cacheResponses`. Sites made with the same
 * `cacheOptions.keyPrefix` share entries (two processes of one app).
 */
export function responseSite(
  redisUrl: string,
  respond: Respond,
  options: SiteOptions = {},
): ResponseSite {
  const { cacheOptions, origin, ...rest } = options;
  const cache = createCache({ url: redisUrl, keyPrefix: uniquePrefix(), ...cacheOptions });
  let calls = 0;
  const pages = cacheResponses(async (request) => await respond(request, ++calls), {
    cache,
    ...rest,
  });
  const server = serve(
    origin === undefined ? pages : async (request) => pages(await rebase(request, origin)),
  );
  return {
    url: server.url,
    cache,
    pages,
    server,
    get calls() {
      return calls;
    },
    async [Symbol.asyncDispose]() {
      await server.close();
      await pages.close();
      await cache.close();
    },
  };
}

/** Fetches `url` and reads the whole body. */
export async function get(
  url: string,
  init: RequestInit = {},
): Promise<{ response: Response; body: string }> {
  const response = await fetch(url, init);
  return { response, body: await response.text() };
}
