// Fault injection against real redis-server processes (and a TCP proxy in front of one), each test
// asserting the reliability invariants:
//
// 1. a reply reaches only its own command: every value is tagged with its key (SET k:i "v:i…"),
//    and a GET k:i must return exactly that tag or fail;
// 2. every promise settles within its deadline plus a margin, under any fault;
// 3. at most once: a command written before a failure rejects with ConnectionError
//    (outcomeUnknown: true) and is never re-sent (checked with INCR on keys of their own);
// 4. bounded resources (the pool never holds more than `max`);
// 5. recovery without a manual step.
//
// Waits are event-driven or bounded polling loops. No assertion depends on how fast something was:
// time appears only as upper bounds with a wide margin where the invariant demands one, and as
// lower bounds that a configured delay or timeout guarantees.
//
// The "policy:" tests assert that a command timeout, or an abort of a written command, closes and
// replaces the connection (the other commands in flight on it reject with ConnectionError,
// outcomeUnknown). The sized partial-frame test asserts that bytes arriving while no command waits
// fail the connection even when they do not make a whole frame yet.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import net from "node:net";
import { after, afterEach, before, describe, it } from "../support/test.ts";
import { type RedisServer, startRedis } from "../support/redis.ts";
import { useRedis } from "../support/use_redis.ts";
import { type Proxy, startProxy } from "../support/proxy.ts";
import {
  type AsyncCommands,
  connect,
  ConnectionError,
  type ConnectOptions,
  createPool,
  ProtocolError,
  RedisClient,
  TimeoutError,
} from "../../mod.ts";

// ---------------------------------------------------------------------------------------------
// Tags, waits and bookkeeping

const KEYS = 1000;
/** Paddings that make replies of many sizes, with multi-byte UTF-8 and a CRLF inside a bulk. */
const PADS = ["", "é", "x".repeat(40), "€uro", "🙂🙂", "a\r\nb", "-ERR not an error", "$3\r\nabc"];
const key = (i: number) => `k:${i}`;
const tag = (i: number) => `v:${i}:${PADS[i % PADS.length]}`;
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
/** RESP bytes of a bulk string reply. */
const bulkBytes = (text: string) => {
  const n = Buffer.byteLength(text);
  return `$${n}\r\n`.length + n + 2;
};

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` every `every` ms until it holds; fails after `ms`. */
async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  ms = 10_000,
  every = 10,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${ms} ms`);
    await sleep(every);
  }
}

/** Resolves with `promise`'s outcome, or fails if it has not settled within `ms`. */
async function within<T>(what: string, promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not settled within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };
/** A promise that never rejects: its outcome, to inspect later. */
function settle(promise: Promise<unknown>): Promise<Outcome> {
  return promise.then((value) => ({ ok: true, value }), (error) => ({ ok: false, error }));
}

function describeOutcome(outcome: Outcome): string {
  if (outcome.ok) return `value ${JSON.stringify(outcome.value)}`;
  const error = outcome.error as Error;
  return `${error?.name}: ${error?.message}`;
}

/** Asserts a ConnectionError saying the command may have run. */
function assertOutcomeUnknown(outcome: Outcome, what: string): void {
  assert.ok(
    !outcome.ok && outcome.error instanceof ConnectionError && outcome.error.outcomeUnknown,
    `${what}: expected ConnectionError with outcomeUnknown, got ${describeOutcome(outcome)}`,
  );
}

/** Each outcome is a TimeoutError, or a ConnectionError whose outcome is unknown. */
function assertTimedOutOrUnknown(outcomes: Outcome[]): void {
  for (const outcome of outcomes) {
    assert.ok(
      !outcome.ok && (outcome.error instanceof TimeoutError ||
        (outcome.error instanceof ConnectionError && outcome.error.outcomeUnknown)),
      describeOutcome(outcome),
    );
  }
}

function assertTimeout(outcome: Outcome, what: string): void {
  assert.ok(
    !outcome.ok && outcome.error instanceof TimeoutError,
    `${what}: expected TimeoutError, got ${describeOutcome(outcome)}`,
  );
}

/** Counts outcomes of tagged commands; anything but the own tag or an allowed error is a problem. */
class Tally {
  ok = 0;
  lost = 0;
  unknown = 0;
  timedOut = 0;
  readonly problems: string[] = [];

  record(
    what: string,
    expected: unknown,
    outcome: Outcome,
    allow: { connection?: boolean; timeout?: boolean; protocol?: boolean } = { connection: true },
  ): void {
    if (outcome.ok) {
      if (outcome.value === expected) this.ok++;
      else {
        this.problems.push(
          `${what}: expected ${JSON.stringify(expected)}, got ${describeOutcome(outcome)}`,
        );
      }
      return;
    }
    const error = outcome.error;
    if (allow.connection && error instanceof ConnectionError) {
      this.lost++;
      if (error.outcomeUnknown) this.unknown++;
    } else if (allow.timeout && error instanceof TimeoutError) {
      this.timedOut++;
    } else if (allow.protocol && error instanceof ProtocolError) {
      this.lost++;
    } else {
      this.problems.push(`${what}: unexpected ${describeOutcome(outcome)}`);
    }
  }

  assertClean(): void {
    assert.deepEqual(this.problems.slice(0, 10), [], `${this.problems.length} problem(s)`);
  }
}

/** Writes every tagged key, k:0 … k:KEYS-1. */
async function seed(redis: AsyncCommands): Promise<void> {
  const args: string[] = [];
  for (let i = 0; i < KEYS; i++) args.push(key(i), tag(i));
  assert.equal(await redis.send(["MSET", ...args]), "OK");
}

/** `n` concurrent tagged GETs (one write); each must return exactly its own tag. */
async function expectAllTagged(redis: AsyncCommands, n = KEYS, from = 0): Promise<void> {
  const indices = range(from, from + n).map((i) => i % KEYS);
  const values = await Promise.all(indices.map((i) => redis.get(key(i))));
  const wrong = indices.filter((i, at) => values[at] !== tag(i));
  assert.deepEqual(
    wrong.slice(0, 5).map((i) => [key(i), values[indices.indexOf(i)]]),
    [],
    `${wrong.length} of ${n} GETs got another value`,
  );
}

/**
 * Polls with `PING <token>` until the client answers again. While it recovers, connection errors
 * and timeouts are expected; any other reply than the token (or any other error) is a mismatch.
 */
async function recover(redis: RedisClient, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (let n = 0;; n++) {
    const token = `recover:${n}`;
    const outcome = await settle(redis.send(["PING", token], { timeout: 1000 }));
    if (outcome.ok) {
      assert.equal(outcome.value, token, `${what}: a PING got another reply`);
      return;
    }
    if (!(outcome.error instanceof ConnectionError || outcome.error instanceof TimeoutError)) {
      throw new Error(`${what}: unexpected ${describeOutcome(outcome)}`);
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: no answer within ${ms} ms (last: ${describeOutcome(outcome)})`);
    }
    await sleep(20);
  }
}

/**
 * After a DEBUG SLEEP: it answered "OK" (or was cut with its outcome unknown),
 * and each GET sent meanwhile (k:2 …) got its own tag; then a fresh round does too.
 */
async function assertSleptAndTagged(
  redis: RedisClient,
  sleeping: Promise<Outcome>,
  later: Promise<Outcome>[],
): Promise<void> {
  const slept = await sleeping;
  assert.ok(
    (slept.ok && slept.value === "OK") ||
      (!slept.ok && slept.error instanceof ConnectionError && slept.error.outcomeUnknown),
    `DEBUG SLEEP: "OK" or ConnectionError with outcomeUnknown, got ${describeOutcome(slept)}`,
  );
  const tally = new Tally();
  (await Promise.all(later)).forEach((outcome, at) =>
    tally.record(key(at + 2), tag(at + 2), outcome, {})
  );
  tally.assertClean();
  await expectAllTagged(redis);
}

/** Waits until `redis` is ready on a connection other than the one with id `oldId`. */
/**
 * 100 GETs after bytes were injected: each gets its own tag, or fails with a
 * ConnectionError or ProtocolError; never another command's reply.
 */
async function assertOwnRepliesAfterInjection(redis: RedisClient): Promise<void> {
  const tally = new Tally();
  const outcomes = await within(
    "GETs after the injection",
    Promise.all(range(0, 100).map((i) => settle(redis.get(key(i))))),
    10_000,
  );
  outcomes.forEach((outcome, i) =>
    tally.record(key(i), tag(i), outcome, { connection: true, protocol: true })
  );
  tally.assertClean();
}

function replaced(redis: RedisClient, oldId: number, ms = 10_000): Promise<void> {
  return until(
    "a new connection",
    () => redis.state === "ready" && redis.server.id !== 0 && redis.server.id !== oldId,
    ms,
  );
}

/**
 * A retry strategy that reports its calls. The client calls it synchronously when a connection is
 * lost (and after each failed attempt), so `next()` resolves while the client is reconnecting,
 * before the backoff timer fires: a command sent then waits for the next connection.
 */
function retryProbe(delay = 10) {
  const waiters: Array<() => void> = [];
  return {
    retry: (): number => {
      for (const wake of waiters.splice(0)) wake();
      return delay;
    },
    next: (): Promise<void> => new Promise((resolve) => waiters.push(resolve)),
  };
}

/** Fast reconnects, so recovery waits stay short. */
const FAST_RETRY = { base: 10, max: 100 };

let unique = 0;
/** A key no other test (nor an earlier run of this one) uses. */
const fresh = (name: string) => `${name}:${Date.now()}:${++unique}`;

// ---------------------------------------------------------------------------------------------
// The same scenarios over TCP, a Unix socket and TLS

describe("faults over TCP, a Unix socket and TLS", () => {
  const fixture = useRedis({
    tls: true,
    unixSocket: true,
    args: ["--enable-debug-command", "yes"],
  });
  before(async () => {
    await using admin = await connect(fixture.url);
    await seed(admin);
  });

  const transports: Array<[string, () => ConnectOptions]> = [
    ["tcp", () => ({ url: fixture.url })],
    ["tcp resp2", () => ({ url: `${fixture.url}?protocol=2` })],
    ["unix", () => ({ url: fixture.server.unixUrl! })],
    ["tls", () => ({ url: fixture.server.tlsUrl!, tls: { caCerts: [fixture.server.tls!.ca] } })],
  ];

  for (const [transport, target] of transports) {
    describe(transport, () => {
      const open = (options: ConnectOptions = {}) =>
        connect({ ...target(), retry: FAST_RETRY, ...options });

      it("CLIENT KILL of itself amid pipelined tagged GETs: earlier GETs get their tags, later ones ConnectionError (outcome unknown), then all succeed", async () => {
        await using redis = await open();
        const id = redis.server.id;
        const earlier = range(0, 300).map((i) => settle(redis.get(key(i))));
        // SKIPME no: by default CLIENT KILL with filters spares the connection that sends it.
        const kill = settle(redis.send(["CLIENT", "KILL", "ID", String(id), "SKIPME", "no"]));
        const later = range(300, 600).map((i) => settle(redis.get(key(i))));
        const all = await within(
          "the pipelined load",
          Promise.all([...earlier, kill, ...later]),
          10_000,
        );
        const tally = new Tally();
        all.slice(0, 300).forEach((outcome, i) => tally.record(key(i), tag(i), outcome, {}));
        tally.assertClean();
        assert.deepEqual(all[300], { ok: true, value: 1 }, "CLIENT KILL ID answers 1");
        all.slice(301).forEach((outcome, i) =>
          assertOutcomeUnknown(outcome, `GET ${key(300 + i)}`)
        );
        await replaced(redis, id);
        await expectAllTagged(redis);
      });

      it("CLIENT KILL from another connection under a continuous tagged load: own tag or ConnectionError, INCRs at most once, full recovery", async () => {
        await using redis = await open();
        const tally = new Tally();
        const incrs: Array<{ key: string; outcome: Outcome }> = [];
        let stop = false;
        let rounds = 0;
        const worker = async (w: number) => {
          for (let round = 0; !stop; round++) {
            const start = (w * 250 + round * 37) % KEYS;
            const indices = range(start, start + 100).map((i) => i % KEYS);
            const once = fresh(`once:${transport}:${w}`);
            const outcomes = await Promise.all([
              ...indices.map((i) => settle(redis.get(key(i)))),
              settle(redis.send(["INCR", once])),
            ]);
            indices.forEach((i, at) => tally.record(key(i), tag(i), outcomes[at]));
            const incr = outcomes[outcomes.length - 1];
            tally.record(`INCR ${once}`, 1, incr); // its own key: 1, or a connection error
            incrs.push({ key: once, outcome: incr });
            rounds++;
            // Fail-fast rejections settle in microtasks: let timers and I/O run.
            if (outcomes.some((o) => !o.ok)) await sleep(5);
          }
        };
        const workers = range(0, 4).map(worker);
        try {
          await until("load running", () => rounds >= 8);
          const id = redis.server.id;
          assert.equal(await fixture.server.cli("CLIENT", "KILL", "ID", String(id)), "1");
          await replaced(redis, id);
          const mark = rounds;
          await until("load going on the new connection", () => rounds >= mark + 8);
        } finally {
          stop = true;
          await within("the workers", Promise.all(workers), 15_000);
        }
        tally.assertClean();
        // At most once: an INCR that resolved ran once; one that failed ran once or never, and
        // was not re-sent; one that was never written did not run.
        const values = await redis.send<(string | null)[]>(["MGET", ...incrs.map((x) => x.key)]);
        incrs.forEach(({ key, outcome }, i) => {
          const value = values[i];
          if (outcome.ok) assert.equal(value, "1", `${key} resolved, so it ran once`);
          else if ((outcome.error as ConnectionError).outcomeUnknown) {
            assert.ok(value === null || value === "1", `${key}: ran at most once, got ${value}`);
          } else assert.equal(value, null, `${key} was never sent`);
        });
        await expectAllTagged(redis);
      });

      it("BLPOP { timeout: 0 } across a server SIGKILL: ConnectionError with outcomeUnknown, and the client serves again after the restart by itself", async () => {
        await using redis = await open();
        const list = fresh(`list:${transport}`);
        const blpop = settle(redis.send(["BLPOP", list, "0"], { timeout: 0 }));
        // Queued on the server behind the blocked BLPOP.
        const behind = range(0, 50).map((i) => settle(redis.get(key(i))));
        await until("BLPOP blocked on the server", async () => {
          return /blocked_clients:1\b/.test(await fixture.server.cli("INFO", "clients"));
        });
        fixture.server.kill("SIGKILL");
        const outcomes = await within("in-flight commands", Promise.all([blpop, ...behind]), 5000);
        outcomes.forEach((outcome, i) => assertOutcomeUnknown(outcome, i ? "GET" : "BLPOP"));
        await fixture.server.restart();
        await recover(redis, "after the restart");
        await seed(redis);
        await expectAllTagged(redis);
      });

      it("tagged pipelines: one cut by a CLIENT KILL rejects with ConnectionError (outcome unknown); the next returns every tag in order", async () => {
        await using redis = await open();
        const id = redis.server.id;
        const pipeline = redis.pipeline();
        for (const i of range(0, 100)) pipeline.send(["GET", key(i)]);
        pipeline.send(["CLIENT", "KILL", "ID", String(id), "SKIPME", "no"]);
        for (const i of range(100, 200)) pipeline.send(["GET", key(i)]);
        const cut = await within("exec()", settle(pipeline.exec()), 10_000);
        assertOutcomeUnknown(cut, "exec()");
        await replaced(redis, id);
        for (let round = 0; round < 3; round++) {
          const next = redis.pipeline();
          const indices = range(round * 300, round * 300 + 300);
          for (const i of indices) next.send(["GET", key(i)]);
          assert.deepEqual(await next.exec(), indices.map(tag));
        }
      });
    });
  }

  it("TLS through the proxy: a pipeline cut in the middle of a record rejects with ConnectionError (outcome unknown); records delivered byte by byte give every tag", async () => {
    await using proxy = await startProxy({
      host: fixture.server.host,
      port: fixture.server.tlsPort!,
    });
    await using redis = await connect({
      url: `rediss://${proxy.host}:${proxy.port}`,
      tls: { caCerts: [fixture.server.tls!.ca] },
      retry: FAST_RETRY,
    });
    const id = redis.server.id;
    proxy.cutAfter(3000);
    const pipeline = redis.pipeline();
    for (const i of range(0, 300)) pipeline.send(["GET", key(i)]);
    assertOutcomeUnknown(await within("exec()", settle(pipeline.exec()), 10_000), "exec()");
    await replaced(redis, id);
    proxy.byteByByte(true);
    await expectAllTagged(redis, 300);
    proxy.byteByByte(false);
    const next = redis.pipeline();
    for (const i of range(0, 300)) next.send(["GET", key(i)]);
    assert.deepEqual(await next.exec(), range(0, 300).map(tag));
  });

  it("DEBUG SLEEP 0.5: a GET { timeout: 100 } behind it times out, and its late reply never reaches a later command", async () => {
    await using redis = await connect({ url: fixture.url, retry: FAST_RETRY });
    const sleeping = settle(redis.send(["DEBUG", "SLEEP", "0.5"]));
    const short = await settle(redis.send(["GET", key(1)], { timeout: 100 }));
    assertTimeout(short, "GET { timeout: 100 }");
    // Sent while the server still sleeps, on the old connection or a new one.
    const later = range(2, 400).map((i) => settle(redis.get(key(i))));
    await assertSleptAndTagged(redis, sleeping, later);
  });

  it("an aborted GET behind DEBUG SLEEP rejects with the signal's reason, and its late reply never reaches a later command", async () => {
    await using redis = await connect({ url: fixture.url, retry: FAST_RETRY });
    const sleeping = settle(redis.send(["DEBUG", "SLEEP", "0.5"]));
    const controller = new AbortController();
    const aborted = settle(redis.send(["GET", key(1)], { signal: controller.signal }));
    await sleep(20); // written by now: writes go out in a microtask
    const reason = new Error("caller gave up");
    controller.abort(reason);
    const outcome = await aborted;
    assert.ok(!outcome.ok && outcome.error === reason, `got ${describeOutcome(outcome)}`);
    const later = range(2, 400).map((i) => settle(redis.get(key(i))));
    await assertSleptAndTagged(redis, sleeping, later);
  });

  it("policy: a command TIMEOUT retires the connection: commands in flight keep their own replies, new ones get a new connection", async () => {
    await using redis = await connect({ url: fixture.url, retry: FAST_RETRY });
    const id = redis.server.id;
    const sleeping = settle(redis.send(["DEBUG", "SLEEP", "0.5"]));
    const others = range(0, 50).map((i) => settle(redis.get(key(i))));
    const short = settle(redis.send(["GET", key(99)], { timeout: 100 }));
    const more = range(50, 100).map((i) => settle(redis.get(key(i))));
    assertTimeout(await short, "GET { timeout: 100 }");
    // New commands never go to the retired connection.
    await replaced(redis, id);
    assert.notEqual(await redis.send<number>(["CLIENT", "ID"]), id);
    const outcomes = await within(
      "the commands in flight",
      Promise.all([sleeping, ...others, ...more]),
      5000,
    );
    const tally = new Tally();
    tally.record("DEBUG SLEEP", "OK", outcomes[0], {});
    outcomes.slice(1).forEach((outcome, at) => {
      tally.record(key(at), tag(at), outcome, {}); // k:0..49, then k:50..99
    });
    tally.assertClean();
    await expectAllTagged(redis);
  });

  it("policy: an ABORT of a written command retires the connection: commands in flight keep their own replies", async () => {
    await using redis = await connect({ url: fixture.url, retry: FAST_RETRY });
    const id = redis.server.id;
    const sleeping = settle(redis.send(["DEBUG", "SLEEP", "0.5"]));
    const controller = new AbortController();
    const aborted = settle(redis.send(["GET", key(1)], { signal: controller.signal }));
    const others = range(2, 50).map((i) => settle(redis.get(key(i))));
    await sleep(20); // written by now
    controller.abort(new Error("caller gave up"));
    assert.ok(!(await aborted).ok);
    await replaced(redis, id);
    const outcomes = await within(
      "the commands in flight",
      Promise.all([sleeping, ...others]),
      5000,
    );
    const tally = new Tally();
    tally.record("DEBUG SLEEP", "OK", outcomes[0], {});
    outcomes.slice(1).forEach((outcome, at) => tally.record(key(at + 2), tag(at + 2), outcome, {}));
    tally.assertClean();
    await expectAllTagged(redis);
  });

  it("SHUTDOWN NOSAVE, then restart: every command in flight settles with ConnectionError; the client serves again without a manual step", async () => {
    await using redis = await connect({ url: fixture.url, retry: FAST_RETRY });
    await using admin = await connect({ url: fixture.url, retry: FAST_RETRY });
    const list = fresh("list:shutdown");
    const blocked = settle(redis.send(["BLPOP", list, "0"], { timeout: 0 }));
    const behind = range(0, 100).map((i) => settle(redis.get(key(i))));
    await until("BLPOP blocked on the server", async () => {
      return /blocked_clients:1\b/.test(await fixture.server.cli("INFO", "clients"));
    });
    // The server closes the connection without a reply: SHUTDOWN's own outcome is unknown too.
    assertOutcomeUnknown(await settle(admin.send(["SHUTDOWN", "NOSAVE"])), "SHUTDOWN");
    const outcomes = await within("in-flight commands", Promise.all([blocked, ...behind]), 5000);
    outcomes.forEach((outcome, i) => assertOutcomeUnknown(outcome, i ? "GET" : "BLPOP"));
    await until("the server exited", () => !fixture.server.running);
    // While it is down, every command waits in the offline queue (across the refused attempts)
    // and settles by its timeout (2 s by default), never sent.
    const down = await within(
      "commands while down",
      Promise.all(range(0, 100).map((i) => settle(redis.get(key(i))))),
      5000,
    );
    for (const outcome of down) {
      assert.ok(
        !outcome.ok && outcome.error instanceof TimeoutError && !outcome.error.outcomeUnknown,
        describeOutcome(outcome),
      );
    }
    await fixture.server.restart();
    await recover(redis, "after SHUTDOWN and restart");
    await seed(redis);
    await expectAllTagged(redis);
  });

  it("pool { max: 4 }: 200 concurrent tagged callers while CLIENT KILL TYPE normal runs; no mismatch, every promise settles, never more than 4 connections", async () => {
    const pool = createPool({ url: fixture.url, max: 4, retry: FAST_RETRY });
    try {
      const tally = new Tally();
      let stop = false;
      let ops = 0;
      let maxSize = 0;
      const caller = async (c: number) => {
        for (let round = 0; !stop; round++) {
          const i = (c * 5 + round * 211) % KEYS;
          const outcome = round % 4 === 3
            ? await settle(pool.use((conn) => conn.get(key(i))))
            : await settle(pool.get(key(i)));
          tally.record(key(i), tag(i), outcome);
          if (outcome.ok) ops++; // progress counts successes only
          maxSize = Math.max(maxSize, pool.stats().size);
          if (!outcome.ok) await sleep(5);
        }
      };
      const callers = range(0, 200).map(caller);
      let killed = 0;
      try {
        for (let k = 0; k < 3; k++) {
          const mark = ops;
          await until("load running", () => ops >= mark + 400);
          killed += Number(await fixture.server.cli("CLIENT", "KILL", "TYPE", "normal"));
        }
        const mark = ops;
        await until("load going on after the kills", () => ops >= mark + 1000);
      } finally {
        stop = true;
        await within("the 200 callers", Promise.all(callers), 20_000);
      }
      tally.assertClean();
      assert.ok(killed >= 3, `CLIENT KILL TYPE normal killed ${killed} connections`);
      assert.ok(maxSize <= 4, `the pool grew to ${maxSize}`);
      await expectAllTagged(pool, 400);
      const sizes = pool.stats();
      assert.ok(sizes.size <= 4, `size ${sizes.size}`);
    } finally {
      await pool.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The server's idle timeout

describe("the server's idle timeout (timeout 1)", () => {
  const fixture = useRedis({ args: ["--timeout", "1"] });

  it("after the server closes an idle connection, the next command succeeds on a new connection", async () => {
    await using redis = await connect({ url: fixture.url, retry: FAST_RETRY });
    assert.equal(await redis.set("idle:k", "idle:v"), "OK");
    const id = redis.server.id;
    await replaced(redis, id, 15_000);
    assert.equal(await redis.get("idle:k"), "idle:v");
    const now = await redis.send<number>(["CLIENT", "ID"]);
    assert.notEqual(now, id);
    await seed(redis);
    await expectAllTagged(redis);
  });
});

// ---------------------------------------------------------------------------------------------
// Faults through a TCP proxy

describe("faults through a proxy", () => {
  let server: RedisServer;
  let proxy: Proxy;
  before(async () => {
    server = await startRedis();
    proxy = await startProxy({ host: server.host, port: server.port });
    await using admin = await connect(server.url);
    await seed(admin);
  });
  afterEach(() => {
    proxy.blackhole(false);
    proxy.byteByByte(false);
    proxy.setDelay(0);
  });
  after(async () => {
    await proxy?.close();
    await server?.stop();
  });

  it("proxy: forwards, delays without reordering, cuts after N bytes, injects, drops", async () => {
    const socket = net.connect({ host: proxy.host, port: proxy.port });
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    socket.on("error", () => {});
    let received = "";
    let wake = () => {};
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString("latin1");
      wake();
    });
    const expect = (text: string) =>
      within(
        `"${text}" received`,
        new Promise<void>((resolve) => {
          wake = () => received.includes(text) && resolve();
          wake();
        }),
        5000,
      );
    try {
      socket.write("PING one\r\n");
      await expect("$3\r\none\r\n");
      proxy.setDelay(200, "down");
      const sent = Date.now();
      socket.write("PING two\r\nPING three\r\n");
      await expect("$5\r\nthree\r\n");
      assert.ok(Date.now() - sent >= 150, "a delayed chunk came early");
      assert.ok(received.indexOf("two") < received.indexOf("three"), "reordered");
      proxy.setDelay(0);
      proxy.inject("+INJECTED\r\n");
      await expect("+INJECTED\r\n");
      received = "";
      proxy.cutAfter(5);
      socket.write("PING 0123456789\r\n");
      await within("the cut", closed, 5000);
      assert.equal(received, "$10\r\n");
    } finally {
      socket.destroy();
      await closed;
    }
    await until("the proxy saw both sides close", () => proxy.open === 0);
  });

  it("a pipeline cut mid-reply: exec() rejects with ConnectionError (outcome unknown), its INCR ran once and was not re-sent, the next pipeline gives the right values", async () => {
    await using redis = await connect({ url: proxy.url, retry: FAST_RETRY });
    const id = redis.server.id;
    const once = fresh("once:pipeline");
    const indices = range(0, 200);
    const total = ":1\r\n".length + indices.reduce((n, i) => n + bulkBytes(tag(i)), 0);
    proxy.cutAfter(Math.floor(total / 2));
    const pipeline = redis.pipeline().send(["INCR", once]);
    for (const i of indices) pipeline.send(["GET", key(i)]);
    assertOutcomeUnknown(await within("exec()", settle(pipeline.exec()), 10_000), "exec()");
    await replaced(redis, id);
    const next = redis.pipeline();
    for (const i of indices) next.send(["GET", key(i)]);
    assert.deepEqual(await next.exec(), indices.map(tag));
    assert.equal(await redis.get(once), "1");
  });

  it("a large bulk reply cut in its middle: ConnectionError (outcome unknown), then the same GET returns the whole value", async () => {
    await using redis = await connect({ url: proxy.url, retry: FAST_RETRY });
    const big = fresh("big");
    const value = "0123456789abcdef".repeat(16_384); // 256 KiB
    assert.equal(await redis.set(big, value), "OK");
    const id = redis.server.id;
    proxy.cutAfter(100_000);
    assertOutcomeUnknown(await within("GET", settle(redis.get(big)), 10_000), "GET big");
    await replaced(redis, id);
    assert.equal(await redis.get(big), value);
    await expectAllTagged(redis, 200);
  });

  it("a MULTI/EXEC cut mid-reply: exec() rejects with ConnectionError (outcome unknown), the transaction ran once, the next one gives the right values", async () => {
    await using redis = await connect({ url: proxy.url, retry: FAST_RETRY });
    const id = redis.server.id;
    const once = fresh("once:multi");
    const indices = range(0, 100);
    const tx = redis.multi().send(["INCR", once]);
    for (const i of indices) tx.send(["GET", key(i)]);
    const queued = "+OK\r\n".length + (indices.length + 1) * "+QUEUED\r\n".length;
    const execHead = `*${indices.length + 1}\r\n:1\r\n`.length;
    const bulks = indices.reduce((n, i) => n + bulkBytes(tag(i)), 0);
    proxy.cutAfter(queued + execHead + Math.floor(bulks / 2));
    assertOutcomeUnknown(await within("exec()", settle(tx.exec()), 10_000), "exec()");
    await replaced(redis, id);
    const next = redis.multi();
    for (const i of indices) next.send(["GET", key(i)]);
    assert.deepEqual(await next.exec(), indices.map(tag));
    assert.equal(await redis.get(once), "1");
  });

  it("replies delivered one byte at a time: 1,000 tagged GETs all correct", async () => {
    await using redis = await connect({ url: proxy.url });
    proxy.byteByByte(true);
    await expectAllTagged(redis, KEYS);
    const hash = fresh("hash");
    assert.equal(await redis.send(["HSET", hash, "a", tag(5), "b", tag(6)]), 2);
    assert.deepEqual(await redis.send(["HGETALL", hash]), new Map([["a", tag(5)], ["b", tag(6)]]));
    assert.deepEqual(await redis.mget(key(7), "missing:" + hash, key(3)), [tag(7), null, tag(3)]);
  });

  it("a blackholed connection: commands reject with TimeoutError by their timeout; after blackhole(false) and the reconnect, new commands get their own replies and nothing is re-sent", async () => {
    await using redis = await connect({
      url: proxy.url,
      retry: FAST_RETRY,
      connectTimeout: 500,
    });
    await expectAllTagged(redis, 100);
    const once = fresh("once:blackhole");
    proxy.blackhole(true);
    const sent = Date.now();
    const stuck = await within(
      "commands sent into the blackhole",
      Promise.all([
        ...range(0, 50).map((i) => settle(redis.send(["GET", key(i)], { timeout: 200 }))),
        settle(redis.send(["INCR", once], { timeout: 200 })),
      ]),
      200 + 3000,
    );
    // The first deadline rejects with TimeoutError; if that closed the connection, the others
    // may reject with ConnectionError (outcome unknown) instead.
    assertTimeout(stuck[0], "the first GET");
    assertTimedOutOrUnknown(stuck);
    assert.ok(Date.now() - sent >= 150, "rejected before their timeout");
    proxy.blackhole(false);
    await recover(redis, "after the blackhole");
    await expectAllTagged(redis, 500);
    assert.equal(await redis.get(once), null, "the INCR never reached the server, nor was re-sent");
  });

  for (const payload of ["+INJECTED\r\n", "$8\r\nINJECTED\r\n", "INJECTED\r\n"]) {
    it(`bytes injected while no command waits (${JSON.stringify(payload)}): the connection is replaced, no later command receives them`, async () => {
      await using redis = await connect({ url: proxy.url, retry: FAST_RETRY });
      await expectAllTagged(redis, 10);
      const id = redis.server.id;
      const accepted = proxy.connections;
      proxy.inject(payload);
      await replaced(redis, id);
      assert.ok(proxy.connections > accepted);
      const values = await Promise.all(range(0, KEYS).map((i) => redis.get(key(i))));
      assert.ok(!values.some((v) => v?.includes("INJECTED")), "a command received INJECTED");
      assert.deepEqual(values, range(0, KEYS).map(tag));
    });
  }

  it("a partial frame injected while no command waits fails the connection (ProtocolError), never completing a later reply", async () => {
    await using redis = await connect({ url: proxy.url, retry: FAST_RETRY });
    await expectAllTagged(redis, 10);
    proxy.inject("$40\r\nINJECTED");
    await assertOwnRepliesAfterInjection(redis);
    await recover(redis, "after the injection");
    await expectAllTagged(redis);
  });

  it("a partial frame injected while no command waits, sized so that the next reply completes it: the connection is replaced, the frame never reaches a command", async () => {
    await using redis = await connect({ url: proxy.url, retry: FAST_RETRY });
    await expectAllTagged(redis, 10);
    const id = redis.server.id;
    // The next reply, `$n\r\n<tag>\r\n`, minus its final CRLF, completes the injected bulk.
    const reply = `$${Buffer.byteLength(tag(0))}\r\n${tag(0)}`;
    proxy.inject(`$${8 + Buffer.byteLength(reply)}\r\nINJECTED`);
    // Bytes with no command waiting fail the connection (README, "Reliability"). Only once the
    // client has read them is "no command waiting" true: wait for the replacement, bounded.
    const replacedInTime = await replaced(redis, id, 2000).then(() => true, () => false);
    await assertOwnRepliesAfterInjection(redis);
    assert.ok(replacedInTime, "the connection was kept after bytes came with no command waiting");
    await recover(redis, "after the injection");
    await expectAllTagged(redis);
  });

  it("a reconnect cut in the middle of its handshake: commands waiting for it fail unsent (outcomeUnknown false) or get their own tags; the next attempt restores the session", async () => {
    const probe = retryProbe();
    await using redis = await connect({
      url: `${proxy.url}?name=cut-handshake`,
      retry: probe.retry,
    });
    await expectAllTagged(redis, 10);
    const lost = probe.next();
    proxy.cutAfter(20); // the first 20 bytes of the next connection's HELLO reply, then a cut
    proxy.dropAll();
    await within("the loss noticed", lost, 5000);
    const outcomes = await within(
      "commands sent while reconnecting",
      Promise.all(range(0, 200).map((i) => settle(redis.get(key(i))))),
      10_000,
    );
    outcomes.forEach((outcome, i) => {
      if (outcome.ok) return assert.equal(outcome.value, tag(i));
      assert.ok(
        outcome.error instanceof ConnectionError && !outcome.error.outcomeUnknown,
        `${key(i)}: own tag or ConnectionError (not sent), got ${describeOutcome(outcome)}`,
      );
    });
    await recover(redis, "after the cut handshake");
    assert.match(await redis.send<string>(["CLIENT", "INFO"]), / name=cut-handshake /);
    await expectAllTagged(redis);
  });

  it("a slow network (setDelay) makes commands time out; their late replies never reach later commands", async () => {
    await using redis = await connect({ url: proxy.url, retry: FAST_RETRY });
    await expectAllTagged(redis, 10);
    proxy.setDelay(300, "down");
    const timed = await within(
      "commands with { timeout: 100 }",
      Promise.all(range(0, 50).map((i) => settle(redis.send(["GET", key(i)], { timeout: 100 })))),
      100 + 3000,
    );
    assertTimeout(timed[0], "the first GET");
    assertTimedOutOrUnknown(timed);
    // Still slow, but with time enough: every reply is the command's own.
    const tally = new Tally();
    const slow = await Promise.all(range(50, 350).map((i) => settle(redis.get(key(i)))));
    slow.forEach((outcome, at) => tally.record(key(50 + at), tag(50 + at), outcome, {}));
    tally.assertClean();
    proxy.setDelay(0);
    await expectAllTagged(redis);
  });

  it("connect() through a blackhole rejects with TimeoutError by connectTimeout", async () => {
    proxy.blackhole(true);
    const outcome = await within(
      "connect()",
      settle(connect({ url: proxy.url, connectTimeout: 300 })),
      300 + 3000,
    );
    assertTimeout(outcome, "connect()");
    await until("the proxy saw the socket close", () => proxy.open === 0);
  });

  it("commands waiting on a reconnect that hangs settle by their own timeout or the offline queue's", async () => {
    const probe = retryProbe();
    const redis = await connect({
      url: proxy.url,
      retry: probe.retry,
      connectTimeout: 30_000,
      offlineQueue: { max: 1000, timeout: 400 },
    });
    try {
      const accepted = proxy.connections;
      const lost = probe.next();
      proxy.blackhole(true);
      proxy.dropAll();
      await within("the loss noticed", lost, 5000);
      const [queued, timed] = await within(
        "queued commands",
        Promise.all([
          settle(redis.get(key(1))),
          settle(redis.send(["GET", key(2)], { timeout: 150 })),
        ]),
        400 + 3000,
      );
      assertTimeout(timed, "GET { timeout: 150 }");
      assert.ok(
        !queued.ok && queued.error instanceof TimeoutError && !queued.error.outcomeUnknown,
        `the offline queue's timeout: TimeoutError (not sent), got ${describeOutcome(queued)}`,
      );
      assert.ok(proxy.connections > accepted, "a reconnect attempt was made");
    } finally {
      await within("close()", redis.close(), 5000);
    }
  });

  it("pool.close({ timeout }) with a blackholed connection settles every command in flight by then", async () => {
    const pool = createPool({ url: proxy.url, max: 2, retry: FAST_RETRY });
    let closing: Promise<void> | undefined;
    try {
      await expectAllTagged(pool, 100);
      proxy.blackhole(true);
      const inflight = range(0, 50).map((i) => settle(pool.send(["GET", key(i)], { timeout: 0 })));
      const used = settle(pool.use((conn) => conn.send(["GET", key(1)], { timeout: 0 })));
      closing = pool.close({ timeout: 300 });
      await within("pool.close({ timeout: 300 })", closing, 300 + 3000);
      const outcomes = await within("commands in flight", Promise.all([...inflight, used]), 1000);
      outcomes.forEach((outcome, i) => assertOutcomeUnknown(outcome, `command ${i}`));
    } finally {
      await (closing ?? pool.close());
    }
  });

  it("close() during a reconnect attempt that hangs (blackholed proxy) settles every pending promise at once", async () => {
    const redis = await connect({
      url: proxy.url,
      retry: FAST_RETRY,
      connectTimeout: 30_000,
      offlineQueue: { max: 1000, timeout: 30_000 },
    });
    const accepted = proxy.connections;
    proxy.blackhole(true);
    proxy.dropAll();
    await until("a reconnect attempt in flight", () => proxy.connections > accepted);
    const pending = [
      ...range(0, 20).map((i) => settle(redis.get(key(i)))),
      settle(redis.send(["BLPOP", fresh("list"), "0"], { timeout: 0 })),
    ];
    await sleep(20);
    await within("close()", redis.close(), 5000);
    const outcomes = await within("pending commands", Promise.all(pending), 1000);
    for (const outcome of outcomes) {
      assert.ok(!outcome.ok && outcome.error instanceof ConnectionError, describeOutcome(outcome));
    }
    assert.equal(redis.state, "closed");
  });
});

// ---------------------------------------------------------------------------------------------
// What a reconnect restores, and in which order

describe("recovery restores the session before queued commands", () => {
  const fixture = useRedis({
    requirePass: "admin-secret",
    aclUsers: [{ name: "app", password: "app-secret", rules: "~* &* +@all" }],
  });

  it("after CLIENT KILL: AUTH, SELECT, SETNAME and subscriptions come back before commands queued meanwhile", async () => {
    const probe = retryProbe(50);
    await using redis = await connect({
      url: `redis://app:app-secret@${fixture.server.host}:${fixture.server.port}/5?name=restored`,
      retry: probe.retry,
    });
    await using admin = await connect(
      `redis://:admin-secret@${fixture.server.host}:${fixture.server.port}/5`,
    );
    await seed(admin);
    const messages: string[] = [];
    await redis.subscribe("news", (message) => messages.push(String(message)));
    const id = redis.server.id;
    const lost = probe.next();
    assert.equal(await fixture.server.cli("CLIENT", "KILL", "ID", String(id)), "1");
    await within("the loss noticed", lost, 5000);
    assert.equal(redis.state, "reconnecting");
    // Queued while reconnecting: they must run on a connection already authenticated, on db 5,
    // named, and subscribed (PUBLISH counts the restored subscriber).
    const info = redis.send<string>(["CLIENT", "INFO"]);
    const published = redis.publish("news", "tagged:news");
    const gets = range(0, 200).map((i) => redis.get(key(i)));
    const text = await info;
    assert.match(text, / name=restored /);
    assert.match(text, / db=5 /);
    assert.match(text, / user=app /);
    assert.equal(await published, 1);
    assert.deepEqual(await Promise.all(gets), range(0, 200).map(tag));
    await until("the message delivered", () => messages.includes("tagged:news"));
    assert.notEqual(redis.server.id, id);
  });
});

// ---------------------------------------------------------------------------------------------
// Closing while reconnecting

describe("close() while the client is in backoff", () => {
  it("settles every pending promise and leaves no timer behind (server stopped)", async () => {
    const down = await startRedis();
    const redis = await connect({
      url: down.url,
      retry: { base: 300, max: 300 },
      offlineQueue: { max: 1000, timeout: 30_000 },
    });
    const lazy = new RedisClient({ url: down.url, retry: { base: 300, max: 300 } });
    try {
      assert.equal(await lazy.ping(), "PONG");
      await down.stop();
      await until("reconnecting", () => redis.state === "reconnecting");
      // Attempts fail (refused) and arm the backoff timer; commands wait across them.
      const pending = [
        settle(redis.ping()),
        ...range(0, 20).map((i) => settle(redis.get(key(i)))),
        settle(redis.send(["BLPOP", "list", "0"], { timeout: 0 })),
        settle(redis.subscribe("channel", () => {})),
        settle(lazy.get(key(1))),
      ];
      await Promise.all([
        within("close()", redis.close(), 5000),
        within("close() of a lazy client", lazy.close(), 5000),
      ]);
      const outcomes = await within("pending commands", Promise.all(pending), 1000);
      for (const outcome of outcomes) {
        assert.ok(
          !outcome.ok && outcome.error instanceof ConnectionError,
          describeOutcome(outcome),
        );
      }
      assert.equal(redis.state, "closed");
      assert.equal(lazy.state, "closed");
      const after = await settle(redis.get(key(1)));
      assert.ok(!after.ok && after.error instanceof ConnectionError);
    } finally {
      await redis.close();
      await lazy.close();
      await down.stop();
    }
  });
});
