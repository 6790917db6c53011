/**
 * A `redis-server` owned by one `describe`: started by its `before` hook, stopped by its
 * `after` hook (even when a test failed), so suites don't repeat the same three lines.
 *
 * ```ts
 * describe("client", () => {
 *   const redis = useRedis({ tls: true });
 *   it("pings", async () => {
 *     await using client = await connect(redis.url);
 *     assert.equal(await redis.server.cli("PING"), "PONG");
 *   });
 * });
 * ```
 *
 * `useRedisGroup(3)` does the same for several servers started side by side. `redisFixture()`
 * and `redisGroup()` make the same objects without registering hooks, for callers that take
 * `setup`/`teardown` functions (the cache contract suite).
 *
 * @module
 */
import { after, before } from "./test.ts";
import { type RedisOptions, type RedisServer, startRedis } from "./redis.ts";

/** How a fixture starts its server: `startRedis` options, or a function that starts one. */
export type RedisStart = RedisOptions | (() => Promise<RedisServer>);

/** A server that exists between `start()` and `stop()`. */
export class RedisFixture {
  #start: () => Promise<RedisServer>;
  #server: RedisServer | undefined;

  /** @param start `startRedis` options, or a function returning a started server. */
  constructor(start: RedisStart = {}) {
    this.#start = typeof start === "function" ? start : () => startRedis(start);
  }

  /** The running server; throws when read before `start()` or after `stop()`. */
  get server(): RedisServer {
    if (!this.#server) throw new Error("The Redis fixture is not started: use it inside a test");
    return this.#server;
  }

  /** `redis://127.0.0.1:PORT` of the running server. */
  get url(): string {
    return this.server.url;
  }

  /** Starts the server (stopping one this fixture started before). */
  async start(): Promise<void> {
    await this.stop();
    this.#server = await this.#start();
  }

  /** Stops the server, if started; safe to call twice. */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    await server?.stop();
  }
}

/** Several servers started and stopped together. */
export class RedisGroupFixture {
  /** One fixture per server. */
  readonly members: readonly RedisFixture[];

  /**
   * @param count How many servers.
   * @param start How to start each of them.
   */
  constructor(count: number, start: RedisStart = {}) {
    this.members = Array.from({ length: count }, () => new RedisFixture(start));
  }

  /** The running servers, in order; throws when not started. */
  get servers(): RedisServer[] {
    return this.members.map((member) => member.server);
  }

  /** Their `redis://` URLs, in order. */
  get urls(): string[] {
    return this.members.map((member) => member.url);
  }

  /** Starts every server, side by side. */
  async start(): Promise<void> {
    await Promise.all(this.members.map((member) => member.start()));
  }

  /** Stops every started server; safe to call twice. */
  async stop(): Promise<void> {
    await Promise.all(this.members.map((member) => member.stop()));
  }
}

/** A fixture, not registered anywhere: call `start()`/`stop()` yourself. */
export function redisFixture(start: RedisStart = {}): RedisFixture {
  return new RedisFixture(start);
}

/** A group of `count` servers, not registered anywhere: call `start()`/`stop()` yourself. */
export function redisGroup(count: number, start: RedisStart = {}): RedisGroupFixture {
  return new RedisGroupFixture(count, start);
}

/** Registers `fixture` with the enclosing `describe`: started in `before`, stopped in `after`. */
function use<T extends { start(): Promise<void>; stop(): Promise<void> }>(fixture: T): T {
  before(() => fixture.start());
  after(() => fixture.stop());
  return fixture;
}

/**
 * A server for the enclosing `describe`: started in `before`, stopped in `after`.
 * Call it inside a `describe` body.
 */
export function useRedis(start: RedisStart = {}): RedisFixture {
  return use(new RedisFixture(start));
}

/** `count` servers for the enclosing `describe`, started side by side in `before`. */
export function useRedisGroup(count: number, start: RedisStart = {}): RedisGroupFixture {
  return use(new RedisGroupFixture(count, start));
}
