/**
 * Picks the transport: the caller's own stream pair when given, otherwise
 * the socket API of the runtime we run on (Deno, then Bun). The adapters
 * beside this file stay thin, one per runtime; only this file knows them all.
 *
 * @module
 */

import { bunConnector, bunGlobal } from "./bun.ts";
import { denoConnector } from "./deno.ts";
import { streamConnector } from "./streams.ts";
import type { Connector, ConnectTarget, StreamConnector } from "./transport.ts";

/** Decides where one connection attempt goes (e.g. Sentinel asks its sentinels). */
export type TargetResolver = (target: ConnectTarget) => Promise<ConnectTarget>;

/** Picks the socket API of the runtime we are on. */
export function runtimeConnector(): Connector {
  if (typeof (globalThis as { Deno?: { connect?: unknown } }).Deno?.connect === "function") {
    return denoConnector;
  }
  if (bunGlobal() !== undefined) return bunConnector;
  return () =>
    Promise.reject(
      new TypeError("No socket API found in this runtime: pass the transport option to open one"),
    );
}

/**
 * The connector for a client: over `transport` when given, else the
 * runtime's; with `resolveTarget`, each attempt first asks it where to go.
 */
export function resolveConnector(
  transport: StreamConnector | undefined,
  resolveTarget?: TargetResolver,
): Connector {
  const connector = transport !== undefined ? streamConnector(transport) : runtimeConnector();
  if (resolveTarget === undefined) return connector;
  return async (target, handlers) => connector(await resolveTarget(target), handlers);
}
