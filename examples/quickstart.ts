/**
 * The README's quick start, runnable on Deno and Bun:
 *
 *   deno run -A examples/quickstart.ts
 *   bun examples/quickstart.ts
 *
 * It connects to REDIS_URL (default redis://127.0.0.1:6379). `npm run demo`
 * starts a throwaway server and runs this file on both runtimes.
 */
import { connect, ReplyError } from "../mod.ts";

const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env;
const url = env?.REDIS_URL ?? "redis://127.0.0.1:6379";
const runtime = "Deno" in globalThis ? "Deno" : "Bun" in globalThis ? "Bun" : "JavaScript";

await using redis = await connect(url);
console.log(
  `${runtime}: connected to Redis ${redis.server.version} over RESP${redis.server.protocol}`,
);

// Plain commands: send() takes the command as an array and resolves with the reply.
await redis.send(["SET", "greeting", "hello"]);
console.log("GET greeting ->", await redis.send(["GET", "greeting"]));

// Typed methods for the common commands, with SET's options.
await redis.set("session:42", JSON.stringify({ user: "ada" }), { ex: 60 });
console.log("TTL session:42 ->", await redis.ttl("session:42"), "s");

// Binary values round-trip unchanged with { bytes: true }.
await redis.set("blob", new Uint8Array([0, 1, 2, 255]));
console.log("GET blob as bytes ->", await redis.send(["GET", "blob"], { bytes: true }));

// Commands issued together leave in one write (automatic pipelining).
const counts = await Promise.all(Array.from({ length: 5 }, () => redis.incr("visits")));
console.log("5 concurrent INCRs ->", counts.join(", "));

// A pipeline keeps an error reply as an element instead of throwing.
const results = await redis.pipeline().send(["INCR", "greeting"]).send(["GET", "greeting"]).exec();
console.log(
  "pipeline ->",
  results.map((r) => (r instanceof ReplyError ? `ReplyError(${r.code})` : r)),
);

// RESP3 maps arrive as Map.
await redis.send(["HSET", "user:1", "name", "Ada", "lang", "en"]);
console.log("HGETALL user:1 ->", await redis.send(["HGETALL", "user:1"]));

await redis.del("greeting", "session:42", "blob", "visits", "user:1");
