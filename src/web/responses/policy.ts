/**
 * What may be stored, and for how long: the statuses, the `Cache-Control`
 * directives, `Set-Cookie`, `Vary: *` and `text/event-stream` rules of a
 * shared cache, and the freshness of a response.
 *
 * @module
 */

/**
 * The statuses that are cached: 200 OK, 203 Non-Authoritative Information,
 * 204 No Content, 301 Moved Permanently, 404 Not Found and 410 Gone. Any
 * other status passes through.
 *
 * @example Whether a status can be cached
 * ```ts
 * import { CACHEABLE_STATUSES } from "@redcache/redcache";
 *
 * CACHEABLE_STATUSES.has(404); // true
 * CACHEABLE_STATUSES.has(500); // false: passes through
 * ```
 */
export const CACHEABLE_STATUSES: ReadonlySet<number> = new Set([200, 203, 204, 301, 404, 410]);

/** The `Cache-Control` directives the response cache reads. */
export interface CacheControl {
  /** `no-store`, `private` or `no-cache`: never stored. */
  refuses: boolean;
  /** `s-maxage` in ms. */
  sMaxAge?: number;
  /** `max-age` in ms. */
  maxAge?: number;
  /** `stale-while-revalidate` in ms. */
  staleWhileRevalidate?: number;
  /** `must-revalidate` or `proxy-revalidate`. */
  mustRevalidate: boolean;
}

/** Seconds of a delta-seconds value in ms; `undefined` when malformed. */
function seconds(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value) * 1000;
}

/**
 * Reads a `Cache-Control` header.
 *
 * @param header The header's value, or `null`.
 * @returns The directives that matter here. A malformed `max-age` or
 *   `s-maxage` counts as 0 (stale at once).
 */
export function parseCacheControl(header: string | null): CacheControl {
  const control: CacheControl = { refuses: false, mustRevalidate: false };
  if (header === null) return control;
  for (const part of header.split(",")) {
    const eq = part.indexOf("=");
    const name = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    const value = eq < 0 ? undefined : part.slice(eq + 1).trim().replace(/^"(.*)"$/, "$1");
    switch (name) {
      case "no-store":
      case "private":
      case "no-cache":
        control.refuses = true;
        break;
      case "s-maxage":
        control.sMaxAge = seconds(value) ?? 0;
        break;
      case "max-age":
        control.maxAge = seconds(value) ?? 0;
        break;
      case "stale-while-revalidate":
        control.staleWhileRevalidate = seconds(value);
        break;
      case "must-revalidate":
      case "proxy-revalidate":
        control.mustRevalidate = true;
    }
  }
  return control;
}

/** The defaults a response's own directives override. */
export interface FreshnessDefaults {
  /** Fresh for (ms; `null`: no limit). */
  readonly ttl: number | null;
  /** Stale window (ms). */
  readonly staleWhileRevalidate: number;
}

/** How long a stored response serves. */
export interface Freshness {
  /** When it was generated (now, less the origin's `Age`). */
  storedAt: number;
  /** Fresh for (ms after `storedAt`; may be `Infinity`). */
  freshFor: number;
  /** Then stale but servable for (ms). */
  staleFor: number;
}

/** True when the response's `Vary` makes it uncacheable (`*`). */
function variesOnEverything(vary: string | null): boolean {
  return vary !== null && vary.split(",").some((name) => name.trim() === "*");
}

/**
 * The freshness of `response` if a shared cache may store it, else
 * `undefined`: a status outside `CACHEABLE_STATUSES`, `Set-Cookie`,
 * `Cache-Control: no-store`/`private`/`no-cache`, `Vary: *`, an event
 * stream, or no lifetime left.
 *
 * @param response The handler's response (only its status and headers are read).
 * @param defaults The options' `ttl` and `staleWhileRevalidate`.
 * @param now The current time (epoch ms).
 */
export function storableFreshness(
  response: Response,
  defaults: FreshnessDefaults,
  now: number,
): Freshness | undefined {
  if (!CACHEABLE_STATUSES.has(response.status)) return undefined;
  const headers = response.headers;
  if (headers.has("set-cookie") || variesOnEverything(headers.get("vary"))) return undefined;
  if (headers.get("content-type")?.toLowerCase().startsWith("text/event-stream")) return undefined;
  const control = parseCacheControl(headers.get("cache-control"));
  if (control.refuses) return undefined;
  const freshFor = control.sMaxAge ?? control.maxAge ?? defaults.ttl ?? Infinity;
  const staleFor = control.staleWhileRevalidate ??
    (control.mustRevalidate ? 0 : defaults.staleWhileRevalidate);
  const age = seconds(headers.get("age")?.trim()) ?? 0;
  const storedAt = now - age;
  if (age >= freshFor + staleFor) return undefined;
  return { storedAt, freshFor, staleFor };
}
