/**
 * GET of a large string: sequential GETs of one value read as a string
 * (`get()`), 1 MiB of ASCII or 1 MiB of multi-byte UTF-8; MiB/s.
 *
 * Every reply is read once in the middle (`charCodeAt`), as a caller that
 * uses the string would: a client that hands back a rope (a string joined
 * lazily from pieces) pays for flattening it here, not later.
 *
 * @module
 */
import type { BenchClient, Measurement, Workload } from "../types.ts";
import { expectEqual, perSecond } from "./data.ts";

const MIB = 1024 * 1024;

/** 1 MiB of printable ASCII that never repeats within a socket read. */
function asciiText(): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < MIB; i++) {
    const line = `line ${i}: ${"abcdefghijklmnopqrstuvwxyz".slice(i % 26)}\n`;
    parts.push(line);
    length += line.length;
  }
  return parts.join("").slice(0, MIB);
}

/**
 * 1 MiB (in UTF-8) of 1- to 4-byte characters mixed, so sequences fall
 * across every socket read boundary.
 */
function utf8Text(): string {
  const pieces = ["a", "é", "€", "😀", "日本語", " ", "ß", "\u{10348}"];
  const sizes = pieces.map((piece) => new TextEncoder().encode(piece).length);
  const parts: string[] = [];
  let bytes = 0;
  for (let i = 0; bytes < MIB - 4; i++) {
    const k = (i * 7 + (i >> 3)) % pieces.length;
    const piece = pieces[k];
    const size = sizes[k];
    if (bytes + size > MIB) break;
    parts.push(piece);
    bytes += size;
  }
  return parts.join("");
}

function stringWorkload(id: string, title: string, what: string, value: string): Workload {
  const key = `e2e:${id}`;
  const bytes = new TextEncoder().encode(value).length;
  const mib = bytes / MIB;
  return {
    id,
    title,
    unit: "MiB/s",
    count: 1000,
    describe: (count) =>
      `${count.toLocaleString("en-US")} GETs of ${what} (${bytes.toLocaleString("en-US")} B), ` +
      "as a string, each read once",
    async setup(seed) {
      await seed.set(key, value);
    },
    async verify(client: BenchClient) {
      const got = await client.get(key);
      expectEqual(client, `GET ${key} length`, got?.length, value.length);
      expectEqual(client, `GET ${key}`, got === value, true);
    },
    async run(client: BenchClient, count: number): Promise<Measurement> {
      const middle = value.length >> 1;
      let sum = 0;
      let last: string | null = null;
      const start = performance.now();
      for (let i = 0; i < count; i++) {
        last = await client.get(key);
        sum += last!.charCodeAt(middle);
      }
      const elapsed = performance.now() - start;
      expectEqual(client, "last GET length", last?.length, value.length);
      expectEqual(client, "reads of the middle", sum, value.charCodeAt(middle) * count);
      return { value: perSecond(count, elapsed) * mib };
    },
  };
}

/** 1 MiB of ASCII, as a string. */
export const asciiWorkload: Workload = stringWorkload(
  "get-1mib-ascii",
  "GET 1 MiB ASCII",
  "1 MiB of ASCII text",
  asciiText(),
);

/** 1 MiB of UTF-8 with 2-, 3- and 4-byte characters, as a string. */
export const utf8Workload: Workload = stringWorkload(
  "get-1mib-utf8",
  "GET 1 MiB UTF-8",
  "1 MiB of multi-byte UTF-8 text",
  utf8Text(),
);
