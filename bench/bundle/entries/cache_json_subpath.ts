// The lean JSON cache through the "./cache" entry.
import { Cache } from "../../../cache.ts";

await using cache = new Cache({ url: "redis://127.0.0.1:6379/0", keyPrefix: "app" });
await cache.set("user:1", { name: "Ada" }, { ttl: "10m" });
console.log(await cache.get("user:1"));
