/**
 * redcache through a lean entry: `connect` from src/client/connect.ts, so only
 * the client's own modules load (no cache, pool, cluster, web). Not what a
 * user types today (that is redcache.ts, the package entry); it shows what a
 * subpath export for the raw client would cost. Otherwise as redcache.ts.
 *
 * Environment: COLD_URL (redis://host:port), COLD_KEY, COLD_VALUE. Prints the
 * epoch milliseconds (float) at body start and after each step on stderr.
 *
 * @module
 */
import { connect } from "../../../src/client/connect.ts";

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
