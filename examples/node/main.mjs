// redcache on Node.js, through the `transport` option (see node_transport.mjs). Node is not a
// target runtime: Deno, Bun and workerd need no transport. After `npx jsr add @redcache/redcache`:
//
//   REDIS_URL=redis://127.0.0.1:6379 node main.mjs
import process from "node:process";
import { connect, createCache } from "@redcache/redcache";
import { nodeTransport } from "./node_transport.mjs";

const url = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

const redis = await connect({ url, transport: nodeTransport });
await redis.set("node:greeting", "hello from node", { ex: 60 });
console.log("client:", await redis.get("node:greeting"));
await redis.close();

const cache = createCache({ url, transport: nodeTransport, keyPrefix: "node-demo" });
await cache.set("user:1", { name: "Ada" }, { ttl: "1m" });
console.log("cache:", JSON.stringify(await cache.get("user:1")));
console.log("getOrSet:", await cache.getOrSet("answer", () => 42, { ttl: "1m" }));
await cache.close();
