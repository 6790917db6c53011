/**
 * What a bare `Deno.connect` client reaches, next to redcache, for sequential
 * GETs of a 100-byte value: the floor that Deno's socket API sets for any
 * client written in JavaScript.
 *
 *     deno run -A bench/e2e/deno_floor.ts [--rounds=7] [--n=20000]
 *
 * The bare client writes a pre-encoded `GET`, reads until the whole reply is
 * in, and decodes the value with `TextDecoder`: no parser, no queue, no
 * promise of its own. After two untimed rounds, each line is, per GET, the
 * median and the fastest of the timed rounds (the two readers alternate, so a
 * slow spell of the machine lands on both), and bare's median over this one's
 * (1.00× is the floor).
 *
 * @module
 */
import process from "node:process";
import { connect } from "../../mod.ts";
import { startServer } from "./server.ts";
import { flag } from "./flags.ts";
import { median } from "./stats.ts";

if (typeof Deno === "undefined" || typeof Deno.connect !== "function") {
  console.error("deno_floor.ts measures Deno's socket API: run it with deno");
  process.exit(2);
}

const rounds = flag("rounds", 7);
const n = flag("n", 20_000);
const VALUE = "v".repeat(100);
const REPLY = `$100\r\n${VALUE}\r\n`.length;

const server = await startServer();
const redis = await connect(server.url);
const conn = await Deno.connect({ hostname: server.host, port: server.port });
try {
  conn.setNoDelay(true);
  await redis.set("floor:k", VALUE);
  const command = new TextEncoder().encode("*2\r\n$3\r\nGET\r\n$7\r\nfloor:k\r\n");
  const buffer = new Uint8Array(64 * 1024);
  const decoder = new TextDecoder();
  const bare = async (): Promise<string> => {
    await conn.write(command);
    let got = 0;
    while (got < REPLY) {
      const read = await conn.read(buffer.subarray(got));
      if (read === null) throw new Error("the server closed the connection");
      got += read;
    }
    return decoder.decode(buffer.subarray(6, 106));
  };
  const readers: [string, () => Promise<string | null>][] = [
    ["bare Deno.connect", bare],
    ["redcache client", () => redis.get("floor:k")],
  ];
  const times = new Map<string, number[]>(readers.map(([name]) => [name, []]));
  for (let round = -2; round < rounds; round++) {
    const order = round % 2 === 0 ? readers : [...readers].reverse();
    for (const [name, read] of order) {
      const start = performance.now();
      for (let i = 0; i < n; i++) {
        if ((await read()) !== VALUE) throw new Error(`${name} read a wrong value`);
      }
      if (round >= 0) times.get(name)!.push((performance.now() - start) * 1000 / n);
    }
  }
  const floor = median(times.get(readers[0][0])!);
  console.log(
    `Deno ${Deno.version.deno}: µs per sequential GET of 100 B, ${rounds} rounds of ${n}`,
  );
  for (const [name, values] of times) {
    const m = median(values);
    console.log(
      `${name.padEnd(18)} median ${m.toFixed(1)}, fastest ${Math.min(...values).toFixed(1)}, ` +
        `floor / this ${(floor / m).toFixed(2)}×`,
    );
  }
} finally {
  conn.close();
  await redis.close();
  server.stop();
}
