/**
 * The web example's application, written once against the standard `Request`/`Response`:
 *
 * - `GET /report?id=N`: a page that takes 50 ms to render, cached by `cacheResponses` for a minute
 *   and tagged `report report:N` through its `Surrogate-Key` header;
 * - `GET /`: who is logged in, from the Redis session;
 * - `POST /login` (form field `user`): a new session id (`regenerate()`, against fixation), then
 *   the user is stored in the session;
 * - `POST /logout`: the session is destroyed;
 * - `POST /purge?url=…` or `?tag=…`: drops cached pages in every process;
 * - `GET /stats`: how many times this process rendered the report (for the tests).
 *
 * `deno.ts`, `bun.ts` and `hono.ts` serve it.
 *
 * @module
 */
import { type Cache, cacheResponses, type Session, sessions } from "../../mod.ts";

/** The routes, for the servers to wire up. */
export interface DemoApp {
  /** The cached report page. */
  report(request: Request): Promise<Response>;
  /** The report page, uncached (what the response cache calls on a miss). */
  renderReport(request: Request): Promise<Response>;
  home(session: Session): Promise<Response>;
  login(request: Request, session: Session): Promise<Response>;
  logout(session: Session): Promise<Response>;
  purge(request: Request): Promise<Response>;
  stats(): Response;
  /** Every route on one standard handler, sessions included. */
  handler(request: Request): Promise<Response>;
  /** Waits for background refreshes and closes the cache. */
  close(): Promise<void>;
}

const html = (body: string, status = 200) =>
  new Response(`<!doctype html><meta charset="utf-8"><title>redcache demo</title>${body}`, {
    status,
    headers: { "content-type": "text/html; charset=utf-8" },
  });

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The demo application on `cache`, its sessions signed with `secret` (32+ characters).
 *
 * @param secure Send the session cookie over HTTPS only (false for http://127.0.0.1).
 */
export function createDemoApp(cache: Cache, secret: string, secure = false): DemoApp {
  let renders = 0;
  const renderReport = async (request: Request): Promise<Response> => {
    renders++;
    const id = new URL(request.url).searchParams.get("id") ?? "1";
    await new Promise((resolve) => setTimeout(resolve, 50)); // the expensive part
    const response = html(
      `<h1>Report ${escape(id)}</h1><p>rendered at ${new Date().toISOString()}`,
    );
    response.headers.set("surrogate-key", `report report:${id}`);
    return response;
  };
  // The page is the same for everyone, so logged-in visitors (who send a session cookie) share it:
  // the key says so by ignoring the cookie.
  const pages = cacheResponses(renderReport, {
    cache,
    ttl: "1m",
    key: (request) => new URL(request.url).href,
  });
  const auth = sessions({ cache, secret, cookie: { secure }, ttl: "1h" });

  const app: DemoApp = {
    report: (request) => Promise.resolve(pages(request)),
    renderReport,
    async home(session) {
      const user = await session.get<string>("user");
      return html(user ? `<p>Hello ${escape(user)}</p>` : `<p>Not logged in</p>`);
    },
    async login(request, session) {
      const form = await request.formData();
      const user = form.get("user");
      if (typeof user !== "string" || user === "") return html("<p>user is required</p>", 400);
      await session.regenerate();
      session.set("user", user);
      session.set("loggedInAt", Date.now());
      return new Response(null, { status: 303, headers: { location: "/" } });
    },
    async logout(session) {
      await session.destroy();
      return new Response(null, { status: 303, headers: { location: "/" } });
    },
    async purge(request) {
      const params = new URL(request.url).searchParams;
      const url = params.get("url");
      const tag = params.get("tag");
      if (url !== null) await pages.purgeUrl(new URL(url, request.url).href);
      else if (tag !== null) await pages.purgeTags([tag]);
      else return html("<p>url or tag is required</p>", 400);
      return new Response(null, { status: 204 });
    },
    stats: () => Response.json({ renders }),
    handler: auth.wrap((request, session) => {
      const { pathname } = new URL(request.url);
      switch (`${request.method} ${pathname}`) {
        case "GET /report":
        case "HEAD /report":
          return app.report(request);
        case "GET /":
          return app.home(session);
        case "POST /login":
          return app.login(request, session);
        case "POST /logout":
          return app.logout(session);
        case "POST /purge":
          return app.purge(request);
        case "GET /stats":
          return app.stats();
        default:
          return html("<p>Not found</p>", 404);
      }
    }),
    async close() {
      await pages.close();
      await cache.close();
    },
  };
  return app;
}
