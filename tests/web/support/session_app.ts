/**
 * A small application for the session tests: one handler with a route per session operation,
 * gates that hold a request in the middle of its handler until the test releases it, and
 * helpers to read and forge signed session cookies.
 *
 * Routes (query parameters are session keys and values):
 * - `/plain`: never touches the session;
 * - `/whoami`: `user:<user>` or `user:-`;
 * - `/get?k=name`: the JSON of the value under `name` (`null` when none);
 * - `/set?a=1&b=2`: sets each pair, without reading the session first;
 * - `/login?user=ada`: `regenerate()`, then sets `user`;
 * - `/logout`: `destroy()`;
 * - `/clear`: `clear()`;
 * - `/slow-set?gate=g&a=1`: reads `user` (the session is loaded), waits at gate `g`, then sets;
 * - `/throw-after-read`: reads `user`, then throws (as a handler whose own code fails);
 * - `/guest-on-error`: reads `user`, answering `user:?` when that throws (a handler that
 *   swallows the error).
 *
 * @module
 */
import type { Session } from "../../../src/web/sessions/session.ts";

/** Places in a handler where requests wait for the test. */
export class Gates {
  #gates = new Map<
    string,
    { arrived: PromiseWithResolvers<void>; released: PromiseWithResolvers<void> }
  >();

  #gate(name: string) {
    let gate = this.#gates.get(name);
    if (gate === undefined) {
      gate = { arrived: Promise.withResolvers(), released: Promise.withResolvers() };
      this.#gates.set(name, gate);
    }
    return gate;
  }

  /** Handler side: says it arrived at `name`, then waits for the release. */
  async pass(name: string): Promise<void> {
    const gate = this.#gate(name);
    gate.arrived.resolve();
    await gate.released.promise;
  }

  /** Test side: resolves once a request arrived at `name`. */
  arrived(name: string): Promise<void> {
    return this.#gate(name).arrived.promise;
  }

  /** Test side: lets the request waiting at `name` go on. */
  release(name: string): void {
    this.#gate(name).released.resolve();
  }
}

const text = (body: string) => new Response(body, { headers: { "content-type": "text/plain" } });

/** The application's handler, for `wrap()` or the Hono adapter. */
export function sessionApp(
  gates: Gates = new Gates(),
): (request: Request, session: Session) => Promise<Response> {
  return async (request, session) => {
    const url = new URL(request.url);
    const query = [...url.searchParams];
    switch (url.pathname) {
      case "/plain":
        return text("plain");
      case "/whoami":
        return text(`user:${await session.get<string>("user") ?? "-"}`);
      case "/get":
        return Response.json(await session.get(url.searchParams.get("k")!) ?? null);
      case "/set":
        for (const [key, value] of query) session.set(key, value);
        return text("ok");
      case "/login":
        await session.regenerate();
        session.set("user", url.searchParams.get("user") ?? "ada");
        return text("welcome");
      case "/logout":
        session.destroy();
        return text("bye");
      case "/clear":
        session.clear();
        return text("cleared");
      case "/slow-set":
        await session.get("user");
        await gates.pass(url.searchParams.get("gate")!);
        for (const [key, value] of query) if (key !== "gate") session.set(key, value);
        return text("ok");
      case "/guest-on-error":
        return text(`user:${await session.get<string>("user").catch(() => "?") ?? "-"}`);
      case "/throw-after-read":
        await session.get("user");
        throw new Error("The handler failed");
      default:
        return new Response("not found", { status: 404 });
    }
  };
}

/** The session id in a cookie value `<id>.<signature>`. */
export function idOf(cookie: string | undefined): string {
  if (cookie === undefined) throw new Error("No session cookie");
  return cookie.slice(0, cookie.indexOf("."));
}

function base64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_")
    .replace(/=+$/, "");
}

/** A cookie value for `id` signed with `secret`, as the sessions sign it (HMAC-SHA-256). */
export async function signedCookie(secret: string, id: string): Promise<string> {
  const utf8 = new TextEncoder();
  const key = await crypto.subtle.importKey(
    "raw",
    utf8.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const signature = await crypto.subtle.sign("HMAC", key, utf8.encode(id));
  return `${id}.${base64Url(new Uint8Array(signature))}`;
}

/** A random id of the sessions' shape (32 base64url characters). */
export function randomId(): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(24)));
}
