/**
 * The session cookie: bad cookies (tampered, unsigned, oversized, odd characters, expired,
 * unknown) start a new session without an error, secrets rotate, attributes follow the
 * options, and the options are checked.
 */
import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { useRedis } from "../support/use_redis.ts";
import { until } from "../support/wait.ts";
import { createCache } from "../../mod.ts";
import { sessions } from "../../src/web/sessions/sessions.ts";
import type { SessionsOptions } from "../../src/web/sessions/session_options.ts";
import { CookieJar } from "./support/cookie_jar.ts";
import { idOf, randomId, sessionApp, signedCookie } from "./support/session_app.ts";
import { SECRET, sessionFixture } from "./support/session_fixture.ts";
import { serve } from "./support/serve.ts";

const OLD = "old-secret-aaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const NEW = "new-secret-bbbbbbbbbbbbbbbbbbbbbbbbbbbb";

async function call(jar: CookieJar, url: string): Promise<{ response: Response; body: string }> {
  const response = await jar.fetch(url);
  return { response, body: await response.text() };
}

/** A jar holding only `sid=value`. */
function jarWith(value: string): CookieJar {
  const jar = new CookieJar();
  jar.set("sid", value);
  return jar;
}

describe("sessions(): the cookie", () => {
  const redis = useRedis();

  it("tampered, unsigned, oversized or odd cookies start a new session: 200, no error", async () => {
    await using app = sessionFixture({ url: redis.url });
    const owner = new CookieJar();
    await call(owner, `${app.url}/login?user=ada`);
    const valid = owner.get("sid")!;
    const id = idOf(valid);
    const signature = valid.slice(id.length + 1);
    const flip = (text: string, at: number) =>
      text.slice(0, at) + (text[at] === "A" ? "B" : "A") + text.slice(at + 1);
    const bad: Record<string, string> = {
      "signature changed": `${id}.${flip(signature, 10)}`,
      "last signature character changed": `${id}.${flip(signature, signature.length - 1)}`,
      "id changed": `${flip(id, 5)}.${signature}`,
      "unsigned": id,
      "signed with another secret": await signedCookie(OLD, id),
      "empty": "",
      "oversized": `${valid}${"A".repeat(5_000)}`,
      "oversized, valid prefix": `${valid}.${"x".repeat(4_100)}`,
      "angle brackets": `${valid}<script>`,
      "quoted": `"${valid}"`,
      "percent": `${id}%2E${signature}`,
      "comma": `${valid},x`,
      "non-ASCII": `${id}.${signature.slice(0, -1)}\u00e9`,
    };
    for (const [label, value] of Object.entries(bad)) {
      const jar = jarWith(value);
      const read = await call(jar, `${app.url}/whoami`);
      assert.equal(read.response.status, 200, label);
      assert.equal(read.body, "user:-", label);
      assert.deepEqual(read.response.headers.getSetCookie(), [], label);
      const write = await call(jar, `${app.url}/set?k=${encodeURIComponent(label)}`);
      assert.equal(write.response.status, 200, label);
      const fresh = jar.get("sid")!;
      assert.notEqual(idOf(fresh), id, `${label}: the id was adopted`);
      assert.equal((await call(jar, `${app.url}/get?k=k`)).body, JSON.stringify(label));
    }
    assert.equal((await call(owner, `${app.url}/whoami`)).body, "user:ada");
    assert.equal(await redis.server.cli("HGET", app.key(valid), "k"), "");
  });

  it("an expired session (its TTL passed) starts a new one", async () => {
    await using app = sessionFixture({ url: redis.url }, { ttl: 300 });
    const jar = new CookieJar();
    await call(jar, `${app.url}/login?user=ada`);
    const cookie = jar.get("sid")!;
    await until(async () => await redis.server.cli("EXISTS", app.key(cookie)) === "0");
    const { response, body } = await call(jar, `${app.url}/whoami`);
    assert.equal(response.status, 200);
    assert.equal(body, "user:-");
    await call(jar, `${app.url}/set?a=1`);
    assert.notEqual(idOf(jar.get("sid")), idOf(cookie));
  });

  it("a correctly signed id that was never stored is not adopted", async () => {
    await using app = sessionFixture({ url: redis.url });
    const forged = await signedCookie(SECRET, randomId());
    const jar = jarWith(forged);
    assert.equal((await call(jar, `${app.url}/whoami`)).body, "user:-");
    await call(jar, `${app.url}/set?a=1`); // written without a read first
    assert.notEqual(idOf(jar.get("sid")), idOf(forged), "a write adopted the id");
    assert.equal(await redis.server.cli("EXISTS", app.key(forged)), "0");
    assert.equal((await call(jar, `${app.url}/get?k=a`)).body, '"1"');
  });

  it("a write to a session that vanished, not read first, starts a new session with it", async () => {
    await using app = sessionFixture({ url: redis.url });
    const jar = new CookieJar();
    await call(jar, `${app.url}/login?user=ada`);
    const cookie = jar.get("sid")!;
    await redis.server.cli("DEL", app.key(cookie));
    await call(jar, `${app.url}/set?a=1`);
    assert.notEqual(idOf(jar.get("sid")), idOf(cookie));
    assert.equal(await redis.server.cli("EXISTS", app.key(cookie)), "0", "old id revived");
    assert.equal((await call(jar, `${app.url}/get?k=a`)).body, '"1"');
    assert.equal((await call(jar, `${app.url}/whoami`)).body, "user:-");
  });

  it("rotated secrets: old cookies are accepted while listed, new ones signed with the first", async () => {
    await using cache = createCache({ url: redis.url, keyPrefix: "rotate" });
    await using before = serve(sessions({ cache, secret: OLD }).wrap(sessionApp()));
    await using during = serve(sessions({ cache, secrets: [NEW, OLD] }).wrap(sessionApp()));
    await using after = serve(sessions({ cache, secrets: [NEW] }).wrap(sessionApp()));
    const jar = new CookieJar();
    await call(jar, `${before.url}/login?user=ada`);
    const old = jar.get("sid")!;
    assert.equal(old, await signedCookie(OLD, idOf(old)));

    assert.equal((await call(jar, `${during.url}/whoami`)).body, "user:ada");
    await call(jar, `${during.url}/set?a=1`);
    const resigned = jar.get("sid")!;
    assert.equal(idOf(resigned), idOf(old));
    assert.equal(resigned, await signedCookie(NEW, idOf(old)), "not signed with the first secret");
    assert.equal((await call(jar, `${after.url}/whoami`)).body, "user:ada");

    assert.equal((await call(jarWith(old), `${after.url}/whoami`)).body, "user:-");
  });

  it("cookie attributes follow the options", async () => {
    const cookie = {
      name: "app_sid",
      secure: false,
      httpOnly: false,
      sameSite: "Strict",
      path: "/app",
      domain: "example.test",
      maxAge: null,
    } as const;
    await using app = sessionFixture({ url: redis.url }, { cookie });
    const { response } = await call(new CookieJar(), `${app.url}/set?a=1`);
    const [line] = response.headers.getSetCookie();
    assert.match(line, /^app_sid=[A-Za-z0-9_-]{32}\.[A-Za-z0-9_-]{43}; /);
    assert.deepEqual(line.split("; ").slice(1), [
      "Path=/app",
      "Domain=example.test",
      "SameSite=Strict",
    ]);

    await using hours = sessionFixture({ url: redis.url }, { cookie: { maxAge: "1h" } });
    const [other] = (await call(new CookieJar(), `${hours.url}/set?a=1`)).response.headers
      .getSetCookie();
    assert.ok(other.split("; ").includes("Max-Age=3600"), other);
  });
});

describe("sessions(): options", () => {
  const redis = useRedis();

  it("are checked: unknown names, secrets, cookie values, memory:// caches", async () => {
    await using cache = createCache({ url: redis.url, keyPrefix: "opts" });
    const make = (options: Record<string, unknown>) => () =>
      sessions({ cache, ...options } as unknown as SessionsOptions);
    assert.throws(make({ secret: SECRET, rollin: true }), {
      name: "TypeError",
      message: /Unknown option "rollin" for sessions\(\); did you mean "rolling"\?/,
    });
    assert.throws(make({ secret: SECRET, cookie: { samesite: "Lax" } }), {
      name: "TypeError",
      message: /Unknown option "samesite" for sessions\(\) cookie/,
    });
    const short = "too-short-secret";
    assert.throws(make({ secret: short }), (error: Error) => {
      assert.ok(error instanceof TypeError);
      assert.match(error.message, /at least 32 characters/);
      assert.ok(!error.message.includes(short), "the message shows the secret");
      return true;
    });
    assert.throws(make({ secrets: [SECRET, short] }), /"secrets\[1\]".*at least 32/);
    assert.throws(make({ secrets: [] }), TypeError);
    assert.throws(make({}), /exactly one of "secret" and "secrets"/);
    assert.throws(make({ secret: SECRET, secrets: [SECRET] }), /exactly one/);
    assert.throws(make({ secret: SECRET, cookie: { sameSite: "lax" } }), TypeError);
    assert.throws(make({ secret: SECRET, cookie: { sameSite: "None", secure: false } }), /None/);
    assert.throws(make({ secret: SECRET, cookie: { name: "a b" } }), /cookie\.name/);
    assert.throws(make({ secret: SECRET, cookie: { path: "/a;b" } }), /cookie\.path/);
    assert.throws(make({ secret: SECRET, ttl: "soon" }), /Invalid option "ttl"/);
    assert.throws(make({ secret: SECRET, rolling: "yes" }), /Invalid option "rolling"/);
    assert.throws(
      () => sessions({ cache: {} as never, secret: SECRET }),
      /Invalid option "cache": expected a cache made by createCache\(\)/,
    );
    await using memory = createCache("memory://");
    assert.throws(
      () => sessions({ cache: memory, secret: SECRET }),
      { name: "TypeError", message: /memory:\/\// },
    );
  });

  it("commit() takes only sessions it opened, once", async () => {
    await using cache = createCache({ url: redis.url, keyPrefix: "commit" });
    const one = sessions({ cache, secret: SECRET });
    const two = sessions({ cache, secret: SECRET });
    const session = await one.open(new Request("http://localhost/"));
    await assert.rejects(two.commit(session, new Response("x")), TypeError);
    session.set("a", 1);
    const response = await one.commit(session, new Response("x"));
    assert.equal(response.headers.getSetCookie().length, 1);
    assert.throws(() => session.set("b", 2), /already committed/);
    await response.body?.cancel();
  });

  it("a redirect's immutable headers still get the cookie (on a copy)", async () => {
    await using cache = createCache({ url: redis.url, keyPrefix: "redirect" });
    const auth = sessions({ cache, secret: SECRET });
    const session = await auth.open(new Request("http://localhost/"));
    session.set("a", 1);
    const response = await auth.commit(session, Response.redirect("http://localhost/next", 303));
    assert.equal(response.status, 303);
    assert.equal(response.headers.get("location"), "http://localhost/next");
    assert.equal(response.headers.getSetCookie().length, 1);
  });
});
