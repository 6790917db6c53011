/**
 * The miss path's work: run the handler, decide whether its response may be
 * stored, read its body within the limit, store it (and the Vary pointer)
 * with its tags, and answer the caller.
 *
 * @module
 */

import type { Handler } from "../handler.ts";
import { readLimited } from "./body.ts";
import { encodeFrame, type StoredResponse } from "./frame.ts";
import { canonicalUrl, headerSuffix, urlTag, varyNames } from "./keys.ts";
import type { ResponseCacheSettings } from "./options.ts";
import { storableFreshness } from "./policy.ts";
import { fromStored, toStored, withoutTags } from "./stored.ts";

/** What a render leaves for callers waiting on the same key. */
export interface Shared {
  /** The key the response belongs under (its variant key). */
  readonly key: string;
  /** The response, when it was storable (and so may be shared). */
  readonly stored?: StoredResponse;
}

/** The outcome of a render: the caller's answer, and what others may share. */
export interface Rendered {
  /** The answer for the request that rendered. */
  readonly response: Response;
  /** For the callers that waited. */
  readonly shared: Shared;
}

/** Reports a failure the response cache hides from the client. */
export type Report = (error: unknown, op: string, key: string) => void;

/** Request headers that would make the handler answer something else than the full response. */
const CONDITIONAL = [
  "if-none-match",
  "if-modified-since",
  "if-match",
  "if-unmodified-since",
  "if-range",
  "range",
];

/**
 * The request the handler renders from: without conditional and range
 * headers (the cache answers those itself); a copy is a GET without the
 * client's signal. A background refresh always renders from a copy.
 *
 * @param request The client's request.
 * @param detached True for a background refresh.
 */
export function renderRequest(request: Request, detached: boolean): Request {
  if (!detached && !CONDITIONAL.some((name) => request.headers.has(name))) return request;
  const headers = new Headers(request.headers);
  for (const name of CONDITIONAL) headers.delete(name);
  // Not `new Request(request, …)`: that would follow the client's signal, and a render that
  // other requests wait for must not end when its first client hangs up.
  return new Request(request.url, { headers });
}

/** Milliseconds a stored response keeps in Redis (`null`: forever). */
function storeTtl(stored: StoredResponse, now: number): number | null {
  const end = stored.storedAt + stored.freshFor + stored.staleFor;
  return end === Infinity ? null : Math.max(1, Math.ceil(end - now));
}

/**
 * Stores `stored` under `key`, and a Vary pointer under `primary` when the
 * key is a variant; failures are reported, never thrown.
 */
async function write(
  settings: ResponseCacheSettings,
  report: Report,
  target: { primary: string; key: string; names: readonly string[] },
  stored: StoredResponse,
  tags: readonly string[],
): Promise<void> {
  const { access } = settings;
  const ttl = storeTtl(stored, Date.now());
  const writes = [access.setBytes(target.key, encodeFrame(stored), { ttl, tags })];
  if (target.names.length > 0) {
    const pointer = encodeFrame({ kind: "vary", names: target.names });
    writes.push(access.setBytes(target.primary, pointer, { ttl, tags: tags.slice(0, 1) }));
  }
  const results = await Promise.allSettled(writes);
  for (const result of results) {
    if (result.status === "rejected") report(result.reason, "write", target.key);
  }
}

/**
 * Renders `request` with `next` and stores the response when it may be.
 * A handler error propagates and nothing is stored.
 *
 * @param settings The response cache's settings.
 * @param report Where hidden failures go.
 * @param request The client's request, answered (the handler gets `renderRequest` of it).
 * @param next The handler.
 * @param job The request's primary key, whether this is a background refresh,
 *   and what to call with the Vary names learned for the key.
 */
export async function render(
  settings: ResponseCacheSettings,
  report: Report,
  request: Request,
  next: Handler,
  job: { primary: string; detached: boolean; remember: (names: readonly string[]) => void },
): Promise<Rendered> {
  const { primary, remember } = job;
  const response = await next(renderRequest(request, job.detached));
  const tagHeader = settings.tagHeader;
  const freshness = storableFreshness(response, settings, Date.now());
  const names = varyNames(response.headers.get("vary"), settings.vary);
  const key = primary + headerSuffix(request, names);
  if (freshness === undefined) {
    return { response: withoutTags(response, tagHeader), shared: { key } };
  }
  const body = await readLimited(response, settings.maxBodyBytes);
  if (body.response !== undefined) {
    return { response: withoutTags(body.response, tagHeader), shared: { key } };
  }
  const stored = await toStored(response, body.bytes, freshness, tagHeader);
  const tags = [urlTag(settings.namespace, canonicalUrl(request.url))];
  const listed = tagHeader === undefined ? null : response.headers.get(tagHeader);
  if (listed !== null) tags.push(...listed.split(/\s+/).filter((tag) => tag !== ""));
  remember(names);
  await write(settings, report, { primary, key, names }, stored, tags);
  return { response: fromStored(stored, request, Date.now()), shared: { key, stored } };
}
