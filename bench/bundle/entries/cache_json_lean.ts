// A cache with the default JSON serializer and no compressor, made with new Cache(): it knows
// no built-in that loads a library by name, so MessagePack and fflate's compression stay out.
import { Cache } from "../../../mod.ts";

await using cache = new Cache({ url: "redis://127.0.0.1:6379/0", keyPrefix: "app" });
await cache.set("user:1", { name: "Ada" }, { ttl: "10m" });
console.log(await cache.get("user:1"));
