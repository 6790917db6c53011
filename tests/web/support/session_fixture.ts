/**
 * One session application served on loopback for a test: a cache with its own key prefix,
 * `sessions()` over it, the handler of `session_app.ts` behind `wrap()`, and a way to find a
 * session's Redis key. `await using app = await sessionFixture(redis.url)` stops it all.
 *
 * @module
 */
import { type Cache, createCache } from "../../../mod.ts";
import type { CacheOptions } from "../../../src/cache/cache_options.ts";
import { Sessions } from "../../../src/web/sessions/sessions.ts";
import type { SessionsOptions } from "../../../src/web/sessions/session_options.ts";
import { Gates, idOf, sessionApp } from "./session_app.ts";
import { serve, type TestServer } from "./serve.ts";

/** A secret of the required length, for tests. */
export const SECRET = "test-secret-0123456789-abcdefghijkl";

let counter = 0;

/** A served session application. */
export interface SessionFixture extends AsyncDisposable {
  readonly cache: Cache;
  readonly sessions: Sessions;
  readonly gates: Gates;
  readonly server: TestServer;
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** The Redis key of the session in cookie value `cookie` (or of a bare id). */
  key(cookie: string | undefined): string;
}

/** Sessions options other than the cache (`secret: SECRET` unless `secret(s)` is given). */
export type FixtureSessionsOptions = Omit<SessionsOptions, "cache">;

/**
 * Serves the session application over a new cache with its own key prefix.
 *
 * @param cacheOptions Where Redis is: `{ url }`, or strategy options.
 * @param options Sessions options.
 */
export function sessionFixture(
  cacheOptions: CacheOptions,
  options: FixtureSessionsOptions = {},
): SessionFixture {
  const keyPrefix = `sess${++counter}`;
  const cache = createCache({ keyPrefix, ...cacheOptions });
  const secret = options.secret === undefined && options.secrets === undefined
    ? { secret: SECRET }
    : {};
  const auth = new Sessions({ cache, ...secret, ...options });
  const gates = new Gates();
  const server = serve(auth.wrap(sessionApp(gates)));
  const close = async () => {
    await server.close();
    await cache.close();
  };
  return {
    cache,
    sessions: auth,
    gates,
    server,
    url: server.url,
    key: (cookie) =>
      `${keyPrefix}:1:session:${cookie?.includes(".") ? idOf(cookie) : cookie ?? "?"}`,
    [Symbol.asyncDispose]: close,
  };
}
