/**
 * Signing the session cookie: its value is `<id>.<signature>`, the signature
 * an HMAC-SHA-256 of the id (Web Crypto), base64url. Cookies are signed with
 * the first secret and verified with each in turn (`crypto.subtle.verify`,
 * constant time), so secrets can be rotated.
 *
 * @module
 */

import { decodeBase64Url, encodeBase64Url } from "./_base64url.ts";
import { SESSION_ID } from "./_session_id.ts";

/** Longest cookie value looked at (4 KiB); longer ones are ignored unread. */
export const MAX_COOKIE_CHARS = 4096;

const utf8 = /* @__PURE__ */ new TextEncoder();

/** Signs session ids into cookie values and verifies them back. */
export class CookieSigner {
  #secrets: readonly string[];
  #keys: Promise<CryptoKey[]> | undefined;

  /** @param secrets The secrets, the signing one first (already checked). */
  constructor(secrets: readonly string[]) {
    this.#secrets = secrets;
  }

  #cryptoKeys(): Promise<CryptoKey[]> {
    this.#keys ??= Promise.all(this.#secrets.map((secret) =>
      crypto.subtle.importKey(
        "raw",
        utf8.encode(secret),
        { name: "HMAC", hash: "SHA-256" },
        false,
        ["sign", "verify"],
      )
    ));
    return this.#keys;
  }

  /** The cookie value of session `id`, signed with the first secret. */
  async sign(id: string): Promise<string> {
    const [key] = await this.#cryptoKeys();
    const signature = await crypto.subtle.sign("HMAC", key, utf8.encode(id));
    return `${id}.${encodeBase64Url(new Uint8Array(signature))}`;
  }

  /**
   * The session id in a cookie value, or `undefined` when the value is not
   * one this signer (with any of its secrets) made: too long, malformed,
   * unsigned or tampered with.
   */
  async verify(value: string): Promise<string | undefined> {
    if (value.length > MAX_COOKIE_CHARS) return undefined;
    const dot = value.indexOf(".");
    const id = value.slice(0, dot);
    if (dot < 0 || !SESSION_ID.test(id)) return undefined;
    const signature = decodeBase64Url(value.slice(dot + 1));
    if (signature === undefined || signature.length !== 32) return undefined;
    const data = utf8.encode(id);
    for (const key of await this.#cryptoKeys()) {
      if (await crypto.subtle.verify("HMAC", key, signature, data)) return id;
    }
    return undefined;
  }
}
