/**
 * node-redis (`redis` on npm) as its README shows it:
 * `await createClient({ url }).connect()`, one GET, check, `close()`, exit.
 *
 * Environment and output as in redcache.ts.
 *
 * @module
 */
import { createClient } from "redis";

interface NodeLike {
  process: { env: Record<string, string | undefined> };
}

const at = (): number => performance.timeOrigin + performance.now();
const body = at();
// Deno.env on Deno: touching `process` there loads Node compatibility (~25 ms).
const env = (name: string): string =>
  (globalThis.Deno ? Deno.env.get(name) : (globalThis as unknown as NodeLike).process.env[name]) ??
    "";
const redis = await createClient({ url: env("COLD_URL") }).connect();
const connected = at();
const value = await redis.get(env("COLD_KEY"));
const got = at();
if (value !== env("COLD_VALUE")) throw new Error(`Unexpected value ${JSON.stringify(value)}`);
await redis.close();
console.error(JSON.stringify({ body, connected, got, closed: at() }));
