/**
 * The streaming RESP2/RESP3 reply decoder.
 *
 * Bytes may arrive split anywhere. Complete replies in a chunk are decoded in
 * place, without copying; only an unfinished tail is kept. Aggregates are
 * tracked on an explicit stack, so a reply that spans many chunks is resumed,
 * never re-parsed. A bulk that spans chunks is gathered once into a buffer of
 * its declared size (bytes), or into a buffer lent to one string at a time
 * (`_decode_bulk.ts`). The chunk passed to `feed()` may be reused by the
 * caller as soon as `feed()` returns.
 *
 * @module
 */

import { ProtocolError, ReplyError } from "../errors.ts";
import type { DecoderLimits, RedisReply } from "./types.ts";
import { allocUnsafe } from "../util/alloc.ts";
import { badLength, DEFAULT_LIMITS, overLimit, unknownType } from "./_decode_errors.ts";
import { integer, rareLine } from "./_decode_scalars.ts";
import type { Frame } from "./_decode_state.ts";
import { GATHER, LEND, LEND_MAX, PartialBulk, STREAM } from "./_decode_bulk.ts";
import { copy, text } from "./_decode_text.ts";

/** Bulk strings as strings. */
export const TEXT = 0;
/** Bulk strings as `Uint8Array`. */
export const BYTES = 1;
/** Bulk strings as `Uint8Array` when they start with a NUL byte, else as strings. */
export const AUTO = 2;
/** How bulk strings come back: `TEXT`, `BYTES` or `AUTO`. */
export type BulkMode = typeof TEXT | typeof BYTES | typeof AUTO;

/** Receives what the decoder finds, in order. */
export interface ReplySink {
  /**
   * Asked once before each top-level reply: how to return bulk strings.
   * `TEXT` as strings, `BYTES` as `Uint8Array`, `AUTO` as bytes only when
   * the first byte is NUL (a binary value's header), else as strings.
   */
  wantsBytes(): BulkMode;
  /** A complete top-level reply (a `ReplyError` for an error reply). */
  reply(value: RedisReply): void;
  /** A complete RESP3 push message (`>`): never a command's reply. */
  push(value: RedisReply[]): void;
}

const CR = 13;
const LF = 10;
const T_SIMPLE = 43; // +
const T_ERROR = 45; // -
const T_INTEGER = 58; // :
const T_BULK = 36; // $
const T_ARRAY = 42; // *
const T_NULL = 95; // _
const T_DOUBLE = 44; // ,
const T_BOOLEAN = 35; // #
const T_BLOB_ERROR = 33; // !
const T_VERBATIM = 61; // =
const T_BIG_NUMBER = 40; // (
const T_MAP = 37; // %
const T_SET = 126; // ~
const T_ATTRIBUTE = 124; // |
const T_PUSH = 62; // >

/** 1 at every byte that starts a RESP2/RESP3 reply, 0 elsewhere. */
const REPLY_TYPES = new Uint8Array(256);
for (
  const type of [
    T_SIMPLE,
    T_ERROR,
    T_INTEGER,
    T_BULK,
    T_ARRAY,
    T_NULL,
    T_DOUBLE,
    T_BOOLEAN,
    T_BLOB_ERROR,
    T_VERBATIM,
    T_BIG_NUMBER,
    T_MAP,
    T_SET,
    T_ATTRIBUTE,
    T_PUSH,
  ]
) REPLY_TYPES[type] = 1;

/** The streaming decoder. One instance per connection. */
export class ReplyDecoder {
  #sink: ReplySink;
  #limits: Required<DecoderLimits>;
  #stack: Frame[] = [];
  /** An unfinished line (no CRLF yet): `#tailLength` bytes, in a buffer that grows ×2. */
  #tail: Uint8Array | undefined;
  #tailLength = 0;
  #bulk: PartialBulk | undefined;
  #bytes: BulkMode = TEXT;
  #failed = false;

  /**
   * @param sink Where replies and push messages go.
   * @param limits Bounds on lengths and nesting; exceeding one is a `ProtocolError`.
   */
  constructor(sink: ReplySink, limits: DecoderLimits = {}) {
    this.#sink = sink;
    this.#limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /** True while a reply has been started but not finished. */
  get busy(): boolean {
    return this.#tailLength > 0 || this.#bulk !== undefined || this.#stack.length > 0;
  }

  /** Forgets any partial reply (after the connection it served was replaced). */
  reset(): void {
    this.#stack = [];
    this.#tail = undefined;
    this.#tailLength = 0;
    this.#bulk = undefined;
    this.#failed = false;
  }

  /**
   * Decodes as much as `chunk` completes. Throws `ProtocolError` on malformed
   * input; the decoder is then unusable until `reset()`.
   */
  feed(chunk: Uint8Array): void {
    if (this.#failed) throw new ProtocolError("Cannot decode after a protocol error");
    try {
      this.#feed(chunk);
    } catch (error) {
      this.#failed = true;
      throw error;
    }
  }

  #feed(chunk: Uint8Array): void {
    let buf = chunk;
    let pos = 0;
    if (this.#bulk !== undefined) {
      pos = this.#fillBulk(chunk);
      if (pos < 0) return;
    }
    if (this.#tailLength > 0) {
      const tail = this.#tail!;
      const saved = this.#tailLength;
      // Still no line end in sight: append (amortized) instead of joining and rescanning.
      if (tail[saved - 1] !== CR && chunk.indexOf(CR, pos) < 0) {
        this.#keepTail(chunk, pos, chunk.length);
        return;
      }
      this.#tail = undefined;
      this.#tailLength = 0;
      buf = allocUnsafe(saved + chunk.length - pos);
      buf.set(tail.subarray(0, saved));
      buf.set(chunk.subarray(pos), saved);
      pos = 0;
    }
    const len = buf.length;
    const stack = this.#stack;
    while (pos < len) {
      const type = buf[pos];
      // Headers and small replies are a few bytes: a loop beats indexOf's call overhead.
      let cr = pos + 1;
      while (cr < len && buf[cr] !== CR) cr++;
      if (cr + 1 >= len) {
        // No line end yet. Only here, off the hot path, is the type byte checked
        // before its line ends: bytes that cannot be RESP (not Redis, or a lost
        // frame) fail now, not when a CR or maxLineLength bytes happen to arrive.
        if (REPLY_TYPES[type] === 0) throw unknownType(type);
        this.#keepTail(buf, pos, len);
        return;
      }
      if (buf[cr + 1] !== LF) throw new ProtocolError("Expected LF after CR in a reply header");
      if (cr - pos > this.#limits.maxLineLength) {
        throw new ProtocolError(`Received a line longer than ${this.#limits.maxLineLength} bytes`);
      }
      if (stack.length === 0) this.#bytes = type === T_PUSH ? TEXT : this.#sink.wantsBytes();
      let value: RedisReply;
      switch (type) {
        case T_SIMPLE:
          value = cr - pos === 3 && buf[pos + 1] === 79 && buf[pos + 2] === 75
            ? "OK"
            : text(buf, pos + 1, cr);
          pos = cr + 2;
          break;
        case T_INTEGER:
          value = integer(buf, pos + 1, cr);
          pos = cr + 2;
          break;
        case T_BULK:
        case T_VERBATIM:
        case T_BLOB_ERROR: {
          const n = this.#length(buf, pos + 1, cr, type);
          if (n < 0) {
            value = null;
            pos = cr + 2;
            break;
          }
          const start = cr + 2;
          const end = start + n;
          if (end + 2 > len) {
            this.#startBulk(type, n, buf, start);
            return;
          }
          if (buf[end] !== CR || buf[end + 1] !== LF) {
            throw new ProtocolError(`Expected CRLF after a bulk string of ${n} bytes`);
          }
          value = this.#bulkValue(type, buf, start, end, false);
          pos = end + 2;
          break;
        }
        case T_ARRAY:
        case T_MAP:
        case T_SET:
        case T_PUSH:
        case T_ATTRIBUTE: {
          const n = this.#length(buf, pos + 1, cr, type);
          pos = cr + 2;
          if (n < 0) {
            value = null;
            break;
          }
          const count = type === T_MAP || type === T_ATTRIBUTE ? n * 2 : n;
          if (count === 0) {
            if (type === T_ATTRIBUTE) continue;
            value = type === T_MAP ? new Map() : type === T_SET ? new Set() : [];
            if (type === T_PUSH && stack.length === 0) {
              this.#sink.push(value as RedisReply[]);
              continue;
            }
            break;
          }
          if (stack.length >= this.#limits.maxDepth) {
            throw new ProtocolError(`Received a reply nested deeper than ${this.#limits.maxDepth}`);
          }
          stack.push({ type, remaining: count, items: [] });
          continue;
        }
        case T_ERROR:
          value = new ReplyError(text(buf, pos + 1, cr));
          pos = cr + 2;
          break;
        default:
          // Null, boolean, double, big number, or no RESP type: off the hot path.
          value = rareLine(type, buf, pos, cr);
          pos = cr + 2;
      }
      this.#complete(value);
    }
  }

  /** Adds a finished value to the aggregate being filled, or hands it to the sink. */
  #complete(value: RedisReply): void {
    const stack = this.#stack;
    for (;;) {
      const top = stack[stack.length - 1];
      if (top === undefined) {
        this.#sink.reply(value);
        return;
      }
      top.items.push(value);
      if (--top.remaining > 0) return;
      stack.pop();
      const items = top.items;
      switch (top.type) {
        case T_ATTRIBUTE:
          return; // metadata about the next value: skipped
        case T_MAP: {
          const map = new Map<RedisReply, RedisReply>();
          for (let i = 0; i < items.length; i += 2) map.set(items[i], items[i + 1]);
          value = map;
          break;
        }
        case T_SET:
          value = new Set(items);
          break;
        case T_PUSH:
          if (stack.length === 0) {
            this.#sink.push(items);
            return;
          }
          value = items;
          break;
        default:
          value = items;
      }
    }
  }

  /** Keeps `buf[start, end)`, the start of a line, for the next chunk. */
  #keepTail(buf: Uint8Array, start: number, end: number): void {
    const length = this.#tailLength + end - start;
    if (length > this.#limits.maxLineLength) {
      throw new ProtocolError(
        `Received a line longer than ${this.#limits.maxLineLength} bytes without CRLF`,
      );
    }
    let tail = this.#tail;
    if (tail === undefined || tail.length < length) {
      const grown = allocUnsafe(
        Math.min(this.#limits.maxLineLength, Math.max(length, (tail?.length ?? 0) * 2)),
      );
      if (tail !== undefined) grown.set(tail.subarray(0, this.#tailLength));
      this.#tail = tail = grown;
    }
    tail.set(buf.subarray(start, end), this.#tailLength);
    this.#tailLength = length;
  }

  /** A bulk of `n` bytes starts at `buf[start]` and ends in a later chunk. */
  #startBulk(type: number, n: number, buf: Uint8Array, start: number): void {
    // Bytes, and what AUTO cannot tell yet, are gathered; a string is
    // gathered in the lent buffer, or decoded as it arrives when very large.
    const mode = this.#bytes;
    const asText = type === T_BULK &&
      (mode === TEXT || (mode === AUTO && start < buf.length && buf[start] !== 0));
    const assembly = !asText ? GATHER : n + 2 <= LEND_MAX ? LEND : STREAM;
    this.#bulk = new PartialBulk(type, n, assembly, buf, start);
  }

  /** Feeds the pending bulk; returns where the rest of the chunk starts, or -1. */
  #fillBulk(chunk: Uint8Array): number {
    const bulk = this.#bulk!;
    const pos = bulk.take(chunk, 0);
    if (pos < 0) return -1;
    this.#bulk = undefined;
    this.#complete(
      bulk.data === undefined
        ? bulk.text
        : this.#bulkValue(bulk.type, bulk.data, 0, bulk.length, true),
    );
    return pos;
  }

  /** Makes the value of a complete bulk; `owned` means `buf` is ours to keep. */
  #bulkValue(
    type: number,
    buf: Uint8Array,
    start: number,
    end: number,
    owned: boolean,
  ): RedisReply {
    if (type === T_BLOB_ERROR) return new ReplyError(text(buf, start, end));
    if (type === T_VERBATIM) {
      if (end - start < 4 || buf[start + 3] !== 58) {
        throw new ProtocolError("Received a verbatim string without a format prefix");
      }
      start += 4;
    }
    const mode = this.#bytes;
    if (mode === TEXT || (mode === AUTO && (start === end || buf[start] !== 0))) {
      return text(buf, start, end);
    }
    return owned ? buf.subarray(start, end) : copy(buf, start, end);
  }

  /** Parses a length header: -1 (null) or 0..limit. */
  #length(buf: Uint8Array, start: number, end: number, type: number): number {
    let i = start;
    if (buf[i] === T_ERROR && end - i === 2 && buf[i + 1] === 49) return -1; // "-1"
    if (i === end || end - i > 12) throw badLength(buf, start, end, type);
    let n = 0;
    for (; i < end; i++) {
      const d = buf[i] - 48;
      if (d < 0 || d > 9) throw badLength(buf, start, end, type);
      n = n * 10 + d;
    }
    const isBulk = type === T_BULK || type === T_VERBATIM || type === T_BLOB_ERROR;
    const limit = isBulk ? this.#limits.maxBulkLength : this.#limits.maxElements;
    if (n > limit) throw overLimit(isBulk, n, limit);
    return n;
  }
}
