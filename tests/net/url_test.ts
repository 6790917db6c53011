import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { parseRedisUrl } from "../../src/net/url.ts";
import { resolveConnectOptions } from "../../src/client/options.ts";
import { connect } from "../../mod.ts";

const SECRET = "s3cr3t-P@ss";

/** Asserts `fn` throws a TypeError whose message matches and holds no secret. */
function throwsClean(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (error: Error) => {
    assert.ok(error instanceof TypeError || error instanceof RangeError, `got ${error.name}`);
    assert.match(error.message, pattern);
    assert.ok(!error.message.includes(SECRET), "the message must not show the password");
    assert.ok(!error.message.includes("s3cr3t"), "the message must not show the password");
    return true;
  });
}

describe("parseRedisUrl", () => {
  it("reads host, port, user, password and database", () => {
    assert.deepEqual(parseRedisUrl("redis://alice:pa%3Ass@cache.local:6380/3"), {
      username: "alice",
      password: "pa:ss",
      host: "cache.local",
      port: 6380,
      db: 3,
    });
  });

  it("reads a password without a user, and no trailing path", () => {
    assert.deepEqual(parseRedisUrl("redis://:pw@127.0.0.1"), { password: "pw", host: "127.0.0.1" });
    assert.deepEqual(parseRedisUrl("redis://127.0.0.1:7000/"), { host: "127.0.0.1", port: 7000 });
  });

  it("reads IPv6 hosts", () => {
    assert.deepEqual(parseRedisUrl("redis://[::1]:6379/0"), { host: "::1", port: 6379, db: 0 });
  });

  it("turns on TLS for rediss://", () => {
    assert.deepEqual(parseRedisUrl("rediss://example.com"), { host: "example.com", tls: true });
  });

  it("reads unix:// and redis+unix:// socket paths with query options", () => {
    assert.deepEqual(parseRedisUrl("unix:///run/redis/redis.sock?db=2&password=x%26y"), {
      path: "/run/redis/redis.sock",
      db: 2,
      password: "x&y",
    });
    assert.deepEqual(parseRedisUrl("redis+unix:///tmp/r.sock?name=worker"), {
      path: "/tmp/r.sock",
      name: "worker",
    });
    assert.deepEqual(parseRedisUrl("unix://bob:pw@/tmp/r.sock"), {
      username: "bob",
      password: "pw",
      path: "/tmp/r.sock",
    });
  });

  it("reads the database, name, timeouts and protocol from the query", () => {
    assert.deepEqual(
      parseRedisUrl("redis://h?db=4&name=api&connectTimeout=500&commandTimeout=2000&protocol=2"),
      { host: "h", db: 4, name: "api", connectTimeout: 500, commandTimeout: 2000, protocol: 2 },
    );
  });

  it("rejects an unknown scheme, naming it", () => {
    throwsClean(() => parseRedisUrl(`http://u:${SECRET}@h`), /unknown scheme "http:"/);
    throwsClean(() => parseRedisUrl(`reddis://u:${SECRET}@h`), /unknown scheme "reddis:"/);
  });

  it("rejects a bad port, naming it", () => {
    throwsClean(() => parseRedisUrl(`redis://u:${SECRET}@h:63x9`), /Invalid port "63x9"/);
    throwsClean(() => parseRedisUrl(`redis://u:${SECRET}@h:70000`), /Invalid port "70000"/);
    throwsClean(() => parseRedisUrl(`redis://u:${SECRET}@h:0`), /Invalid port "0"/);
  });

  it("rejects a database that is not a number", () => {
    throwsClean(() => parseRedisUrl(`redis://u:${SECRET}@h/one`), /Invalid database "one"/);
    throwsClean(() => parseRedisUrl(`redis://u:${SECRET}@h?db=-1`), /Invalid database "-1"/);
  });

  it("rejects an unknown query option, naming it", () => {
    throwsClean(() => parseRedisUrl(`redis://u:${SECRET}@h?tiemout=5`), /Unknown option "tiemout"/);
  });

  it("rejects a password, user or db given twice, naming the conflict and no secret", () => {
    const twice = (key: string, where: string) =>
      new RegExp(`"${key}" is given twice, in the ${where} and in the query`);
    throwsClean(
      () => parseRedisUrl(`redis://:${SECRET}@h?password=b`),
      twice("password", "user info"),
    );
    throwsClean(
      () => parseRedisUrl(`redis://:a@h?password=${SECRET}`),
      twice("password", "user info"),
    );
    throwsClean(
      () => parseRedisUrl(`rediss://u:${SECRET}@h:6380/2?password=${SECRET}`),
      twice("password", "user info"),
    );
    throwsClean(
      () => parseRedisUrl(`unix://bob:${SECRET}@/tmp/r.sock?password=x`),
      twice("password", "user info"),
    );
    throwsClean(
      () => parseRedisUrl(`redis://user@h?username=other`),
      twice("username", "user info"),
    );
    throwsClean(
      () => parseRedisUrl(`redis://user:${SECRET}@h?username=user`),
      twice("username", "user info"),
    );
    throwsClean(() => parseRedisUrl("redis://h/1?db=2"), twice("db", "path"));
    throwsClean(() => parseRedisUrl("redis://h/1?db=1"), twice("db", "path"));
  });

  it("rejects an option given twice in the query, without echoing its values", () => {
    for (const key of ["password", "username", "db", "name", "connectTimeout", "protocol"]) {
      const value = key === "password" || key === "username" ? SECRET : "2";
      throwsClean(
        () => parseRedisUrl(`redis://h?${key}=${value}&${key}=${value}`),
        new RegExp(`"${key}" is given twice in the query`),
      );
    }
  });

  it("reads each part once from wherever it is given", () => {
    assert.deepEqual(parseRedisUrl("redis://user@h/3?password=pw"), {
      username: "user",
      password: "pw",
      host: "h",
      db: 3,
    });
    assert.deepEqual(parseRedisUrl("redis://:pw@h/?username=u&db=5"), {
      password: "pw",
      host: "h",
      username: "u",
      db: 5,
    });
    // An empty password or user in the user info gives nothing, so the query may.
    assert.deepEqual(parseRedisUrl("redis://u:@h?password=pw"), {
      username: "u",
      password: "pw",
      host: "h",
    });
  });

  it("rejects things that are not URLs, without echoing them", () => {
    throwsClean(() => parseRedisUrl(`u:${SECRET}@h:6379`), /Invalid Redis URL/);
    throwsClean(() => parseRedisUrl(`redis://u:${SECRET}@h#frag`), /fragment/);
    throwsClean(
      () => parseRedisUrl(`unix://relative/path?password=${SECRET}`),
      /absolute socket path/,
    );
    throwsClean(() => parseRedisUrl(`redis://u:${SECRET}%zz@h`), /malformed percent-encoding/);
  });
});

describe("connect() options", () => {
  it("lets explicit options override the URL", () => {
    const resolved = resolveConnectOptions({
      url: "redis://:a@h:1/2",
      port: 6390,
      db: 0,
      password: "b",
    });
    assert.deepEqual(resolved.target, { host: "h", port: 6390, path: undefined, tls: undefined });
    assert.equal(resolved.db, 0);
    assert.equal(resolved.password, "b");
  });

  it("applies defaults", () => {
    const resolved = resolveConnectOptions({});
    assert.equal(resolved.target.host, "127.0.0.1");
    assert.equal(resolved.target.port, 6379);
    assert.equal(resolved.connectTimeout, 10_000);
    assert.equal(resolved.commandTimeout, 10_000);
    assert.equal(resolved.protocol, 3);
  });

  it("rejects an unknown option with a suggestion", () => {
    throwsClean(
      () => resolveConnectOptions({ comandTimeout: 5 } as never),
      /Unknown option "comandTimeout".*"commandTimeout"/,
    );
    throwsClean(
      () => resolveConnectOptions({ tls: { ca: [] } } as never),
      /Unknown option "ca" for tls/,
    );
  });

  it("rejects bad values, naming the option", () => {
    throwsClean(() => resolveConnectOptions({ port: 70000 }), /"port"/);
    throwsClean(() => resolveConnectOptions({ db: 1.5 }), /"db"/);
    throwsClean(() => resolveConnectOptions({ connectTimeout: 0 }), /"connectTimeout"/);
    throwsClean(() => resolveConnectOptions({ protocol: 4 as 3 }), /"protocol"/);
    throwsClean(
      () => resolveConnectOptions({ path: "/tmp/s", tls: true }),
      /TLS over a Unix socket/,
    );
  });

  it("rejects before opening any socket", async () => {
    await assert.rejects(connect(`redis://u:${SECRET}@127.0.0.1:1?nope=1`), (error: Error) => {
      assert.ok(error instanceof TypeError);
      assert.ok(!error.message.includes(SECRET));
      return true;
    });
  });
});
