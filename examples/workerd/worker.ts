/**
 * redcache in a Cloudflare Worker (workerd), against a Redis reached over TCP.
 *
 * The rule in workerd: a socket belongs to the request that opened it, and so do timers. So every
 * request makes its own cache (or client), uses it, and closes it with `ctx.waitUntil(...)` once
 * the answer is on its way. What that means:
 *
 * - A client, pool or cache kept in a module variable fails in the next request: its first
 *   command rejects with a `ConnectionError` ("Cannot use a socket opened by another request…"),
 *   and the client closes itself, so later commands fail at once with the same reason. A pool
 *   replaces the closed member, which then fails the request after. See `/reuse`.
 * - Timers set by a request never fire once it has answered, unless `ctx.waitUntil` keeps it
 *   going: a kept pool's `idleTimeout` never closes anything, a reconnect backoff never ends.
 *   Within a request, `commandTimeout`, `connectTimeout` and lock waits work (see `/timeout`).
 * - workerd closes a finished request's sockets itself, so a forgotten `close()` leaks nothing;
 *   closing in `ctx.waitUntil` lets writes still under way (a background refresh) finish first.
 * - Each request pays for its own connection: TCP (and TLS) plus one handshake round trip.
 *
 * No `transport` option is needed: in workerd, redcache opens its sockets with `connect()` from
 * `cloudflare:sockets` by itself (`/transport` shows the explicit form, for other runtimes).
 * TLS (`rediss://`) is verified by workerd against the CAs of its outbound network service
 * (`tlsOptions` in `config.capnp`); `tls.caCerts`, `cert`, `key` and `insecure` are TypeErrors.
 *
 * Routes (all answer JSON, except `/page`):
 *
 * - `GET /health`: no Redis; the user agent, which tells redcache that it runs in workerd.
 * - `GET /set?key=K&value=V`, `GET /get?key=K`: the cache.
 * - `GET /get-or-set?key=K`: `getOrSet`; says whether this request ran the loader.
 * - `GET /pipeline?key=K`: SET, INCR, GET in one round trip on a raw client.
 * - `GET /pool?key=K`: a pool: concurrent INCRs on its shared connections, a MULTI on a
 *   connection of its own (`use`).
 * - `GET /page?id=N`: an HTML page cached by `cacheResponses` (a hit carries `Age`).
 * - `GET /packed?key=K`: a value stored with msgpack and gzip, read back.
 * - `GET /lock?name=N`: a lock held, refused to a second owner, released.
 * - `GET /timeout`: a blocked BLPOP against a 200 ms `commandTimeout`.
 * - `GET /transport`: a PING over an explicit `transport` (cloudflare:sockets' `connect`).
 * - `GET /reuse`: a client kept across requests, and what the second request gets.
 * - `GET /tls?serverName=S`: a PING over `REDIS_TLS_URL` (when bound), or the TypeError for
 *   `?caCerts=1`.
 *
 * `build.mjs` bundles this file with esbuild; `config.capnp` serves it.
 *
 * @module
 */
import { connect as tcp } from "cloudflare:sockets";
import {
  type Cache,
  cacheResponses,
  connect,
  createCache,
  createPool,
  type RedisClient,
  RedisError,
  TimeoutError,
} from "../../mod.ts";

/** The bindings of `config.capnp`. */
interface Env {
  /** `redis://host:port/db` of the Redis to use. */
  REDIS_URL: string;
  /** `rediss://…` of a Redis with TLS, for `/tls` (optional). */
  REDIS_TLS_URL?: string;
}

/** The part of the Workers `ExecutionContext` used here. */
interface Context {
  waitUntil(promise: Promise<unknown>): void;
}

/** A value big enough to be compressed. */
interface Report {
  id: string;
  rows: Array<{ n: number; label: string; at: Date }>;
}

const json = (body: unknown, status = 200) => Response.json(body, { status });

/** An error as JSON: its class, message and the message of its cause. */
function describe(error: unknown) {
  if (!(error instanceof Error)) return { name: typeof error, message: String(error) };
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return {
    name: error.name,
    message: error.message,
    redisError: error instanceof RedisError,
    cause,
  };
}

/** A client kept across requests: what NOT to do in workerd, kept to show what happens. */
let kept: RedisClient | undefined;

/** One request's work. Routes with a cache get their own, closed once the answer is out. */
async function handle(request: Request, env: Env, ctx: Context): Promise<Response> {
  const url = new URL(request.url);
  const param = (name: string) => url.searchParams.get(name) ?? "";
  switch (url.pathname) {
    case "/health":
      return json({ ok: true, userAgent: navigator.userAgent });
    case "/pipeline":
      return await pipeline(env, param("key"));
    case "/pool":
      return await pool(env, param("key"));
    case "/packed":
      return await packed(env, param("key"));
    case "/timeout":
      return await timeout(env);
    case "/transport":
      return await explicitTransport(env);
    case "/reuse":
      return await reuse(env);
    case "/tls":
      return await tls(env, url.searchParams);
  }

  const cache = createCache({ url: env.REDIS_URL, keyPrefix: "edge" });
  // The answer leaves now; the cache closes (its sockets with it) after `also` settles.
  const done = (response: Response, also: Promise<unknown> = Promise.resolve()) => {
    ctx.waitUntil(also.finally(() => cache.close()));
    return response;
  };
  try {
    switch (url.pathname) {
      case "/set":
        return done(json({ stored: await cache.set(param("key"), param("value"), { ttl: "5m" }) }));
      case "/get":
        return done(json({ value: await cache.get(param("key"), null) }));
      case "/get-or-set": {
        let loaded = false;
        const value = await cache.getOrSet(param("key"), () => {
          loaded = true;
          return { at: new Date().toISOString(), nonce: crypto.randomUUID() };
        }, { ttl: "5m" });
        return done(json({ value, loaded }));
      }
      case "/page": {
        // Background refreshes (stale-while-revalidate) finish before the cache closes.
        const pages = cacheResponses(renderPage, { cache, ttl: "1m" });
        return done(await pages(request), pages.close());
      }
      case "/lock":
        return done(await lock(cache, param("name")));
      default:
        return done(json({ error: "not found" }, 404));
    }
  } catch (error) {
    return done(json(describe(error), 500));
  }
}

/** The page behind the response cache: a fresh nonce each time it is rendered. */
function renderPage(request: Request): Response {
  const id = new URL(request.url).searchParams.get("id") ?? "1";
  return new Response(`<h1>Page ${id}</h1><p>render ${crypto.randomUUID()}</p>`, {
    headers: { "content-type": "text/html; charset=utf-8" },
  });
}

/** Three commands in one round trip on a raw client, closed before answering. */
async function pipeline(env: Env, key: string): Promise<Response> {
  await using redis = await connect(env.REDIS_URL);
  const results = await redis.pipeline()
    .send(["SET", key, "41"])
    .send(["INCR", key])
    .send(["GET", key])
    .send(["DEL", key])
    .exec();
  return json({ results });
}

/** A pool made for this request: shared pipelined sends, then a transaction on its own connection. */
async function pool(env: Env, key: string): Promise<Response> {
  await using pool = createPool({ url: env.REDIS_URL, max: 4 });
  const counts = await Promise.all(
    Array.from({ length: 10 }, () => pool.send(["INCR", key]) as Promise<number>),
  );
  const exec = await pool.use((conn) =>
    conn.multi().send(["INCRBY", key, 90]).send(["GET", key]).send(["DEL", key]).exec()
  );
  return json({ counts: counts.sort((a, b) => a - b), exec, size: pool.stats().size });
}

/** A value through msgpack and gzip: stored compressed, read back equal. */
async function packed(env: Env, key: string): Promise<Response> {
  await using cache = createCache({
    url: env.REDIS_URL,
    keyPrefix: "edge-packed",
    serializer: "msgpack",
    compressor: "gzip",
    compressMinBytes: 256,
  });
  const at = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
  const report: Report = {
    id: key,
    rows: Array.from({ length: 200 }, (_, n) => ({ n, label: `row ${n}`.repeat(4), at })),
  };
  await cache.set(key, report, { ttl: "1m" });
  const back = await cache.get<Report>(key);
  // The bytes as Redis holds them: a compressed value is 00 C3 <id>, then gzip's own 1f 8b.
  const raw = await cache.client!.send(["GET", `edge-packed:1:${key}`], { bytes: true });
  const bytes = raw instanceof Uint8Array ? raw : new Uint8Array();
  return json({
    equal: JSON.stringify(back) === JSON.stringify(report),
    dateKept: back?.rows[7].at instanceof Date,
    storedBytes: bytes.length,
    jsonBytes: JSON.stringify(report).length,
    gzip: [0x00, 0xc3, 0x01, 0x1f, 0x8b].every((byte, i) => bytes[i] === byte),
  });
}

/** A lock: held by us, refused to another owner, free again after release. */
async function lock(cache: Cache, name: string): Promise<Response> {
  const held = await cache.lock(name, { ttl: "10s" });
  let refused: ReturnType<typeof describe> | undefined;
  try {
    await cache.lock(name, { ttl: "10s", wait: 100 });
  } catch (error) {
    refused = describe(error);
  }
  await held.release();
  const again = await cache.lock(name, { ttl: "10s" });
  await again.release();
  return json({ refused, reacquired: true });
}

/** BLPOP on an empty list blocks; `commandTimeout` ends the wait with a TimeoutError. */
async function timeout(env: Env): Promise<Response> {
  await using redis = await connect({ url: env.REDIS_URL, commandTimeout: 200 });
  const started = Date.now();
  try {
    await redis.send(["BLPOP", `edge:empty:${crypto.randomUUID()}`, "0"]);
    return json({ error: "BLPOP returned" }, 500);
  } catch (error) {
    return json({
      ...describe(error),
      timeoutError: error instanceof TimeoutError,
      elapsed: Date.now() - started,
      // The client is still usable: the blocked connection was replaced.
      after: await redis.send(["PING"]),
    });
  }
}

/** The `transport` option, as on a runtime redcache does not know. */
async function explicitTransport(env: Env): Promise<Response> {
  await using redis = await connect({
    url: env.REDIS_URL,
    transport: (target) => tcp({ hostname: target.host, port: target.port }),
  });
  return json({ pong: await redis.send(["PING"]) });
}

/** First call: connects and keeps the client. Later calls: use it from another request. */
async function reuse(env: Env): Promise<Response> {
  const first = kept === undefined;
  kept ??= await connect({ url: env.REDIS_URL, commandTimeout: 1_000 });
  try {
    return json({ first, pong: await kept.send(["PING"]) });
  } catch (error) {
    const client = kept;
    kept = undefined;
    await client.close();
    return json({ first, ...describe(error) }, 500);
  }
}

/** TLS through cloudflare:sockets: `secureTransport: "on"`, or STARTTLS for a `serverName`. */
async function tls(env: Env, params: URLSearchParams): Promise<Response> {
  if (!env.REDIS_TLS_URL) return json({ error: "REDIS_TLS_URL is not set" }, 404);
  const serverName = params.get("serverName") ?? undefined;
  const caCerts = params.has("caCerts") ? ["-----BEGIN CERTIFICATE-----"] : undefined;
  try {
    await using redis = await connect({ url: env.REDIS_TLS_URL, tls: { serverName, caCerts } });
    return json({ pong: await redis.send(["PING"]) });
  } catch (error) {
    return json(describe(error), 500);
  }
}

export default {
  fetch(request: Request, env: Env, ctx: Context): Promise<Response> {
    return handle(request, env, ctx);
  },
};
