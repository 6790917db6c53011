// The raw client through the "./client" entry: the same bundle as through mod.ts.
import { connect } from "../../../client.ts";

await using redis = await connect("redis://127.0.0.1:6379/0");
await redis.set("greeting", "hello", { ex: 60 });
console.log(await redis.get("greeting"));
