/**
 * The command encoder: RESP arrays of bulk strings, written straight into a
 * reusable buffer so that a tick's worth of commands leaves in one write.
 *
 * @module
 */

import type { Command } from "./types.ts";

const utf8 = /* @__PURE__ */ new TextEncoder();
const INITIAL_SIZE = 16 * 1024;
/** Buffers grown past this are dropped after a flush rather than kept. */
const KEEP_SIZE = 1024 * 1024;
/** Redis refuses bulks over 512 MiB and closes the connection: refuse them first. */
export const MAX_ARG_BYTES = 512 * 1024 * 1024;

/** Number of decimal digits of a non-negative integer. */
function digits(n: number): number {
  let d = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    d++;
  }
  return d;
}

/**
 * Appends encoded commands to an internal buffer. `take()` hands the bytes
 * written so far to the caller and switches to a second buffer, so the first
 * can be written to a socket while new commands accumulate.
 */
export class CommandEncoder {
  #buf = new Uint8Array(INITIAL_SIZE);
  #spare = new Uint8Array(INITIAL_SIZE);
  #pos = 0;
  /** Bytes taken or dropped so far. */
  #done = 0;

  /** Bytes waiting to be taken. */
  get length(): number {
    return this.#pos;
  }

  /** Bytes encoded since the encoder was made (taken, dropped or waiting). */
  get encoded(): number {
    return this.#done + this.#pos;
  }

  /**
   * Encodes one command. On a bad argument nothing is appended and a
   * `TypeError` or `RangeError` names the argument.
   */
  encode(command: Command): void {
    const start = this.#pos;
    try {
      this.#header(42, command.length); // '*'
      for (let i = 0; i < command.length; i++) this.#arg(command[i], i, command);
    } catch (error) {
      this.#pos = start;
      throw error;
    }
  }

  /**
   * Returns the bytes encoded since the last call. The view stays valid until
   * the call after next, which reuses its memory.
   */
  take(): Uint8Array {
    const used = this.#buf;
    const out = used.subarray(0, this.#pos);
    this.#buf = this.#spare;
    this.#spare = used.length > KEEP_SIZE ? new Uint8Array(INITIAL_SIZE) : used;
    this.#done += this.#pos;
    this.#pos = 0;
    return out;
  }

  /** Drops anything encoded but not taken. */
  reset(): void {
    this.#done += this.#pos;
    this.#pos = 0;
  }

  #reserve(extra: number): void {
    const need = this.#pos + extra;
    if (need <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#buf.subarray(0, this.#pos));
    this.#buf = next;
  }

  /** Writes `<type><n>\r\n`. */
  #header(type: number, n: number): void {
    this.#reserve(16);
    const buf = this.#buf;
    let p = this.#pos;
    buf[p++] = type;
    if (n < 10) {
      buf[p++] = 48 + n;
    } else {
      const end = p + digits(n);
      for (let q = end - 1; q >= p; q--) {
        buf[q] = 48 + (n % 10);
        n = Math.floor(n / 10);
      }
      p = end;
    }
    buf[p++] = 13;
    buf[p++] = 10;
    this.#pos = p;
  }

  #arg(arg: unknown, index: number, command: Command): void {
    if (typeof arg === "string") return this.#string(arg);
    if (arg instanceof Uint8Array) {
      if (arg.length > MAX_ARG_BYTES) throw tooLarge(index, command);
      this.#header(36, arg.length);
      this.#reserve(arg.length + 2);
      this.#buf.set(arg, this.#pos);
      this.#pos += arg.length;
      this.#crlf();
      return;
    }
    if (typeof arg === "number") {
      if (!Number.isFinite(arg)) {
        if (Number.isNaN(arg)) throw badArg(index, command, "NaN");
        return this.#string(arg > 0 ? "+inf" : "-inf");
      }
      return this.#string(String(arg));
    }
    if (typeof arg === "bigint") return this.#string(arg.toString());
    throw badArg(index, command, arg === null ? "null" : typeof arg);
  }

  #string(s: string): void {
    const n = s.length;
    if (n <= 16) {
      // Short keys are mostly ASCII: a JS loop beats a call into encodeInto.
      const mark = this.#pos;
      this.#header(36, n);
      this.#reserve(n + 2);
      const buf = this.#buf;
      let p = this.#pos;
      let ascii = true;
      for (let i = 0; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c > 127) {
          ascii = false;
          break;
        }
        buf[p++] = c;
      }
      if (ascii) {
        this.#pos = p;
        this.#crlf();
        return;
      }
      this.#pos = mark;
    }
    this.#utf8(s);
  }

  /** Any string: encoded in place after a header sized for the worst case. */
  #utf8(s: string): void {
    const max = s.length * 3;
    const reserved = digits(max);
    this.#reserve(reserved + 21 + max); // header() reserves 16 itself
    const buf = this.#buf;
    const headerAt = this.#pos;
    const payloadAt = headerAt + 1 + reserved + 2;
    const { written } = utf8.encodeInto(s, buf.subarray(payloadAt));
    if (written > MAX_ARG_BYTES) {
      throw new RangeError(
        `Cannot send a string of ${written} bytes: the limit is ${MAX_ARG_BYTES}`,
      );
    }
    const actual = digits(written);
    if (actual < reserved) {
      buf.copyWithin(payloadAt - (reserved - actual), payloadAt, payloadAt + written);
    }
    this.#header(36, written);
    this.#pos += written;
    this.#crlf();
  }

  #crlf(): void {
    this.#buf[this.#pos++] = 13;
    this.#buf[this.#pos++] = 10;
  }
}

/** The upper-case name of a command, for routing and for messages ("command" when not text). */
export function commandName(command: Command): string {
  const name = command[0];
  return typeof name === "string" ? name.slice(0, 32).toUpperCase() : "command";
}

function badArg(index: number, command: Command, got: string): TypeError {
  return new TypeError(
    `Cannot send argument ${index} of ${
      commandName(command)
    }: expected a string, number, bigint or Uint8Array, got ${got}`,
  );
}

function tooLarge(index: number, command: Command): RangeError {
  return new RangeError(
    `Cannot send argument ${index} of ${
      commandName(command)
    }: it is larger than ${MAX_ARG_BYTES} bytes`,
  );
}

/** Encodes one command into a fresh `Uint8Array` (for tests and one-off writes). */
export function encodeCommand(command: Command): Uint8Array {
  const encoder = new CommandEncoder();
  encoder.encode(command);
  return encoder.take().slice();
}
