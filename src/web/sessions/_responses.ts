/**
 * The headers a committed session adds to a response, and the 503 that
 * replaces a response whose session could not be loaded or saved.
 *
 * @module
 */

/** The body of the 503: short, and naming nothing of the session. */
const UNAVAILABLE_BODY = "Session store unavailable\n";

/**
 * A 503 with `Retry-After: 1`, replacing `response` (whose body is cancelled).
 *
 * @param response The handler's response, or `undefined` when it threw.
 */
export function unavailable(response?: Response): Response {
  response?.body?.cancel().catch(() => {});
  return new Response(UNAVAILABLE_BODY, {
    status: 503,
    headers: {
      "content-type": "text/plain; charset=utf-8",
      "cache-control": "no-store",
      "retry-after": "1",
    },
  });
}

function varyByCookie(headers: Headers): void {
  const vary = headers.get("vary");
  if (vary === null) headers.set("vary", "Cookie");
  else if (!/(^|,)\s*(cookie|\*)\s*(,|$)/i.test(vary)) headers.set("vary", `${vary}, Cookie`);
}

/**
 * `response` with a `Set-Cookie` line and `Vary: Cookie` added: the same
 * object when its headers can change, else a copy.
 *
 * @param response The handler's response.
 * @param setCookie The `Set-Cookie` line, if any.
 * @param vary Add `Vary: Cookie` (the response depends on the session).
 */
export function withSessionHeaders(
  response: Response,
  setCookie: string | undefined,
  vary: boolean,
): Response {
  if (setCookie === undefined && !vary) return response;
  const apply = (headers: Headers) => {
    if (setCookie !== undefined) headers.append("set-cookie", setCookie);
    if (vary) varyByCookie(headers);
  };
  try {
    apply(response.headers);
    return response;
  } catch {
    // Immutable headers (Response.redirect(), a fetch() response): copy the response.
    const copy = new Response(response.body, response);
    apply(copy.headers);
    return copy;
  }
}
