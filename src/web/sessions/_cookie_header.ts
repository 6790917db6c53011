/**
 * Reading the session cookie out of a `Cookie` header, and writing its
 * `Set-Cookie` line.
 *
 * @module
 */

import type { CookieSettings } from "./_resolve_options.ts";
import { MAX_COOKIE_CHARS } from "./_cookie_signer.ts";

/** How many cookies of the session's name are checked (one per path or domain). */
const MAX_CANDIDATES = 4;

/**
 * The values of the cookies called `name` in a `Cookie` header, at most a
 * few and none over 4 KiB.
 *
 * @param header The request's `Cookie` header.
 * @param name The session cookie's name.
 * @returns Candidate values, to be verified.
 */
export function cookieValues(header: string, name: string): string[] {
  const values: string[] = [];
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    if (value.length > MAX_COOKIE_CHARS) continue;
    values.push(value);
    if (values.length === MAX_CANDIDATES) break;
  }
  return values;
}

/**
 * A `Set-Cookie` line.
 *
 * @param settings The cookie's attributes.
 * @param value The signed value, or `undefined` to expire the cookie.
 */
export function setCookieLine(settings: CookieSettings, value: string | undefined): string {
  const parts = [`${settings.name}=${value ?? ""}`, `Path=${settings.path}`];
  if (settings.domain !== undefined) parts.push(`Domain=${settings.domain}`);
  if (value === undefined) {
    parts.push("Max-Age=0", "Expires=Thu, 01 Jan 1970 00:00:00 GMT");
  } else if (settings.maxAgeSeconds !== null) {
    parts.push(`Max-Age=${settings.maxAgeSeconds}`);
  }
  if (settings.httpOnly) parts.push("HttpOnly");
  if (settings.secure) parts.push("Secure");
  parts.push(`SameSite=${settings.sameSite}`);
  return parts.join("; ");
}
