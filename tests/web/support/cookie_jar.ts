/**
 * A tiny cookie jar for web tests: remembers the cookies that responses set (name and value;
 * `Max-Age=0` or a past `Expires` removes one) and sends them back as a `Cookie` header.
 * One jar is one browser talking to one origin; paths and domains are not matched.
 *
 * ```ts
 * const jar = new CookieJar();
 * const response = await jar.fetch(`${server.url}/login`);
 * jar.get("sid"); // the value the server set
 * ```
 *
 * @module
 */

/** Cookies by name, filled from `Set-Cookie` headers. */
export class CookieJar {
  #cookies = new Map<string, string>();

  /** The value of cookie `name`, or `undefined`. */
  get(name: string): string | undefined {
    return this.#cookies.get(name);
  }

  /** Sets (or replaces) a cookie by hand, as a tampering browser would. */
  set(name: string, value: string): void {
    this.#cookies.set(name, value);
  }

  /** Forgets cookie `name`. */
  delete(name: string): void {
    this.#cookies.delete(name);
  }

  /** The `Cookie` header for the next request, or `undefined` when the jar is empty. */
  header(): string | undefined {
    if (this.#cookies.size === 0) return undefined;
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  /** Takes in the `Set-Cookie` headers of `response`. */
  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";").map((part) => part.trim());
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const expired = attributes.some((attribute) => {
        const [key, val = ""] = attribute.split("=");
        if (key.toLowerCase() === "max-age") return Number(val) <= 0;
        if (key.toLowerCase() === "expires") return Date.parse(val) <= Date.now();
        return false;
      });
      if (expired) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }

  /** `fetch` with the jar's cookies, storing what the response sets. */
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookie = this.header();
    if (cookie !== undefined && !headers.has("cookie")) headers.set("cookie", cookie);
    const response = await fetch(url, { ...init, headers });
    this.store(response);
    return response;
  }
}
