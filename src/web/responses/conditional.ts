/**
 * Conditional requests: `If-None-Match` and `If-Modified-Since` answered
 * with `304 Not Modified` from a stored `ETag` or `Last-Modified`, and the
 * strong `ETag` made for a stored response that has none.
 *
 * @module
 */

const ENTITY_TAG = /(?:W\/)?"[^"]*"/g;
/** The headers a 304 repeats from the full response (RFC 9110, 15.4.5, and Last-Modified). */
const KEPT_BY_304 = [
  "cache-control",
  "content-location",
  "date",
  "etag",
  "expires",
  "last-modified",
  "vary",
];

/** The opaque part of an entity tag, for the weak comparison. */
function opaque(tag: string): string {
  return tag.startsWith("W/") ? tag.slice(2) : tag;
}

/**
 * True when a conditional GET or HEAD may be answered with 304: its
 * `If-None-Match` lists the response's `ETag` (weak comparison) or `*`; or,
 * without `If-None-Match`, its `If-Modified-Since` is no earlier than the
 * response's `Last-Modified`. Only a 200 response is ever "not modified".
 *
 * @param request The client's request.
 * @param status The response's status.
 * @param headers The response's headers.
 */
export function isNotModified(request: Request, status: number, headers: Headers): boolean {
  if (status !== 200) return false;
  const ifNoneMatch = request.headers.get("if-none-match");
  if (ifNoneMatch !== null) {
    if (ifNoneMatch.trim() === "*") return true;
    const etag = headers.get("etag");
    if (etag === null) return false;
    const wanted = opaque(etag.trim());
    return (ifNoneMatch.match(ENTITY_TAG) ?? []).some((tag) => opaque(tag) === wanted);
  }
  const ifModifiedSince = request.headers.get("if-modified-since");
  const lastModified = headers.get("last-modified");
  if (ifModifiedSince === null || lastModified === null) return false;
  const since = Date.parse(ifModifiedSince);
  const modified = Date.parse(lastModified);
  return !Number.isNaN(since) && !Number.isNaN(modified) && modified <= since;
}

/**
 * The 304 for a response with `headers`: no body, and only the headers a
 * 304 repeats (plus `Age` when given).
 *
 * @param headers The full response's headers.
 */
export function notModified(headers: Headers): Response {
  const out = new Headers();
  for (const name of KEPT_BY_304) {
    const value = headers.get(name);
    if (value !== null) out.set(name, value);
  }
  const age = headers.get("age");
  if (age !== null) out.set("age", age);
  return new Response(null, { status: 304, headers: out });
}

/**
 * A strong entity tag for `body`: the first 128 bits of its SHA-256, base64url.
 *
 * @param body The full body.
 * @returns A quoted tag such as `"q1Xbg0Yw3kNwAv2PXqFqbw"`.
 */
export async function strongEtag(body: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", body as BufferSource));
  let binary = "";
  for (let i = 0; i < 16; i++) binary += String.fromCharCode(digest[i]);
  const base64 = btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return `"${base64}"`;
}
