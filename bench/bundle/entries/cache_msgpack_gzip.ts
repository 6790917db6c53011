// A cache with MessagePack and gzip, named as options, through the everything-entry.
import { createCache } from "../../../mod.ts";

await using cache = createCache({
  url: "redis://127.0.0.1:6379/0",
  serializer: "msgpack",
  compressor: "gzip",
});
await cache.set("user:1", { name: "Ada", seen: new Date() }, { ttl: "10m" });
console.log(await cache.get("user:1"));
