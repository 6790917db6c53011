/**
 * An OpenTelemetry bridge for redcache's command hooks: one CLIENT span per
 * command, named after it, with the database semantic conventions'
 * attributes (`db.system.name`, `db.operation.name`, `server.address`,
 * `server.port`, `db.response.status_code`, `error.type`) and redcache's own
 * (`redcache.keys`, `redcache.bytes_out`, `redcache.bytes_in`).
 *
 * It needs only `@opentelemetry/api` (the API, no SDK): set up the SDK and an
 * exporter as usual, or pass your own `Tracer`. Spans become children of the
 * span active where the command is sent, when a context manager is set up.
 *
 * ```ts
 * import { connect } from "../../mod.ts";
 * import { otelHooks } from "./otel_hooks.ts";
 *
 * await using redis = await connect({ url: "redis://127.0.0.1:6379", hooks: otelHooks() });
 * ```
 *
 * @module
 */
import { type Attributes, SpanKind, SpanStatusCode, trace, type Tracer } from "@opentelemetry/api";
import { type CommandHooks, ReplyError } from "../../mod.ts";

/** `server.address` and `server.port` of `host:port`, `[v6]:port`, or a Unix socket path. */
export function serverAttributes(address: string): Attributes {
  const colon = address.lastIndexOf(":");
  if (address.startsWith("/") || colon < 0) {
    return { "server.address": address, "network.transport": "unix" };
  }
  return {
    "server.address": address.slice(0, colon).replace(/^\[|\]$/g, ""),
    "server.port": Number(address.slice(colon + 1)),
  };
}

/**
 * Hooks that turn each command into a span of `tracer` (by default the
 * global provider's tracer named `redcache`).
 *
 * @param tracer Where the spans go.
 * @param db The database number, for `db.namespace` (the hooks do not see `SELECT`).
 */
export function otelHooks(
  tracer: Tracer = trace.getTracer("redcache"),
  db = 0,
): CommandHooks {
  return {
    start(command) {
      const span = tracer.startSpan(command.name, {
        kind: SpanKind.CLIENT,
        attributes: {
          "db.system.name": "redis",
          "db.operation.name": command.name,
          "db.namespace": String(db),
          ...serverAttributes(command.address),
          "redcache.keys": command.keys,
          "redcache.bytes_out": command.bytesOut,
        },
      });
      return (end) => {
        span.setAttribute("redcache.bytes_in", end.bytesIn);
        const error = end.error;
        if (error !== undefined) {
          if (error instanceof ReplyError) span.setAttribute("db.response.status_code", error.code);
          span.setAttribute("error.type", error instanceof ReplyError ? error.code : error.name);
          span.recordException(error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
        }
        span.end();
      };
    },
  };
}
