/**
 * Private to the decoder: its default limits, and the `ProtocolError`s it
 * builds for bytes that cannot be RESP (an unknown type byte, a malformed
 * length, a length over a limit).
 *
 * @module
 */

import { ProtocolError } from "../errors.ts";
import type { DecoderLimits } from "./types.ts";
import { latin1 } from "./_decode_text.ts";

/** The bounds a decoder applies when its `limits` leave one out. */
export const DEFAULT_LIMITS: Required<DecoderLimits> = {
  maxBulkLength: 512 * 1024 * 1024,
  maxElements: 16 * 1024 * 1024,
  maxDepth: 64,
  maxLineLength: 1024 * 1024,
};

function describeByte(byte: number): string {
  return byte >= 32 && byte < 127
    ? `'${String.fromCharCode(byte)}'`
    : `0x${byte.toString(16).padStart(2, "0")}`;
}

/** The error for a byte that starts no RESP reply. */
export function unknownType(byte: number): ProtocolError {
  return new ProtocolError(`Received an unknown reply type byte ${describeByte(byte)}`);
}

/** The error for a length header that is not -1 or a plain number. */
export function badLength(
  buf: Uint8Array,
  start: number,
  end: number,
  type: number,
): ProtocolError {
  const shown = latin1(buf, start, Math.min(end, start + 20));
  return new ProtocolError(
    `Received an invalid length "${shown}" after type byte ${describeByte(type)}`,
  );
}

/** The error for a declared length over `maxBulkLength` or `maxElements`. */
export function overLimit(isBulk: boolean, n: number, limit: number): ProtocolError {
  return new ProtocolError(
    `Received a ${
      isBulk ? "bulk string" : "aggregate"
    } of declared length ${n}, over the limit of ${limit}`,
  );
}
