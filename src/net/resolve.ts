/**
 * Picks the transport: the caller's own stream pair when given, otherwise
 * the socket API of the runtime we run on (Deno, Bun, then workerd). The
 * adapters beside this file stay thin, one per runtime; only this file knows
 * them all.
 *
 * @module
 */

import { bunConnector, bunGlobal } from "./bun.ts";
import { denoConnector } from "./deno.ts";
import { streamConnector } from "./streams.ts";
import type { Connector, ConnectTarget, StreamConnector } from "./transport.ts";
import { checkWorkerdTarget, isWorkerd, workerdConnector } from "./workerd.ts";

/** Decides where one connection attempt goes (e.g. Sentinel asks its sentinels). */
export type TargetResolver = (target: ConnectTarget) => Promise<ConnectTarget>;

/**
 * Picks the socket API of the runtime we are on. With `target`, options that
 * this runtime cannot honour throw a `TypeError` here, before any attempt; so
 * does a runtime with no socket API known here (Node.js, a browser), since no
 * retry can fix that: the caller must pass `transport`.
 *
 * @example
 * ```ts
 * import { runtimeConnector } from "./resolve.ts";
 *
 * const connector = runtimeConnector({ host: "127.0.0.1", port: 6379 });
 * ```
 */
export function runtimeConnector(target?: ConnectTarget): Connector {
  if (typeof (globalThis as { Deno?: { connect?: unknown } }).Deno?.connect === "function") {
    return denoConnector;
  }
  if (bunGlobal() !== undefined) return bunConnector;
  if (isWorkerd()) {
    if (target !== undefined) checkWorkerdTarget(target);
    return workerdConnector;
  }
  throw new TypeError(
    "No socket API found in this runtime (not Deno, Bun or workerd): pass the `transport` option, a function that opens a { readable, writable } stream pair",
  );
}

/**
 * The connector for a client: over `transport` when given, else the
 * runtime's; with `resolveTarget`, each attempt first asks it where to go.
 * `target`, when given, is checked against what the runtime can honour.
 *
 * @example
 * ```ts
 * import { resolveConnector } from "./resolve.ts";
 *
 * const viaSentinel = resolveConnector(
 *   undefined,
 *   (target) => Promise.resolve({ ...target, port: 6380 }),
 * );
 * ```
 */
export function resolveConnector(
  transport: StreamConnector | undefined,
  resolveTarget?: TargetResolver,
  target?: ConnectTarget,
): Connector {
  const connector = transport !== undefined ? streamConnector(transport) : runtimeConnector(target);
  if (resolveTarget === undefined) return connector;
  return async (target, handlers) => connector(await resolveTarget(target), handlers);
}
