/**
 * Bun's built-in client (Bun only): `new RedisClient(url)`, `connect()`, one
 * GET, check, `close()`, exit. `RedisClient` is the same object as
 * `import { RedisClient } from "bun"`; it is read from the `Bun` global so
 * that `deno check` (which has no types for "bun") can check this file.
 *
 * Environment and output as in redcache.ts.
 *
 * @module
 */
interface BunRedis {
  connect(): Promise<void>;
  get(key: string): Promise<string | null>;
  close(): void;
}

interface NodeLike {
  process: { env: Record<string, string | undefined> };
}

const at = (): number => performance.timeOrigin + performance.now();
const body = at();
// Deno.env on Deno: touching `process` there loads Node compatibility (~25 ms).
const env = (name: string): string =>
  (globalThis.Deno ? Deno.env.get(name) : (globalThis as unknown as NodeLike).process.env[name]) ??
    "";
const { RedisClient } = (globalThis as unknown as {
  Bun: { RedisClient: new (url: string) => BunRedis };
}).Bun;
const redis = new RedisClient(env("COLD_URL"));
await redis.connect();
const connected = at();
const value = await redis.get(env("COLD_KEY"));
const got = at();
if (value !== env("COLD_VALUE")) throw new Error(`Unexpected value ${JSON.stringify(value)}`);
redis.close();
console.error(JSON.stringify({ body, connected, got, closed: at() }));
