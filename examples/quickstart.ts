/**
 * The README's quick start, runnable on Deno and Bun:
 *
 *   deno run -A examples/quickstart.ts
 *   bun examples/quickstart.ts
 *
 * It uses REDIS_URL (default redis://127.0.0.1:6379); with REDIS_URL=memory://
 * the cache part runs on the in-process store. `npm run demo` starts a
 * throwaway server and runs this file on both runtimes.
 */
import { connect, createCache, ReplyError } from "../mod.ts";

const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env;
const url = env?.REDIS_URL ?? "redis://127.0.0.1:6379";
const runtime = "Deno" in globalThis ? "Deno" : "Bun" in globalThis ? "Bun" : "JavaScript";
console.log(`${runtime}: cache on ${url}`);

// --- The cache API -----------------------------------------------------------
await using cache = createCache({ url, keyPrefix: "demo", defaultTtl: "10m" });

await cache.set("user:1", { name: "Ada", langs: ["en", "fr"] }, { ttl: "1h" });
console.log("get user:1 ->", await cache.get("user:1"));
console.log("ttl user:1 ->", Math.round((await cache.ttl("user:1"))! / 1000), "s");
console.log("add user:1 again ->", await cache.add("user:1", { name: "Bob" }), "(already there)");

// Concurrent misses share one factory call.
let builds = 0;
const pages = await Promise.all(Array.from({ length: 10 }, () =>
  cache.getOrSet("home", () => {
    builds++;
    return `<h1>rendered at ${new Date().toISOString()}</h1>`;
  })));
console.log(`getOrSet x10 -> ${pages.length} pages, factory ran ${builds} time(s)`);

console.log("incr views ->", await cache.incr("views"), await cache.incr("views", 10));
await cache.setMany({ "session:a": 1, "session:b": 2, "other": 3 });
console.log("keys session:* ->", (await cache.keys("session:*")).sort());
console.log("deletePattern session:* ->", await cache.deletePattern("session:*"));

{
  await using lock = await cache.lock("nightly-report", { ttl: "30s" });
  console.log(`lock ${lock.name} held ->`, lock.held);
}
console.log("stats ->", cache.stats());
await cache.clear();

// --- The raw client (a real server only) -------------------------------------
if (url.startsWith("redis")) {
  await using redis = await connect(url);
  console.log(`raw client: Redis ${redis.server.version} over RESP${redis.server.protocol}`);
  await redis.send(["SET", "greeting", "hello"]);
  console.log("GET greeting ->", await redis.send(["GET", "greeting"]));
  await redis.set("blob", new Uint8Array([0, 1, 2, 255]));
  console.log("GET blob as bytes ->", await redis.send(["GET", "blob"], { bytes: true }));
  const counts = await Promise.all(Array.from({ length: 5 }, () => redis.incr("visits")));
  console.log("5 concurrent INCRs (one write) ->", counts.join(", "));
  const results = await redis.pipeline().send(["INCR", "greeting"]).send(["GET", "greeting"])
    .exec();
  console.log(
    "pipeline ->",
    results.map((r) => (r instanceof ReplyError ? `ReplyError(${r.code})` : r)),
  );
  console.log(
    "HSET/HGETALL ->",
    await redis.hset("user:1", { name: "Ada" }),
    await redis.hgetall("user:1"),
  );
  await redis.del("greeting", "blob", "visits", "user:1");
}
