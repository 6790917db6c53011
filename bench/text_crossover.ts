/**
 * Where a plain-JavaScript decoder of short ASCII strings stops beating the
 * runtime's own UTF-8 decoder, per length, on this runtime:
 *
 *     deno run -A bench/text_crossover.ts
 *     bun bench/text_crossover.ts
 *
 * Each method turns `length` bytes at a moving offset of a 64 KiB buffer into
 * a string, 200,000 times; the figure is the best of 5 rounds, in ns per
 * string. The buffer is a Node-style `Buffer` on Bun (what its sockets hand
 * over, so `utf8Slice` is available) and a plain `Uint8Array` elsewhere.
 * `src/resp/_decode_text.ts` sets its loop's cut-off from these figures.
 *
 * @module
 */

type Decode = (buf: Uint8Array, start: number, end: number) => string;

const decoder = new TextDecoder("utf-8", { ignoreBOM: true });

const methods: [string, Decode][] = [
  ["TextDecoder", (buf, start, end) => decoder.decode(buf.subarray(start, end))],
  ["JS loop", (buf, start, end) => {
    let s = "";
    for (let i = start; i < end; i++) {
      const c = buf[i];
      if (c > 127) return decoder.decode(buf.subarray(start, end));
      s += String.fromCharCode(c);
    }
    return s;
  }],
  ["fromCharCode.apply", (buf, start, end) => {
    for (let i = start; i < end; i++) {
      if (buf[i] > 127) return decoder.decode(buf.subarray(start, end));
    }
    return String.fromCharCode.apply(null, buf.subarray(start, end) as unknown as number[]);
  }],
];

const NodeBuffer = (globalThis as { Buffer?: { alloc(size: number): Uint8Array } }).Buffer;
const onBun = typeof (globalThis as { Bun?: unknown }).Bun === "object";
const buffer = onBun && NodeBuffer !== undefined
  ? NodeBuffer.alloc(1 << 16)
  : new Uint8Array(1 << 16);
if ("utf8Slice" in buffer) {
  methods.push([
    "Buffer#utf8Slice",
    (buf, start, end) =>
      (buf as Uint8Array & { utf8Slice(s: number, e: number): string }).utf8Slice(start, end),
  ]);
}
for (let i = 0; i < buffer.length; i++) buffer[i] = 97 + (i % 26);

const runtime = onBun
  ? `bun ${(globalThis as unknown as { Bun: { version: string } }).Bun.version}`
  : `deno ${Deno.version.deno}`;
const rows: string[][] = [];
for (const length of [8, 12, 16, 20, 24, 32, 48, 64, 100, 200, 1000]) {
  const row = [String(length)];
  for (const [, decode] of methods) {
    let best = Infinity;
    for (let round = 0; round < 5; round++) {
      const n = 200_000;
      let sink = 0;
      const start = performance.now();
      for (let i = 0; i < n; i++) {
        const at = (i * 97) & 0x7fff;
        sink += decode(buffer, at, at + length).length;
      }
      const ns = (performance.now() - start) * 1e6 / n;
      if (sink !== n * length) throw new Error("wrong length decoded");
      best = Math.min(best, ns);
    }
    row.push(best.toFixed(0));
  }
  rows.push(row);
}
console.log(`${runtime}: ns per string (best of 5 rounds of 200,000)\n`);
console.log(`| bytes | ${methods.map(([name]) => name).join(" | ")} |`);
console.log(`| ----: | ${methods.map(() => "---:").join(" | ")} |`);
for (const row of rows) console.log(`| ${row.join(" | ")} |`);
