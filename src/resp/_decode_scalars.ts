/**
 * Private to the decoder: parsing the lines of number replies (integers,
 * big numbers, doubles), each checked and failing with a `ProtocolError`.
 *
 * @module
 */

import { ProtocolError } from "../errors.ts";
import { latin1 } from "./_decode_text.ts";

/** Parses an integer reply's line (`:`): a number, or a bigint beyond 2^53. */
export function integer(buf: Uint8Array, start: number, end: number): number | bigint {
  let i = start;
  let negative = false;
  if (buf[i] === 45 || buf[i] === 43) {
    negative = buf[i] === 45;
    i++;
  }
  if (i === end) throw new ProtocolError("Received an empty integer");
  if (end - i < 16) {
    let n = 0;
    for (; i < end; i++) {
      const d = buf[i] - 48;
      if (d < 0 || d > 9) {
        throw new ProtocolError(`Received an invalid integer "${latin1(buf, start, end)}"`);
      }
      n = n * 10 + d;
    }
    return negative ? -n : n;
  }
  const big = bigNumber(buf, start, end);
  return big >= -9007199254740991n && big <= 9007199254740991n ? Number(big) : big;
}

/** Parses a big number's line (`(`). */
export function bigNumber(buf: Uint8Array, start: number, end: number): bigint {
  const s = latin1(buf, start, end);
  if (!/^[-+]?\d+$/.test(s)) {
    throw new ProtocolError(`Received an invalid number "${s.slice(0, 40)}"`);
  }
  return BigInt(s);
}

/** Parses a double's line (`,`), `inf`, `-inf` and `nan` included. */
export function double(buf: Uint8Array, start: number, end: number): number {
  const s = latin1(buf, start, end);
  switch (s.toLowerCase()) {
    case "inf":
    case "+inf":
      return Infinity;
    case "-inf":
      return -Infinity;
    case "nan":
    case "-nan":
      return NaN;
  }
  const n = s.trim() === s && s !== "" ? Number(s) : NaN;
  if (Number.isNaN(n)) throw new ProtocolError(`Received an invalid double "${s.slice(0, 40)}"`);
  return n;
}
