/**
 * redcache as a user types it: `import { connect }` from the package entry
 * (mod.ts, the everything-entry), connect, one GET, check, close, exit.
 *
 * Environment: COLD_URL (redis://host:port), COLD_KEY, COLD_VALUE. Prints the
 * epoch milliseconds (float) at body start and after each step on stderr.
 *
 * @module
 */
import { connect } from "../../../mod.ts";

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
