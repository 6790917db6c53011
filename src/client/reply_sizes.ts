/**
 * The size on the wire of each reply, for the command hooks' `bytesIn`: a
 * scan of the RESP framing alone (headers read, bulk payloads skipped by their
 * length) that runs over each chunk just before the decoder does, so the
 * decoder itself does no counting for connections without hooks.
 *
 * @module
 */

import { Deque } from "../util/deque.ts";

const LF = 10;
const MINUS = 45;
const BULK = 36; // $
const VERBATIM = 61; // =
const BLOB_ERROR = 33; // !
const ARRAY = 42; // *
const MAP = 37; // %
const SET = 126; // ~
const PUSH = 62; // >
const ATTRIBUTE = 124; // |

/** An aggregate being read: its type, and the elements still to come. */
interface Open {
  type: number;
  remaining: number;
}

/**
 * Splits a RESP stream into top-level replies and push messages, as the
 * decoder does, and queues each one's size in bytes (an attribute counts with
 * the value that follows it). `take()` returns them in order.
 */
export class ReplySizes {
  #sizes = new Deque<number>();
  #open: Open[] = [];
  /** Bytes of the value being read so far. */
  #size = 0;
  /** Payload and CRLF bytes of a bulk still to skip. */
  #skip = 0;
  /** Inside a header line: its type, and the number it carries so far. */
  #inLine = false;
  #type = 0;
  #number = 0;
  #negative = false;

  /** The size of the next reply or push message, in the order they complete; 0 if unknown. */
  take(): number {
    return this.#sizes.shift() ?? 0;
  }

  /** Reads the framing of `chunk`, the next bytes of the stream. */
  scan(chunk: Uint8Array): void {
    const length = chunk.length;
    let pos = 0;
    while (pos < length) {
      if (this.#skip > 0) {
        const step = Math.min(this.#skip, length - pos);
        this.#skip -= step;
        this.#size += step;
        pos += step;
        if (this.#skip === 0) this.#valueDone(false);
        continue;
      }
      if (!this.#inLine) {
        this.#inLine = true;
        this.#type = chunk[pos];
        this.#number = 0;
        this.#negative = false;
        pos++;
        this.#size++;
      }
      const lf = chunk.indexOf(LF, pos);
      const end = lf < 0 ? length : lf + 1;
      for (let i = pos; i < end; i++) {
        const digit = chunk[i] - 48;
        if (digit >= 0 && digit <= 9) this.#number = this.#number * 10 + digit;
        else if (chunk[i] === MINUS) this.#negative = true;
      }
      this.#size += end - pos;
      pos = end;
      if (lf < 0) return;
      this.#inLine = false;
      this.#headerDone();
    }
  }

  /** A header line ended: a scalar is done, a bulk's payload follows, or an aggregate opens. */
  #headerDone(): void {
    const type = this.#type;
    const n = this.#negative ? -1 : this.#number;
    if (type === BULK || type === VERBATIM || type === BLOB_ERROR) {
      if (n < 0) this.#valueDone(false);
      else this.#skip = n + 2;
    } else if (
      type === ARRAY || type === MAP || type === SET || type === PUSH || type === ATTRIBUTE
    ) {
      const count = type === MAP || type === ATTRIBUTE ? n * 2 : n;
      if (count > 0) this.#open.push({ type, remaining: count });
      else if (type !== ATTRIBUTE) this.#valueDone(false);
    } else {
      this.#valueDone(false);
    }
  }

  /** A value is complete: it fills its aggregate, or it is a whole reply (unless an attribute). */
  #valueDone(attribute: boolean): void {
    const open = this.#open;
    for (;;) {
      const top = open[open.length - 1];
      if (top === undefined) {
        if (!attribute) {
          this.#sizes.push(this.#size);
          this.#size = 0;
        }
        return;
      }
      if (attribute) return; // metadata: not an element of the aggregate around it
      if (--top.remaining > 0) return;
      open.pop();
      attribute = top.type === ATTRIBUTE;
    }
  }
}
