// A cache with the default JSON serializer and no compressor, through the everything-entry.
import { createCache } from "../../../mod.ts";

await using cache = createCache({ url: "redis://127.0.0.1:6379/0", keyPrefix: "app" });
await cache.set("user:1", { name: "Ada" }, { ttl: "10m" });
console.log(await cache.get("user:1"));
