/**
 * `sessions()` through a real HTTP server on loopback and a real Redis: login and
 * regenerate, logout, data across requests, concurrent writes of one session, clear(),
 * rolling, and which requests touch Redis at all.
 */
import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { useRedis } from "../support/use_redis.ts";
import { CookieJar } from "./support/cookie_jar.ts";
import { idOf } from "./support/session_app.ts";
import { sessionFixture } from "./support/session_fixture.ts";

/** A request through `jar`; returns the body text (consumed, so no stream is left open). */
async function call(jar: CookieJar, url: string): Promise<{ response: Response; body: string }> {
  const response = await jar.fetch(url);
  return { response, body: await response.text() };
}

/** Commands the server ran since the last `CONFIG RESETSTAT`, by name (INFO and CONFIG left out). */
async function commandsRun(cli: (...args: string[]) => Promise<string>) {
  const info = await cli("INFO", "commandstats");
  const calls: Record<string, number> = {};
  for (const [, name, count] of info.matchAll(/^cmdstat_([\w|]+):calls=(\d+)/gm)) {
    if (name !== "info" && !name.startsWith("config")) calls[name] = Number(count);
  }
  return calls;
}

describe("sessions() with Deno.serve / Bun.serve", () => {
  const redis = useRedis();

  it("login regenerates the id: the data is kept, the old id no longer works", async () => {
    await using app = sessionFixture({ url: redis.url });
    const jar = new CookieJar();
    assert.equal((await call(jar, `${app.url}/set?cart=3`)).body, "ok");
    const before = jar.get("sid");
    assert.ok(before);
    assert.equal(await redis.server.cli("HGET", app.key(before), "cart"), '"3"');

    assert.equal((await call(jar, `${app.url}/login?user=ada`)).body, "welcome");
    const after = jar.get("sid");
    assert.ok(after && idOf(after) !== idOf(before), "login did not change the id");
    assert.equal(await redis.server.cli("EXISTS", app.key(before)), "0", "old key survived");
    assert.equal((await call(jar, `${app.url}/whoami`)).body, "user:ada");
    assert.equal((await call(jar, `${app.url}/get?k=cart`)).body, '"3"', "data was not kept");

    // Someone holding the old cookie gets nothing, and is not given the old id back.
    const stale = new CookieJar();
    stale.set("sid", before);
    const { response, body } = await call(stale, `${app.url}/whoami`);
    assert.equal(response.status, 200);
    assert.equal(body, "user:-");
    assert.deepEqual(response.headers.getSetCookie(), []);
    await call(stale, `${app.url}/set?x=1`);
    assert.notEqual(idOf(stale.get("sid")), idOf(before), "the old id was adopted");
    assert.equal(await redis.server.cli("EXISTS", app.key(before)), "0");
  });

  it("logout deletes the key and expires the cookie", async () => {
    await using app = sessionFixture({ url: redis.url });
    const jar = new CookieJar();
    await call(jar, `${app.url}/login?user=ada`);
    const cookie = jar.get("sid")!;
    assert.equal(await redis.server.cli("EXISTS", app.key(cookie)), "1");

    const { response, body } = await call(jar, `${app.url}/logout`);
    assert.equal(body, "bye");
    const [line] = response.headers.getSetCookie();
    assert.match(line, /^sid=; /);
    assert.match(line, /Max-Age=0/);
    assert.equal(jar.get("sid"), undefined);
    assert.equal(await redis.server.cli("EXISTS", app.key(cookie)), "0");

    const replay = new CookieJar();
    replay.set("sid", cookie);
    assert.equal((await call(replay, `${app.url}/whoami`)).body, "user:-");
  });

  it("keeps data across requests; values keep their types", async () => {
    await using app = sessionFixture({ url: redis.url });
    const jar = new CookieJar();
    await call(jar, `${app.url}/set?a=1`);
    const first = jar.get("sid");
    await call(jar, `${app.url}/set?b=two`);
    assert.equal(idOf(jar.get("sid")), idOf(first), "a change of data changed the id");
    assert.equal((await call(jar, `${app.url}/get?k=a`)).body, '"1"');
    assert.equal((await call(jar, `${app.url}/get?k=b`)).body, '"two"');
    assert.equal((await call(jar, `${app.url}/get?k=none`)).body, "null");
    assert.equal(await redis.server.cli("HLEN", app.key(first)), "2");
  });

  it("the default cookie: sid, HttpOnly, Secure, SameSite=Lax, Path=/, Max-Age 14 days; TTL 14 days", async () => {
    await using app = sessionFixture({ url: redis.url });
    const jar = new CookieJar();
    const { response } = await call(jar, `${app.url}/set?a=1`);
    const [line] = response.headers.getSetCookie();
    assert.match(line, /^sid=[A-Za-z0-9_-]{32}\.[A-Za-z0-9_-]{43}; /);
    for (const attribute of ["Path=/", "Max-Age=1209600", "HttpOnly", "Secure", "SameSite=Lax"]) {
      assert.ok(line.split("; ").includes(attribute), `${attribute} missing from ${line}`);
    }
    assert.equal(response.headers.get("vary"), "Cookie");
    const pttl = Number(await redis.server.cli("PTTL", app.key(jar.get("sid"))));
    assert.ok(pttl > 1_209_000_000 && pttl <= 1_209_600_000, `PTTL ${pttl}`);
  });

  it("concurrent requests of one session that set different keys keep both writes", async () => {
    await using app = sessionFixture({ url: redis.url });
    const jar = new CookieJar();
    await call(jar, `${app.url}/login?user=ada`);
    // Both requests load the session, then wait until both have: real overlap.
    const first = call(jar, `${app.url}/slow-set?gate=a&color=red`);
    const second = call(jar, `${app.url}/slow-set?gate=b&size=large`);
    await Promise.all([app.gates.arrived("a"), app.gates.arrived("b")]);
    app.gates.release("a");
    assert.equal((await first).body, "ok");
    app.gates.release("b");
    assert.equal((await second).body, "ok");

    assert.equal((await call(jar, `${app.url}/get?k=color`)).body, '"red"');
    assert.equal((await call(jar, `${app.url}/get?k=size`)).body, '"large"');
    assert.equal((await call(jar, `${app.url}/whoami`)).body, "user:ada");
  });

  it("clear() removes every field at once", async () => {
    await using app = sessionFixture({ url: redis.url });
    const jar = new CookieJar();
    await call(jar, `${app.url}/set?a=1&b=2&c=3`);
    const key = app.key(jar.get("sid"));
    assert.equal(await redis.server.cli("HLEN", key), "3");
    assert.equal((await call(jar, `${app.url}/clear`)).body, "cleared");
    assert.equal(await redis.server.cli("EXISTS", key), "0");
    assert.equal((await call(jar, `${app.url}/get?k=a`)).body, "null");
  });

  it("a visitor whose session never changed gets no cookie, and reads make no Set-Cookie", async () => {
    await using app = sessionFixture({ url: redis.url });
    const jar = new CookieJar();
    const { response, body } = await call(jar, `${app.url}/whoami`);
    assert.equal(body, "user:-");
    assert.deepEqual(response.headers.getSetCookie(), []);
    assert.equal(jar.get("sid"), undefined);

    await call(jar, `${app.url}/login`);
    const again = await call(jar, `${app.url}/whoami`);
    assert.equal(again.body, "user:ada");
    assert.deepEqual(again.response.headers.getSetCookie(), [], "unchanged session re-sent");
    assert.equal(again.response.headers.get("vary"), "Cookie");
  });

  it("a request that never touches its session sends no command to Redis", async () => {
    await using app = sessionFixture({ url: redis.url });
    const jar = new CookieJar();
    await call(jar, `${app.url}/login`);
    await redis.server.cli("CONFIG", "RESETSTAT");
    const { response, body } = await call(jar, `${app.url}/plain`);
    assert.equal(body, "plain");
    assert.deepEqual(response.headers.getSetCookie(), []);
    assert.equal(response.headers.get("vary"), null);
    assert.deepEqual(await commandsRun((...args) => redis.server.cli(...args)), {});

    await call(jar, `${app.url}/whoami`);
    assert.deepEqual(await commandsRun((...args) => redis.server.cli(...args)), { hgetall: 1 });
  });

  it("rolling: an untouched request extends the key's TTL and sends the cookie again", async () => {
    await using app = sessionFixture({ url: redis.url }, { rolling: true, ttl: "1h" });
    const jar = new CookieJar();
    await call(jar, `${app.url}/login`);
    const cookie = jar.get("sid")!;
    const key = app.key(cookie);
    await redis.server.cli("PEXPIRE", key, "5000");
    const { response } = await call(jar, `${app.url}/plain`);
    const [line] = response.headers.getSetCookie();
    assert.ok(line?.startsWith(`sid=${cookie}; `), `cookie not re-sent: ${line}`);
    assert.match(line, /Max-Age=3600(;|$)/);
    const pttl = Number(await redis.server.cli("PTTL", key));
    assert.ok(pttl > 3_500_000, `TTL not extended: ${pttl}`);

    // A cookie whose session is gone is not sent again.
    await redis.server.cli("DEL", key);
    const gone = await call(jar, `${app.url}/plain`);
    assert.deepEqual(gone.response.headers.getSetCookie(), []);
  });

  it("not rolling: the TTL of an unchanged session stays, and changes reset it", async () => {
    await using app = sessionFixture({ url: redis.url }, { ttl: "1h" });
    const jar = new CookieJar();
    await call(jar, `${app.url}/login`);
    const key = app.key(jar.get("sid"));
    await redis.server.cli("PEXPIRE", key, "50000");
    await call(jar, `${app.url}/whoami`);
    assert.ok(Number(await redis.server.cli("PTTL", key)) <= 50_000, "TTL extended");
    await call(jar, `${app.url}/set?n=1`);
    assert.ok(Number(await redis.server.cli("PTTL", key)) > 3_500_000, "TTL not reset by a save");
  });

  it("a handler that throws saves nothing; its error stays a 500", async () => {
    await using app = sessionFixture({ url: redis.url });
    const jar = new CookieJar();
    await call(jar, `${app.url}/login`);
    const { response } = await call(jar, `${app.url}/throw-after-read`);
    assert.equal(response.status, 500);
    assert.deepEqual(response.headers.getSetCookie(), []);
  });
});
