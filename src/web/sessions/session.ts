/**
 * `Session`: what a handler sees of its visitor's session.
 *
 * @module
 */

/**
 * One visitor's session, for one request. Reads load the session from Redis
 * on first use (a request that never touches it sends no command); changes
 * are kept in memory and saved when the response is committed, only the
 * fields that changed.
 *
 * @example Log in, then read it back on later requests
 * ```ts
 * import { createCache, sessions } from "@redcache/redcache";
 *
 * const cache = createCache({ url: "redis://127.0.0.1:6379", keyPrefix: "app" });
 * const auth = sessions({ cache, secret: Deno.env.get("SESSION_SECRET")! });
 * Deno.serve(auth.wrap(async (request, session) => {
 *   if (new URL(request.url).pathname === "/login") {
 *     await session.regenerate(); // a new id at login: no session fixation
 *     session.set("user", "ada");
 *   }
 *   return new Response(`hello ${await session.get<string>("user") ?? "stranger"}`);
 * }));
 * ```
 */
export interface Session {
  /**
   * The session id. It changes on `regenerate()` and `destroy()`, and on the
   * first read when the cookie's session no longer exists in Redis. It is
   * the visitor's credential: keep it out of logs.
   */
  readonly id: string;
  /**
   * The value stored under `key`, decoded with the cache's serializer.
   *
   * @param key The session key.
   * @returns The value, or `undefined` when there is none (or it cannot be decoded).
   * @throws {ConnectionError} When Redis cannot be reached (the response becomes a 503).
   */
  get<T = unknown>(key: string): Promise<T | undefined>;
  /**
   * Whether `key` holds a value.
   *
   * @param key The session key.
   * @returns True when `get(key)` would give a value.
   */
  has(key: string): Promise<boolean>;
  /**
   * Stores `value` under `key` (saved when the response is committed);
   * `undefined` deletes the key.
   *
   * @param key The session key.
   * @param value Any value the cache's serializer takes.
   * @throws {SerializationError} When the serializer cannot represent `value`.
   */
  set(key: string, value: unknown): void;
  /**
   * Removes `key` (saved when the response is committed).
   *
   * @param key The session key.
   */
  delete(key: string): void;
  /** Removes every key (saved atomically when the response is committed). */
  clear(): void;
  /**
   * Moves the session to a new id, keeping its data; the old id is deleted
   * when the response is committed. Call it at login, against session fixation.
   *
   * @throws {ConnectionError} When Redis cannot be reached to load the data.
   */
  regenerate(): Promise<void>;
  /**
   * Ends the session: when the response is committed its key is deleted and
   * its cookie expired. Keys set afterwards start a new session.
   */
  destroy(): void;
}
