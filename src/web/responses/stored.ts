/**
 * Turning a handler's response into a stored one and back: which headers
 * are kept, the `ETag` made when missing, and the `Age`, `HEAD` and `304`
 * answers of a hit.
 *
 * @module
 */

import { isNotModified, notModified, strongEtag } from "./conditional.ts";
import type { StoredResponse } from "./frame.ts";
import type { Freshness } from "./policy.ts";

/** Headers never stored: recomputed on every answer, or about the connection. */
const NOT_STORED = new Set([
  "age",
  "content-length",
  "connection",
  "keep-alive",
  "transfer-encoding",
  "proxy-connection",
]);
/** Statuses whose responses have no body. */
const NULL_BODY = new Set([204, 205, 304]);

/**
 * The stored form of a response whose body was read whole: its headers
 * without `tagHeader` and the per-connection ones, with a strong `ETag`
 * added to a 200 that has none.
 *
 * @param response The handler's response (its body already read).
 * @param body The body.
 * @param freshness When it was made and how long it serves.
 * @param tagHeader The lowercased tag header, removed.
 */
export async function toStored(
  response: Response,
  body: Uint8Array,
  freshness: Freshness,
  tagHeader: string | undefined,
): Promise<StoredResponse> {
  const headers: string[] = [];
  let hasEtag = false;
  for (const [name, value] of response.headers) {
    if (NOT_STORED.has(name) || name === tagHeader) continue;
    if (name === "etag") hasEtag = true;
    headers.push(name, value);
  }
  if (!hasEtag && response.status === 200) headers.push("etag", await strongEtag(body));
  return { kind: "response", ...freshness, status: response.status, headers, body };
}

/**
 * The answer to `request` from a stored response: a 304 when its
 * conditions hold, no body for `HEAD`, and `Age` in whole seconds.
 *
 * @param stored The stored response.
 * @param request The client's request.
 * @param now The current time (epoch ms).
 */
export function fromStored(stored: StoredResponse, request: Request, now: number): Response {
  const headers = new Headers();
  const fields = stored.headers;
  for (let i = 0; i < fields.length; i += 2) headers.append(fields[i], fields[i + 1]);
  headers.set("age", String(Math.max(0, Math.floor((now - stored.storedAt) / 1000))));
  if (isNotModified(request, stored.status, headers)) return notModified(headers);
  const bodyless = request.method === "HEAD" || NULL_BODY.has(stored.status);
  if (request.method === "HEAD") headers.set("content-length", String(stored.body.length));
  return new Response(bodyless ? null : stored.body as BodyInit, {
    status: stored.status,
    headers,
  });
}

/**
 * `response` without `tagHeader`; the same object when it has none.
 *
 * @param response A response on its way to the client.
 * @param tagHeader The lowercased tag header, or `undefined`.
 */
export function withoutTags(response: Response, tagHeader: string | undefined): Response {
  if (tagHeader === undefined || !response.headers.has(tagHeader)) return response;
  const headers = new Headers(response.headers);
  headers.delete(tagHeader);
  const { status, statusText } = response;
  return new Response(response.body, { status, statusText, headers });
}
