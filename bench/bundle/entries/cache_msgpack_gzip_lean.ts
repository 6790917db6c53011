// MessagePack and gzip passed to new Cache() as objects rather than by name.
import { Cache, createCompressor, msgpackSerializer } from "../../../mod.ts";

await using cache = new Cache({
  url: "redis://127.0.0.1:6379/0",
  serializer: msgpackSerializer,
  compressor: createCompressor("gzip"),
});
await cache.set("user:1", { name: "Ada", seen: new Date() }, { ttl: "10m" });
console.log(await cache.get("user:1"));
