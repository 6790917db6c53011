// The raw client through the everything-entry: what a worker that only talks to Redis ships.
import { connect } from "../../../mod.ts";

await using redis = await connect("redis://127.0.0.1:6379/0");
await redis.set("greeting", "hello", { ex: 60 });
console.log(await redis.get("greeting"));
