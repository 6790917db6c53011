/**
 * redcache through its client entry: `import { connect } from
 * "@redcache/redcache/client"` (client.ts), so only the client's and pool's
 * modules load (no cache, cluster, web, MessagePack or fflate). Otherwise as
 * redcache.ts, which imports the package's main entry.
 *
 * Environment: COLD_URL (redis://host:port), COLD_KEY, COLD_VALUE. Prints the
 * epoch milliseconds (float) at body start and after each step on stderr.
 *
 * @module
 */
import { connect } from "../../../client.ts";

interface NodeLike {
  process: { env: Record<string, string | undefined> };
}

const at = (): number => performance.timeOrigin + performance.now();
const body = at();
// Deno.env on Deno: touching `process` there loads Node compatibility (~25 ms).
const env = (name: string): string =>
  (globalThis.Deno ? Deno.env.get(name) : (globalThis as unknown as NodeLike).process.env[name]) ??
    "";
const redis = await connect(env("COLD_URL"));
const connected = at();
const value = await redis.get(env("COLD_KEY"));
const got = at();
if (value !== env("COLD_VALUE")) throw new Error(`Unexpected value ${JSON.stringify(value)}`);
await redis.close();
console.error(JSON.stringify({ body, connected, got, closed: at() }));
