/**
 * Private to the decoder: a bulk string whose payload spans chunks.
 *
 * - Wanted as bytes (`GATHER`), it is gathered into a buffer of its own that
 *   grows toward the declared size, and handed to the caller.
 * - Wanted as a string of up to {@linkcode LEND_MAX} bytes (`LEND`), it is
 *   gathered into one buffer that the process lends to one bulk at a time,
 *   then decoded once: the only fresh memory is the string itself. (Decoding
 *   each chunk as it arrives and joining the pieces makes the engine copy
 *   the whole string again when it is first read: measured slower.)
 * - Wanted as a larger string (`STREAM`), each chunk's part is decoded as it
 *   arrives and the pieces are joined, so no buffer of the whole value is
 *   ever allocated. A UTF-8 sequence split between chunks is carried over (at
 *   most 4 bytes), and every piece starts and ends where a decoder of the
 *   whole value would be between characters, so the string is exactly what
 *   decoding the whole payload at once gives, invalid bytes included.
 *
 * @module
 */

import { ProtocolError } from "../errors.ts";
import { allocUnsafe, allocUnsafeText } from "../util/alloc.ts";
import { utf8 } from "./_decode_text.ts";

const CR = 13;
const LF = 10;

/** Most a bulk header reserves before its payload arrives (values up to this size are copied once). */
const BULK_RESERVE = 16 * 1024 * 1024;

/** The largest string (payload and CRLF) gathered in the lent buffer; larger ones stream. */
export const LEND_MAX = 8 * 1024 * 1024;

/** Bytes: gathered into a buffer of their own. */
export const GATHER = 0;
/** A string gathered into the lent buffer and decoded once. */
export const LEND = 1;
/** A string decoded chunk by chunk. */
export const STREAM = 2;
/** How a bulk that spans chunks is assembled. */
export type BulkAssembly = typeof GATHER | typeof LEND | typeof STREAM;

/** The buffer lent to text bulks: kept between them, at most `LEND_MAX` bytes. */
let spare: Uint8Array | undefined;

/** Takes the lent buffer if it is free and big enough, else a new one. */
function borrow(size: number): Uint8Array {
  const buffer = spare;
  spare = undefined;
  return buffer !== undefined && buffer.length >= size ? buffer : allocUnsafeText(size);
}

/** Returns a borrowed buffer; the larger of two is kept. */
function giveBack(buffer: Uint8Array): void {
  if (spare === undefined || spare.length < buffer.length) spare = buffer;
}

/** A bulk (`$`, `=`, `!`) whose payload and CRLF are still arriving. */
export class PartialBulk {
  /** The reply type byte. */
  readonly type: number;
  /** The declared payload length. */
  readonly length: number;
  /**
   * `GATHER`: the payload and its CRLF as gathered so far. `undefined` for
   * a string, which ends up in `text`.
   */
  data: Uint8Array | undefined;
  /** A string: the payload decoded so far (`STREAM`), or all of it once complete. */
  text = "";
  /** `LEND`: the borrowed buffer the payload is gathered in. */
  #lent: Uint8Array | undefined;
  /** Payload and CRLF bytes taken so far. */
  #filled = 0;
  /** Text mode: the start of a UTF-8 sequence that the next chunk finishes. */
  #carry: Uint8Array | undefined;
  #carryLength = 0;

  /**
   * Starts with `buf[start..]`, which holds less than the payload and CRLF.
   * A string (`LEND` or `STREAM`) is decoded as UTF-8.
   */
  constructor(
    type: number,
    length: number,
    assembly: BulkAssembly,
    buf: Uint8Array,
    start: number,
  ) {
    this.type = type;
    this.length = length;
    if (assembly === GATHER) {
      const have = buf.length - start;
      // Every byte is written (payload and CRLF) before it is read or handed out.
      this.data = allocUnsafe(Math.min(length + 2, Math.max(have, BULK_RESERVE)));
    } else if (assembly === LEND) {
      this.#lent = borrow(length + 2);
    }
    this.take(buf, start);
  }

  /**
   * Takes what `chunk[from..]` holds of the payload and CRLF. Returns where
   * the rest of the chunk starts once the bulk is complete, or -1 when the
   * whole chunk was taken and more is needed.
   */
  take(chunk: Uint8Array, from: number): number {
    if (this.data !== undefined) return this.#gather(chunk, from, this.data);
    const lent = this.#lent;
    if (lent === undefined) return this.#decode(chunk, from);
    const pos = this.#gather(chunk, from, lent);
    if (pos >= 0) {
      this.#lent = undefined;
      try {
        this.text = utf8(lent, 0, this.length);
      } finally {
        giveBack(lent);
      }
    }
    return pos;
  }

  /** Copies from `chunk[from..]` into `data`; returns as `take()` does. */
  #gather(chunk: Uint8Array, from: number, data: Uint8Array): number {
    const size = this.length + 2;
    const need = size - this.#filled;
    const take = Math.min(need, chunk.length - from);
    if (this.#filled + take > data.length) {
      // Only `this.data` is ever short (a lent buffer fits the whole bulk).
      // Grow ×2 toward the declared size: memory follows the bytes that arrived.
      const grown = allocUnsafe(Math.min(size, Math.max(data.length * 2, this.#filled + take)));
      grown.set(data.subarray(0, this.#filled));
      this.data = data = grown;
    }
    data.set(
      from === 0 && take === chunk.length ? chunk : chunk.subarray(from, from + take),
      this.#filled,
    );
    this.#filled += take;
    if (take < need) return -1;
    if (data[size - 2] !== CR || data[size - 1] !== LF) throw this.#noCrlf();
    return from + take;
  }

  #decode(chunk: Uint8Array, from: number): number {
    const length = this.length;
    const len = chunk.length;
    let pos = from;
    if (this.#filled < length) {
      const end = Math.min(len, pos + length - this.#filled);
      this.#filled += end - pos;
      this.#append(chunk, pos, end, this.#filled === length);
      pos = end;
    }
    for (; pos < len && this.#filled < length + 2; pos++, this.#filled++) {
      if (chunk[pos] !== (this.#filled === length ? CR : LF)) throw this.#noCrlf();
    }
    return this.#filled === length + 2 ? pos : -1;
  }

  /** Decodes `chunk[start, end)` of the payload; `last` when it ends the payload. */
  #append(chunk: Uint8Array, start: number, end: number, last: boolean): void {
    let from = start;
    if (this.#carryLength > 0) {
      // Finish the carried sequence with the continuation bytes that follow
      // (three at most: after the lead and three of them, a decoder is
      // always between characters).
      const carry = this.#carry!;
      let n = this.#carryLength;
      while (from < end && n < 4 && (chunk[from] & 0xc0) === 0x80) carry[n++] = chunk[from++];
      this.#carryLength = n;
      if (from === end && n < 4 && !last) return;
      this.text += utf8(carry, 0, n);
      this.#carryLength = 0;
    }
    let cut = end;
    if (!last) {
      // The last byte that is not a continuation byte, if within 3 of the end:
      // a lead byte whose sequence does not fit is carried to the next chunk.
      for (let i = end - 1; i >= from && i >= end - 3; i--) {
        const b = chunk[i];
        if ((b & 0xc0) === 0x80) continue;
        if (b >= 0xc0 && end - i < (b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4)) cut = i;
        break;
      }
    }
    if (cut > from) this.text += utf8(chunk, from, cut);
    if (cut < end) {
      const carry = this.#carry ??= new Uint8Array(4);
      for (let i = cut; i < end; i++) carry[i - cut] = chunk[i];
      this.#carryLength = end - cut;
    }
  }

  #noCrlf(): ProtocolError {
    return new ProtocolError(`Expected CRLF after a bulk string of ${this.length} bytes`);
  }
}
