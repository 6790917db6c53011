/**
 * ioredis as its README shows it: `new Redis(url)` (it connects by itself),
 * one GET, check, `quit()`, exit. `lazyConnect` with an explicit `connect()`
 * so that the connect step can be timed on its own; the work is the same.
 *
 * Environment and output as in redcache.ts.
 *
 * @module
 */
import { Redis } from "ioredis";

interface NodeLike {
  process: { env: Record<string, string | undefined> };
}

const at = (): number => performance.timeOrigin + performance.now();
const body = at();
// Deno.env on Deno: touching `process` there loads Node compatibility (~25 ms).
const env = (name: string): string =>
  (globalThis.Deno ? Deno.env.get(name) : (globalThis as unknown as NodeLike).process.env[name]) ??
    "";
const redis = new Redis(env("COLD_URL"), { lazyConnect: true });
await redis.connect();
const connected = at();
const value = await redis.get(env("COLD_KEY"));
const got = at();
if (value !== env("COLD_VALUE")) throw new Error(`Unexpected value ${JSON.stringify(value)}`);
await redis.quit();
console.error(JSON.stringify({ body, connected, got, closed: at() }));
