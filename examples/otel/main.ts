/**
 * Tracing and metrics through the command hooks, runnable on Deno and Bun:
 *
 *   deno run -A examples/otel/main.ts
 *   bun examples/otel/main.ts
 *
 * Spans go to the global OpenTelemetry tracer (a no-op until an SDK is
 * registered: add `@opentelemetry/sdk-trace-base` and an exporter to see
 * them); the Prometheus-style metrics are printed at the end. It uses
 * REDIS_URL (default redis://127.0.0.1:6379).
 */
import { type CommandHooks, connect } from "../../mod.ts";
import { CommandMetrics } from "./histogram.ts";
import { otelHooks } from "./otel_hooks.ts";

const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env;
const url = env?.REDIS_URL ?? "redis://127.0.0.1:6379";

const metrics = new CommandMetrics();
// One `hooks` object per client: spans from the bridge's `start`, metrics from `end`.
const hooks: CommandHooks = { start: otelHooks().start, end: metrics.hooks.end };

await using redis = await connect({ url, hooks });
await redis.set("otel:greeting", "hello");
await redis.get("otel:greeting");
await redis.pipeline().incr("otel:n").incr("otel:n").exec();
await redis.send(["INCR", "otel:greeting"]).catch(() => {}); // a ReplyError: counted as "err"
await redis.del("otel:greeting", "otel:n");
console.log(metrics.render());
