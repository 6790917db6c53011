/**
 * Robustness of the streaming reply decoder under hostile input, deterministically:
 * every random choice comes from a seeded PRNG (mulberry32) and every failure message
 * names the seed, so a failure reproduces with `reproduce(seed)` below.
 *
 * - random valid RESP2/RESP3 streams decode to exactly what was generated, however chunked;
 * - mutated streams (byte flips, inserts, deletes, duplicated slices, truncation) end in
 *   complete values, a partial reply, or one `ProtocolError`, never any other exception;
 * - allocation bombs fail from the header alone, before any large allocation;
 * - deep nesting fails at `maxDepth` without a stack overflow, and decodes when allowed;
 * - an endless line fails at `maxLineLength` without holding more than that.
 *
 * @module
 */
import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { AUTO, type BulkMode, BYTES, ReplyDecoder, TEXT } from "../../src/resp/decode.ts";
import type { DecoderLimits, RedisReply } from "../../src/resp/types.ts";
import { ProtocolError, ReplyError } from "../../src/errors.ts";
import { replyCases } from "./cases.ts";
import { mulberry32 } from "../support/random.ts";

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

class Rng {
  #next: () => number;
  constructor(readonly seed: number) {
    this.#next = mulberry32(seed);
  }
  /** A float in [0, 1). */
  float(): number {
    return this.#next();
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.#next() * n);
  }
  /** An integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.#next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

// ---------------------------------------------------------------------------------------------
// Random valid replies and what they must decode to

const enc = new TextEncoder();
const utf8 = (s: string) => enc.encode(s);
// Same settings as the decoder: a leading U+FEFF is kept.
const dec = new TextDecoder("utf-8", { ignoreBOM: true });

/** A generated RESP value: enough to encode it and to compute what it decodes to. */
type Node =
  | { t: "simple" | "error" | "bulk" | "blobError"; b: Uint8Array; attr?: Node }
  | { t: "verbatim"; fmt: string; b: Uint8Array; attr?: Node }
  | { t: "int" | "double" | "big"; text: string; attr?: Node }
  | { t: "bool"; v: boolean; attr?: Node }
  | { t: "null" | "nullBulk" | "nullArray"; attr?: Node }
  | { t: "array" | "set" | "push"; items: Node[]; attr?: Node }
  | { t: "map" | "attribute"; pairs: [Node, Node][]; attr?: Node };

/** A top-level event as the sink sees it, in comparable form (a ReplyError is `{ error }`). */
type Event = { reply: unknown } | { push: unknown };

const MAX_GEN_DEPTH = 5;

/** Bytes for a bulk or simple string: ASCII, CR/LF (bulk only), NUL, and multi-byte UTF-8. */
function randomBytes(rng: Rng, line: boolean): Uint8Array {
  const n = rng.chance(0.05) ? rng.range(100, 3000) : rng.range(0, 24);
  const pieces: number[] = [];
  if (!line && rng.chance(0.15)) pieces.push(0); // a binary header for AUTO mode
  while (pieces.length < n) {
    const r = rng.float();
    if (r < 0.6) pieces.push(rng.range(0x20, 0x7e));
    else if (r < 0.7) pieces.push(...utf8(rng.pick(["é", "€", "😀", "\ufeff", "ß"])));
    else if (r < 0.8 && !line) pieces.push(rng.pick([13, 10]));
    else if (r < 0.9) pieces.push(line ? rng.range(0x80, 0xff) : rng.range(0, 255));
    else pieces.push(rng.pick([0x2a, 0x24, 0x3a, 0x2d, 0x30])); // RESP-looking bytes
  }
  // Multi-byte characters may overshoot n by a few bytes: fine, the length header is exact.
  const bytes = Uint8Array.from(pieces);
  return line ? bytes.map((b) => (b === 13 || b === 10 ? 0x5f : b)) : bytes;
}

function randomInteger(rng: Rng): string {
  switch (rng.int(5)) {
    case 0:
      return String(rng.range(-9, 99));
    case 1:
      return String(rng.range(-(2 ** 31), 2 ** 31));
    case 2: // anywhere in the signed 64-bit range
      return String(BigInt.asIntN(64, BigInt(rng.int(2 ** 32)) << 32n | BigInt(rng.int(2 ** 32))));
    case 3: // near 2^53, both sides
      return String((rng.chance(0.5) ? -1n : 1n) * (2n ** 53n + BigInt(rng.range(-3, 3))));
    default:
      return (rng.chance(0.5) ? "+" : "") + String(rng.int(1000));
  }
}

function randomDouble(rng: Rng): string {
  switch (rng.int(6)) {
    case 0:
      return rng.pick(["inf", "-inf", "nan", "+inf", "-nan", "INF"]);
    case 1:
      return String(rng.range(-1000, 1000));
    case 2:
      return `${rng.range(1, 9)}.${rng.int(1000)}e${rng.pick(["", "+", "-"])}${rng.int(30)}`;
    case 3:
      return "-0";
    default: {
      const n = (rng.float() * 2 - 1) * 10 ** rng.range(-20, 20);
      return String(n);
    }
  }
}

function randomBig(rng: Rng): string {
  let digits = String(rng.range(1, 9));
  for (let i = rng.range(0, 60); i > 0; i--) digits += String(rng.int(10));
  return (rng.chance(0.3) ? "-" : "") + digits;
}

function randomScalar(rng: Rng): Node {
  switch (rng.int(14)) {
    case 0:
      return { t: "simple", b: randomBytes(rng, true) };
    case 1:
      return { t: "error", b: utf8(`ERR ${rng.int(1e6)}`) };
    case 2:
    case 3:
      return { t: "int", text: randomInteger(rng) };
    case 4:
    case 5:
    case 6:
      return { t: "bulk", b: randomBytes(rng, false) };
    case 7:
      return { t: rng.pick(["null", "nullBulk", "nullArray"] as const) };
    case 8:
      return { t: "double", text: randomDouble(rng) };
    case 9:
      return { t: "bool", v: rng.chance(0.5) };
    case 10:
      return { t: "blobError", b: utf8(`SYNTAX line ${rng.int(1e6)}\r\nmore`) };
    case 11:
      return { t: "verbatim", fmt: rng.pick(["txt", "mkd"]), b: randomBytes(rng, false) };
    case 12:
      return { t: "big", text: randomBig(rng) };
    default:
      return { t: "simple", b: utf8(rng.pick(["OK", "PONG", "QUEUED", ""])) };
  }
}

/** A random attribute: a small map of scalars (sometimes holding an aggregate). */
function randomAttribute(rng: Rng, depth: number): Node {
  const pairs: [Node, Node][] = [];
  for (let i = rng.range(0, 2); i > 0; i--) {
    pairs.push([
      randomScalar(rng),
      depth < MAX_GEN_DEPTH ? randomNode(rng, depth + 1) : randomScalar(rng),
    ]);
  }
  return { t: "attribute", pairs };
}

/** A random value up to MAX_GEN_DEPTH aggregates deep. */
function randomNode(rng: Rng, depth = 0): Node {
  let node: Node;
  if (depth >= MAX_GEN_DEPTH || rng.chance(0.45 + depth * 0.08)) {
    node = randomScalar(rng);
  } else {
    const n = rng.chance(0.1) ? 0 : rng.range(1, 4);
    const kind = rng.pick(["array", "array", "map", "set", "push"] as const);
    if (kind === "map") {
      const pairs: [Node, Node][] = [];
      for (let i = 0; i < n; i++) {
        pairs.push([randomNode(rng, depth + 1), randomNode(rng, depth + 1)]);
      }
      node = { t: "map", pairs };
    } else {
      const items: Node[] = [];
      for (let i = 0; i < n; i++) items.push(randomNode(rng, depth + 1));
      node = { t: kind, items };
    }
  }
  if (rng.chance(0.05)) node.attr = randomAttribute(rng, depth);
  return node;
}

/** A top-level push: a kind name, then values (never a command's reply). */
function randomPush(rng: Rng): Node {
  const items: Node[] = [{ t: "bulk", b: utf8(rng.pick(["message", "invalidate", "pmessage"])) }];
  for (let i = rng.range(0, 3); i > 0; i--) items.push(randomNode(rng, 1));
  return { t: "push", items };
}

/** A stream of 1 to 5 top-level replies and pushes. */
function randomStream(rng: Rng): Node[] {
  const out: Node[] = [];
  for (let i = rng.range(1, 5); i > 0; i--) {
    out.push(rng.chance(0.15) ? randomPush(rng) : randomNode(rng));
  }
  return out;
}

const TYPE: Record<string, string> = {
  simple: "+",
  error: "-",
  int: ":",
  bulk: "$",
  double: ",",
  bool: "#",
  blobError: "!",
  verbatim: "=",
  big: "(",
  array: "*",
  set: "~",
  push: ">",
  map: "%",
  attribute: "|",
};

function encodeNode(node: Node, out: Uint8Array[]): void {
  if (node.attr !== undefined) encodeNode(node.attr, out);
  const head = (s: string) => out.push(utf8(s));
  switch (node.t) {
    case "simple":
    case "error":
      head(TYPE[node.t]);
      out.push(node.b);
      head("\r\n");
      return;
    case "bulk":
    case "blobError":
      head(`${TYPE[node.t]}${node.b.length}\r\n`);
      out.push(node.b);
      head("\r\n");
      return;
    case "verbatim":
      head(`=${node.b.length + 4}\r\n${node.fmt}:`);
      out.push(node.b);
      head("\r\n");
      return;
    case "int":
    case "double":
    case "big":
      head(`${TYPE[node.t]}${node.text}\r\n`);
      return;
    case "bool":
      head(node.v ? "#t\r\n" : "#f\r\n");
      return;
    case "null":
      head("_\r\n");
      return;
    case "nullBulk":
      head("$-1\r\n");
      return;
    case "nullArray":
      head("*-1\r\n");
      return;
    case "array":
    case "set":
    case "push":
      head(`${TYPE[node.t]}${node.items.length}\r\n`);
      for (const item of node.items) encodeNode(item, out);
      return;
    case "map":
    case "attribute":
      head(`${TYPE[node.t]}${node.pairs.length}\r\n`);
      for (const [k, v] of node.pairs) {
        encodeNode(k, out);
        encodeNode(v, out);
      }
      return;
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function encodeStream(nodes: Node[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const node of nodes) encodeNode(node, parts);
  return concat(parts);
}

/** A bulk's value in a mode: AUTO gives bytes only for a leading NUL. */
function bulkValue(b: Uint8Array, mode: BulkMode): unknown {
  if (mode === TEXT || (mode === AUTO && (b.length === 0 || b[0] !== 0))) return dec.decode(b);
  return Uint8Array.from(b);
}

function parseDouble(text: string): number {
  const lower = text.toLowerCase();
  if (lower === "inf" || lower === "+inf") return Infinity;
  if (lower === "-inf") return -Infinity;
  if (lower === "nan" || lower === "-nan") return NaN;
  return Number(text);
}

/** What `node` decodes to, in comparable form, when bulks come back in `mode`. */
function expected(node: Node, mode: BulkMode): unknown {
  switch (node.t) {
    case "simple":
      return dec.decode(node.b);
    case "error":
    case "blobError":
      return { error: dec.decode(node.b) };
    case "bulk":
    case "verbatim":
      return bulkValue(node.b, mode);
    case "int": {
      const n = BigInt(node.text);
      return n >= -(2n ** 53n) + 1n && n <= 2n ** 53n - 1n ? Number(n) : n;
    }
    case "double":
      return parseDouble(node.text);
    case "big":
      return BigInt(node.text);
    case "bool":
      return node.v;
    case "null":
    case "nullBulk":
    case "nullArray":
      return null;
    case "array":
    case "push":
      return node.items.map((item) => expected(item, mode));
    case "set":
      return new Set(node.items.map((item) => expected(item, mode)));
    case "map":
      return new Map(node.pairs.map(([k, v]) => [expected(k, mode), expected(v, mode)]));
    case "attribute":
      throw new Error("an attribute is never a value");
  }
}

function expectedEvents(nodes: Node[], mode: BulkMode): Event[] {
  return nodes.map((node) =>
    node.t === "push" ? { push: expected(node, TEXT) } : { reply: expected(node, mode) }
  );
}

// ---------------------------------------------------------------------------------------------
// Feeding the decoder

/** Makes decoded values comparable: a ReplyError becomes `{ error }`. */
function plain(value: RedisReply): unknown {
  if (value instanceof ReplyError) return { error: value.message };
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [plain(k), plain(v)]));
  if (value instanceof Set) return new Set([...value].map(plain));
  return value;
}

/**
 * A comparable form that keeps order: maps and sets become lists of their entries in insertion
 * order (the decoder keeps the wire's order), bytes become hex tagged with their class. Only
 * plain arrays and objects are then compared: deep equality of Maps with object keys differs
 * between runtimes (Bun's fails on a map with two `[]` keys, seed 1592590415 before this).
 */
function canon(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canon);
  if (value instanceof Map) return { map: [...value].map(([k, v]) => [canon(k), canon(v)]) };
  if (value instanceof Set) return { set: [...value].map(canon) };
  if (value instanceof Uint8Array) {
    const hex = Array.from(value, (b) => b.toString(16).padStart(2, "0")).join("");
    // A Buffer or a view of a reused read buffer would not be a plain Uint8Array.
    return Object.getPrototypeOf(value) === Uint8Array.prototype ? { bytes: hex } : { view: hex };
  }
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, canon(v)]));
  }
  return value;
}

/** True if `value` is something a reply may be (checked iteratively: it may be deep). */
function isReply(value: unknown): boolean {
  const todo: unknown[] = [value];
  while (todo.length > 0) {
    const v = todo.pop();
    if (v === null) continue;
    switch (typeof v) {
      case "string":
      case "number":
      case "bigint":
      case "boolean":
        continue;
      case "object":
        if (v instanceof Uint8Array || v instanceof ReplyError) continue;
        if (Array.isArray(v)) todo.push(...v);
        else if (v instanceof Set) todo.push(...v);
        else if (v instanceof Map) { for (const [k, x] of v) todo.push(k, x); }
        else return false;
        continue;
      default:
        return false;
    }
  }
  return true;
}

/** Split points: whole, one byte at a time, or random sizes (small ones likely). */
function randomChunks(rng: Rng, input: Uint8Array): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  const style = rng.int(4);
  let at = 0;
  while (at < input.length) {
    const size = style === 0
      ? input.length
      : style === 1
      ? 1
      : style === 2
      ? rng.range(1, 8)
      : rng.range(1, Math.max(1, input.length >> 1));
    chunks.push(input.subarray(at, at + size));
    at += size;
  }
  if (rng.chance(0.1)) chunks.splice(rng.int(chunks.length + 1), 0, new Uint8Array(0));
  return chunks;
}

interface Outcome {
  /** What the sink received, in `canon` form. */
  events: unknown[];
  /** The ProtocolError that ended decoding, if any. */
  error: ProtocolError | undefined;
  busy: boolean;
}

function newDecoder(events: Event[], mode: BulkMode, limits?: DecoderLimits): ReplyDecoder {
  return new ReplyDecoder({
    wantsBytes: () => mode,
    reply: (value) => events.push({ reply: value }),
    push: (value) => events.push({ push: value }),
  }, limits);
}

/**
 * Feeds `chunks` the way a transport does (a scratch buffer overwritten after each feed, so
 * the decoder must copy what it keeps) and checks the decoder's contract on the way: the only
 * exception is a `ProtocolError`, nothing is delivered after it, and every later feed throws
 * `ProtocolError` too.
 */
function run(
  chunks: Uint8Array[],
  mode: BulkMode,
  label: string,
  limits?: DecoderLimits,
): Outcome {
  const raw: Event[] = [];
  const decoder = newDecoder(raw, mode, limits);
  let error: ProtocolError | undefined;
  for (const chunk of chunks) {
    const scratch = new Uint8Array(chunk.length);
    scratch.set(chunk);
    const failedBefore = error !== undefined;
    const before = raw.length;
    let threw = false;
    try {
      decoder.feed(scratch);
    } catch (e) {
      threw = true;
      if (!(e instanceof ProtocolError)) {
        assert.fail(`${label}: feed threw ${(e as Error)?.name}: ${(e as Error)?.message}`);
      }
      error ??= e;
    }
    scratch.fill(0xee);
    if (failedBefore) {
      // Once failed, the decoder refuses everything, including what is left of the input.
      assert.ok(threw, `${label}: a feed after a ProtocolError did not throw`);
      assert.equal(raw.length, before, `${label}: a value delivered after a ProtocolError`);
    }
  }
  if (error !== undefined) {
    const after = raw.length;
    assert.throws(() => decoder.feed(utf8("+OK\r\n")), ProtocolError, `${label}: feed after error`);
    assert.equal(raw.length, after, `${label}: a value delivered after a ProtocolError`);
  }
  for (const [i, event] of raw.entries()) {
    const value = "reply" in event ? event.reply : event.push;
    assert.ok(isReply(value), `${label}: event ${i} is not a reply value`);
    if ("push" in event) assert.ok(Array.isArray(value), `${label}: a push that is no array`);
  }
  const events = raw.map((e) =>
    canon(
      "reply" in e
        ? { reply: plain(e.reply as RedisReply) }
        : { push: plain(e.push as RedisReply) },
    )
  );
  return { events, error, busy: error === undefined && decoder.busy };
}

// ---------------------------------------------------------------------------------------------
// Mutations

const TOKENS = ["\r\n", "\r", "\n", "-1", "0", "9", "*", "$", "%", "~", ">", "|", ":", "_", "#t"]
  .map(utf8);

function mutate(rng: Rng, input: Uint8Array): { bytes: Uint8Array; log: string[] } {
  let b = Array.from(input);
  const log: string[] = [];
  for (let m = rng.range(1, 4); m > 0; m--) {
    const at = rng.int(b.length + 1);
    switch (rng.int(6)) {
      case 0: // flip a bit
        if (b.length === 0) break;
        b[at % b.length] ^= 1 << rng.int(8);
        log.push(`flip@${at % b.length}`);
        break;
      case 1: // overwrite a byte
        if (b.length === 0) break;
        b[at % b.length] = rng.int(256);
        log.push(`set@${at % b.length}`);
        break;
      case 2: { // insert random bytes or a RESP-looking token
        const ins = rng.chance(0.5)
          ? Array.from(rng.pick(TOKENS))
          : Array.from({ length: rng.range(1, 8) }, () => rng.int(256));
        b.splice(at, 0, ...ins);
        log.push(`insert@${at}+${ins.length}`);
        break;
      }
      case 3: { // delete a range
        const n = rng.range(1, 8);
        b.splice(at, n);
        log.push(`delete@${at}-${n}`);
        break;
      }
      case 4: { // duplicate a slice somewhere else
        const from = rng.int(b.length + 1);
        const slice = b.slice(from, from + rng.range(1, 32));
        const to = rng.int(b.length + 1);
        b.splice(to, 0, ...slice);
        log.push(`dup@${from}+${slice.length}->${to}`);
        break;
      }
      default: // truncate
        b = b.slice(0, at);
        log.push(`truncate@${at}`);
    }
  }
  return { bytes: Uint8Array.from(b), log };
}

const MODES: BulkMode[] = [TEXT, BYTES, AUTO];
const MODE_NAMES = ["TEXT", "BYTES", "AUTO"];
/** Bounded bulks: a mutated length must not make the fuzzer allocate half a gigabyte. */
const FUZZ_LIMITS: DecoderLimits = { maxBulkLength: 1 << 20 };
const caseWires = replyCases.map(([, wire]) => utf8(wire));

/** One random valid stream decodes to exactly what was generated, however chunked. */
function checkValid(seed: number): void {
  const rng = new Rng(seed);
  const mode = rng.pick(MODES);
  const nodes = randomStream(rng);
  const wire = encodeStream(nodes);
  const label = `valid stream, seed ${seed} (mode ${MODE_NAMES[mode]})`;
  const want = expectedEvents(nodes, mode);
  const got = run(randomChunks(rng, wire), mode, label);
  assert.equal(got.error, undefined, `${label}: ${got.error?.message}`);
  assert.equal(got.busy, false, `${label}: decoder still busy`);
  assert.deepEqual(got.events, canon(want), label);
}

/** One mutated stream: only values, a partial state or one ProtocolError, however chunked. */
function checkMutated(seed: number): Outcome {
  const rng = new Rng(seed);
  const mode = rng.pick(MODES);
  let source: Uint8Array;
  if (rng.chance(0.4)) {
    const picked: Uint8Array[] = [];
    for (let i = rng.range(1, 3); i > 0; i--) picked.push(rng.pick(caseWires));
    source = concat(picked);
  } else {
    source = encodeStream(randomStream(rng));
  }
  const { bytes, log } = mutate(rng, source);
  const label = `mutated stream, seed ${seed} (mode ${MODE_NAMES[mode]}, ${log.join(" ")})`;
  const whole = run([bytes], mode, `${label} whole`, FUZZ_LIMITS);
  const chunked = run(randomChunks(rng, bytes), mode, `${label} chunked`, FUZZ_LIMITS);
  // However the bytes are split, the outcome is the same.
  assert.equal(chunked.error !== undefined, whole.error !== undefined, `${label}: error differs`);
  assert.equal(chunked.busy, whole.busy, `${label}: busy differs`);
  assert.deepEqual(chunked.events, whole.events, `${label}: events differ`);
  return whole;
}

/** Reproduces one seed of either property (for debugging a reported failure). */
export function reproduce(seed: number): void {
  checkValid(seed);
  checkMutated(seed);
}

const VALID_CASES = 1500;
const MUTATED_CASES = 3000;

// ---------------------------------------------------------------------------------------------
// Allocation spy: records the largest typed array the decoder asks for.

/**
 * Runs `fn` with `globalThis.Uint8Array` replaced by a subclass that records the largest
 * length requested (the decoder allocates with `new Uint8Array(n)`), and returns it.
 */
function largestAllocation(fn: () => void): number {
  const Original = globalThis.Uint8Array;
  let largest = 0;
  class Spy extends Original {
    // deno-lint-ignore no-explicit-any
    constructor(...args: any[]) {
      if (typeof args[0] === "number") largest = Math.max(largest, args[0]);
      // deno-lint-ignore no-explicit-any
      super(...(args as [any]));
    }
  }
  globalThis.Uint8Array = Spy as Uint8ArrayConstructor;
  // On Bun the decoder allocates buffers it overwrites with Bun.allocUnsafe: watch that too.
  const bun = (globalThis as { Bun?: { allocUnsafe?(size: number): Uint8Array } }).Bun;
  const unsafe = bun?.allocUnsafe;
  if (bun !== undefined && unsafe !== undefined) {
    bun.allocUnsafe = (size: number) => {
      largest = Math.max(largest, size);
      return unsafe.call(bun, size);
    };
  }
  try {
    fn();
  } finally {
    globalThis.Uint8Array = Original;
    if (bun !== undefined && unsafe !== undefined) bun.allocUnsafe = unsafe;
  }
  return largest;
}

function throwsProtocolError(fn: () => void, message: string): void {
  try {
    fn();
  } catch (error) {
    assert.ok(
      error instanceof ProtocolError,
      `${message}: threw ${(error as Error)?.name}: ${(error as Error)?.message}`,
    );
    return;
  }
  assert.fail(`${message}: did not throw`);
}

/** Depth of a chain of single-element arrays, walked without recursion. */
function chainDepth(value: RedisReply): { depth: number; leaf: RedisReply } {
  let depth = 0;
  let v = value;
  while (Array.isArray(v)) {
    assert.equal(v.length, 1, `an array of ${v.length} at depth ${depth}`);
    v = v[0];
    depth++;
  }
  return { depth, leaf: v };
}

// ---------------------------------------------------------------------------------------------

describe("ReplyDecoder fuzzing", () => {
  it(`decodes ${VALID_CASES} random valid streams exactly, however chunked`, () => {
    for (let i = 0; i < VALID_CASES; i++) checkValid(0x5eed0000 + i);
  });

  it(`survives ${MUTATED_CASES} mutated streams: values, partial, or one ProtocolError`, () => {
    let failed = 0;
    let partial = 0;
    let withValues = 0;
    for (let i = 0; i < MUTATED_CASES; i++) {
      const outcome = checkMutated(0xbad00000 + i);
      if (outcome.error !== undefined) failed++;
      if (outcome.busy) partial++;
      if (outcome.events.length > 0) withValues++;
    }
    // The harness itself: each outcome must be common, or the mutations miss the decoder.
    const counts = `${failed} failed, ${partial} partial, ${withValues} with values`;
    for (const n of [failed, partial, withValues]) {
      assert.ok(n > MUTATED_CASES / 20, `outcomes too lopsided: ${counts}`);
    }
  });

  it("the generator's own samples round-trip (sanity check of the harness)", () => {
    // Every wire sample of cases.ts, mutated zero times, decodes without error.
    for (const [name, wire] of replyCases) {
      const out = run([utf8(wire)], TEXT, name);
      assert.equal(out.error, undefined, name);
      assert.equal(out.busy, false, name);
    }
  });
});

describe("ReplyDecoder bounded memory", () => {
  const bombs: [string, string, DecoderLimits?][] = [
    ["an array of 2^32-1", "*4294967295\r\n"],
    ["a bulk of 512 MiB + 1", "$536870913\r\n"],
    ["a map of 2^31-1 pairs", "%2147483647\r\n"],
    ["a set of 10^11", "~99999999999\r\n"],
    ["a negative bulk length", "$-5\r\n"],
    ["a push of 2^32-1", ">4294967295\r\n"],
    ["an attribute of 2^31-1", "|2147483647\r\n"],
    ["a verbatim of 512 MiB + 1", "=536870913\r\n"],
    ["a blob error of 512 MiB + 1", "!536870913\r\n"],
    ["a length of 20 digits", "$99999999999999999999\r\n"],
    ["a bulk over a small limit", "$1025\r\n", { maxBulkLength: 1024 }],
    ["an array over a small limit", "*1025\r\n", { maxElements: 1024 }],
    ["a map whose pairs are over a small limit", "%1025\r\n", { maxElements: 1024 }],
  ];
  for (const [name, header, limits] of bombs) {
    it(`refuses ${name} from the header alone (${JSON.stringify(header)})`, () => {
      for (const split of [header.length, 1]) {
        const events: Event[] = [];
        const decoder = newDecoder(events, BYTES, limits);
        const bytes = utf8(header);
        const largest = largestAllocation(() =>
          throwsProtocolError(() => {
            for (let at = 0; at < bytes.length; at += split) {
              decoder.feed(bytes.subarray(at, at + split));
            }
          }, `${name}, split every ${split}`)
        );
        assert.ok(largest < 64, `${name}: allocated ${largest} bytes before refusing`);
        assert.equal(events.length, 0);
        throwsProtocolError(() => decoder.feed(utf8("+OK\r\n")), `${name}: feed after the error`);
      }
    });
  }

  it("a bulk within the limits is buffered at its declared size, not beyond", () => {
    const decoder = newDecoder([], BYTES, { maxBulkLength: 1024 });
    const largest = largestAllocation(() => decoder.feed(utf8("$1024\r\nabc")));
    // (Seeing the buffer at all also shows that the spy sees the decoder's allocations.)
    assert.ok(largest >= 1024 && largest <= 1024 + 2, `allocated ${largest}`);
    assert.equal(decoder.busy, true);
  });
});

describe("ReplyDecoder deep nesting", () => {
  const DEPTH = 100_000;
  const wire = utf8("*1\r\n".repeat(DEPTH) + ":1\r\n");

  it(`refuses ${DEPTH} nested arrays at the default maxDepth, without a stack overflow`, () => {
    for (const size of [wire.length, 4096, 7]) {
      const decoder = newDecoder([], TEXT);
      throwsProtocolError(() => {
        for (let at = 0; at < wire.length; at += size) decoder.feed(wire.subarray(at, at + size));
      }, `nesting ${DEPTH} deep in chunks of ${size}`);
    }
  });

  it(`refuses nesting one past the limit, accepts it at the limit`, () => {
    const limit = 64;
    throwsProtocolError(
      () => newDecoder([], TEXT).feed(utf8("*1\r\n".repeat(limit + 1) + ":1\r\n")),
      "65 levels",
    );
    const events: Event[] = [];
    newDecoder(events, TEXT).feed(utf8("*1\r\n".repeat(limit) + ":1\r\n"));
    assert.equal(events.length, 1);
    assert.deepEqual(chainDepth((events[0] as { reply: RedisReply }).reply), {
      depth: limit,
      leaf: 1,
    });
  });

  it(`decodes ${DEPTH} nested arrays with maxDepth 200000 (iteratively)`, () => {
    for (const size of [wire.length, 1000]) {
      const events: Event[] = [];
      const decoder = newDecoder(events, TEXT, { maxDepth: 200_000 });
      for (let at = 0; at < wire.length; at += size) decoder.feed(wire.subarray(at, at + size));
      assert.equal(decoder.busy, false);
      assert.equal(events.length, 1);
      // Walk it without recursion: assert.deepEqual on it would itself overflow the stack.
      const { depth, leaf } = chainDepth((events[0] as { reply: RedisReply }).reply);
      assert.equal(depth, DEPTH, `chunks of ${size}`);
      assert.equal(leaf, 1);
    }
  });

  it("deep mixed aggregates (map, set, push, attribute) decode iteratively too", () => {
    const levels = 30_000;
    let text = "";
    for (let i = 0; i < levels; i++) {
      text += ["*1\r\n", "~1\r\n", ">1\r\n", "%1\r\n+k\r\n", "|1\r\n+a\r\n+b\r\n*1\r\n"][i % 5];
    }
    text += "_\r\n";
    const events: Event[] = [];
    const decoder = newDecoder(events, TEXT, { maxDepth: 100_000 });
    decoder.feed(utf8(text));
    assert.equal(decoder.busy, false);
    assert.equal(events.length, 1);
    let depth = 0;
    let v: unknown = (events[0] as { reply: unknown }).reply;
    while (v !== null) {
      if (Array.isArray(v)) v = v[0];
      else if (v instanceof Set) v = [...v][0];
      else if (v instanceof Map) v = v.get("k");
      else assert.fail(`unexpected ${typeof v} at depth ${depth}`);
      depth++;
    }
    assert.equal(depth, levels);
  });
});

describe("ReplyDecoder endless lines", () => {
  for (
    const [type, limit, chunk] of [["+", 4096, 7], ["-", 4096, 1], [":", 1000, 13], [
      "$",
      100,
      3,
    ]] as const
  ) {
    it(`a '${type}' line without CRLF fails past maxLineLength ${limit} (chunks of ${chunk})`, () => {
      const decoder = newDecoder([], TEXT, { maxLineLength: limit });
      const piece = utf8("9".repeat(chunk));
      let fed = 0;
      let largest = 0;
      let failed = false;
      largest = largestAllocation(() => {
        decoder.feed(utf8(type));
        fed = 1;
        while (fed < limit * 4) {
          try {
            decoder.feed(piece);
          } catch (error) {
            assert.ok(error instanceof ProtocolError, `threw ${(error as Error)?.name}`);
            failed = true;
            break;
          }
          fed += piece.length;
        }
      });
      assert.ok(failed, `no ProtocolError after ${fed} bytes`);
      assert.ok(fed <= limit + chunk, `failed only after ${fed} bytes`);
      // What it held (the unfinished line, then that line plus one chunk) stays near the limit.
      assert.ok(largest <= limit + 2 * chunk, `held ${largest} bytes for a limit of ${limit}`);
      throwsProtocolError(() => decoder.feed(utf8("\r\n")), "feed after the error");
    });
  }
});
