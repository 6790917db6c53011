/**
 * What a bare `Bun.connect` client reaches, next to redcache and Bun's native
 * `RedisClient`, for sequential GETs of a 100-byte and of a 1 MiB value: the
 * floor that Bun's socket API sets for any client written in JavaScript.
 *
 *     bun bench/e2e/bun_floor.ts [--rounds=7] [--small=10000] [--large=400]
 *
 * Bare readers (each a `Bun.connect` socket with one GET in flight):
 * - `count`: only counts the reply's bytes;
 * - `copy`: copies each chunk into a fresh `Bun.allocUnsafe` buffer, which any
 *   client that hands the caller bytes of its own must do;
 * - `warm`: copies into one reused, already-touched buffer (not a valid
 *   client: every caller would share it; it shows what the fresh buffer costs);
 * - `decoder`: feeds redcache's `ReplyDecoder` and nothing else.
 *
 * After five untimed rounds of warm-up, each line is, per GET, over rounds that
 * rotate the order: the median and the fastest round in µs, the process's
 * user CPU µs and minor page faults (both process-wide, so they include Bun's
 * own threads), and Bun's native client's median speed over this one's (above
 * 1 is faster than the native client).
 *
 * @module
 */
import process from "node:process";
import { connect } from "../../mod.ts";
import { type BulkMode, BYTES, ReplyDecoder, TEXT } from "../../src/resp/decode.ts";
import { startServer } from "./server.ts";
import { flag } from "./flags.ts";
import { median } from "./stats.ts";

interface BareSocket {
  write(data: Uint8Array): number;
  end(): void;
  setNoDelay?(noDelay: boolean): boolean;
}
interface BunApi {
  connect(options: {
    hostname: string;
    port: number;
    socket: { data(socket: BareSocket, chunk: Uint8Array): void };
  }): Promise<BareSocket>;
  allocUnsafe(size: number): Uint8Array;
  RedisClient?: new (url: string) => {
    get(key: string): Promise<string | null>;
    getBuffer(key: string): Promise<Uint8Array | null>;
    close(): void;
  };
}

const bun = (globalThis as { Bun?: BunApi }).Bun;
if (bun === undefined) {
  console.error("bun_floor.ts measures Bun's socket API: run it with bun");
  process.exit(2);
}

const ROUNDS = flag("rounds", 7);

type Mode = "count" | "copy" | "warm" | "decoder";

interface Contender {
  name: string;
  get(): Promise<unknown>;
  close(): void | Promise<void>;
}

/** One GET of `key` (a value of `size` bytes, decoded as `bytes`) at a time over a bare socket. */
async function bareClient(port: number, key: string, size: number, bytes: BulkMode, mode: Mode) {
  const total = `$${size}\r\n`.length + size + 2;
  const warm = mode === "warm" ? new Uint8Array(total).fill(1) : undefined;
  let received = 0;
  let out: Uint8Array | undefined;
  let done: () => void = () => {};
  const decoder = new ReplyDecoder({ wantsBytes: () => bytes, reply: () => done(), push() {} });
  const socket = await bun!.connect({
    hostname: "127.0.0.1",
    port,
    socket: {
      data(_socket, chunk) {
        if (mode === "decoder") {
          decoder.feed(chunk);
          return;
        }
        if (mode === "copy") {
          out ??= bun!.allocUnsafe(total);
          out.set(chunk, received);
        } else if (warm !== undefined) {
          warm.set(chunk, received);
        }
        received += chunk.length;
        if (received < total) return;
        received = 0;
        out = undefined;
        done();
      },
    },
  });
  socket.setNoDelay?.(true);
  const command = new TextEncoder().encode(`*2\r\n$3\r\nGET\r\n$${key.length}\r\n${key}\r\n`);
  return {
    name: `bare Bun.connect, ${mode}`,
    get: () =>
      new Promise<void>((resolve) => {
        done = resolve;
        socket.write(command);
      }),
    close: () => socket.end(),
  };
}

/** Times `count` GETs per contender per round; prints one line per contender. */
async function measure(title: string, contenders: Contender[], count: number) {
  const times = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  /** Process-wide minor page faults and user CPU µs over each contender's timed rounds. */
  const usage = new Map(contenders.map((c) => [c.name, { faults: 0, user: 0 }]));
  // Warm-up, not recorded: five rounds' worth each. JavaScriptCore keeps compiling redcache's
  // hot functions (the decoder's main loop takes about 70 ms in its top tier) for tens of
  // thousands of GETs; the native client has nothing to compile.
  for (const c of contenders) for (let i = 0; i < count * 5; i++) await c.get();
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const c = contenders[(k + round) % contenders.length];
      const before = process.resourceUsage();
      const start = performance.now();
      for (let i = 0; i < count; i++) await c.get();
      times.get(c.name)!.push((performance.now() - start) / count * 1000);
      const after = process.resourceUsage();
      const total = usage.get(c.name)!;
      total.faults += after.minorPageFault - before.minorPageFault;
      total.user += after.userCPUTime - before.userCPUTime;
    }
  }
  const native = times.get("Bun.RedisClient");
  console.log(`\n${title}: ${count} GETs × ${ROUNDS} rounds, µs per GET`);
  const columns = ["median", "fastest", "user CPU", "faults"].map((h) => h.padStart(9)).join("");
  console.log(`${"".padEnd(26)}${columns}`);
  for (const [name, xs] of times) {
    const ratio = native === undefined ? "" : `  ${(median(native) / median(xs)).toFixed(2)}×`;
    const { faults, user } = usage.get(name)!;
    const gets = count * ROUNDS;
    const cells = [median(xs), Math.min(...xs), user / gets].map((v) => v.toFixed(1).padStart(9));
    console.log(
      `${name.padEnd(26)}${cells.join("")}${(faults / gets).toFixed(2).padStart(9)}${ratio}`,
    );
  }
  for (const c of contenders) await c.close();
}

const server = await startServer();
try {
  const cases = [
    { title: "GET of 100 bytes", key: "bench:small", size: 100, count: flag("small", 10_000) },
    { title: "GET of 1 MiB", key: "bench:large", size: 1024 * 1024, count: flag("large", 400) },
  ];
  const seed = await connect(server.url);
  for (const { key, size } of cases) await seed.set(key, new Uint8Array(size).fill(120));
  await seed.close();

  for (const { title, key, size, count } of cases) {
    const large = size > 1024;
    const modes: Mode[] = large ? ["count", "copy", "warm", "decoder"] : ["count", "decoder"];
    const contenders: Contender[] = [];
    const bytes = large ? BYTES : TEXT;
    for (const mode of modes) {
      contenders.push(await bareClient(server.port, key, size, bytes, mode));
    }
    const redcache = await connect(server.url);
    contenders.push({
      name: "redcache client",
      get: () => large ? redcache.send(["GET", key], { bytes: true }) : redcache.get(key),
      close: () => redcache.close(),
    });
    if (bun.RedisClient !== undefined) {
      const native = new bun.RedisClient(server.url);
      contenders.push({
        name: "Bun.RedisClient",
        get: () => large ? native.getBuffer(key) : native.get(key),
        close: () => native.close(),
      });
    }
    await measure(title, contenders, count);
  }
} finally {
  server.stop();
}
