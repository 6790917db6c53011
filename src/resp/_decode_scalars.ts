/**
 * Private to the decoder: parsing the lines of number replies (integers,
 * big numbers, doubles) and of the rarer one-line types, each checked and
 * failing with a `ProtocolError`.
 *
 * @module
 */

import { ProtocolError } from "../errors.ts";
import type { RedisReply } from "./types.ts";
import { latin1 } from "./_decode_text.ts";
import { unknownType } from "./_decode_errors.ts";

/**
 * The value of a one-line reply of a rarer type: null (`_`), boolean (`#`),
 * double (`,`) or big number (`(`). `buf[pos]` is the type byte and
 * `buf[cr]` the CR ending its line. Any other byte is no RESP type.
 */
export function rareLine(type: number, buf: Uint8Array, pos: number, cr: number): RedisReply {
  switch (type) {
    case 95: // _
      if (cr !== pos + 1) throw new ProtocolError("Received a null with a payload");
      return null;
    case 35: { // #
      const b = buf[pos + 1];
      if (cr !== pos + 2 || (b !== 116 && b !== 102)) {
        throw new ProtocolError("Received a boolean that is neither #t nor #f");
      }
      return b === 116;
    }
    case 44: // ,
      return double(buf, pos + 1, cr);
    case 40: // (
      return bigNumber(buf, pos + 1, cr);
    default:
      throw unknownType(type);
  }
}

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
