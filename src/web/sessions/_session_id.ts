/**
 * Session ids: 192 random bits from `crypto.getRandomValues`, as 32
 * base64url characters.
 *
 * @module
 */

import { encodeBase64Url } from "./_base64url.ts";

/** Random bytes in a session id (192 bits; at least 128 are required). */
const ID_BYTES = 24;

/** What a session id looks like: 32 base64url characters. */
export const SESSION_ID = /^[A-Za-z0-9_-]{32}$/;

/** A new random session id. */
export function newSessionId(): string {
  return encodeBase64Url(crypto.getRandomValues(new Uint8Array(ID_BYTES)));
}
