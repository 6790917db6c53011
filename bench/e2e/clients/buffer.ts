/**
 * The npm clients want Node Buffers for binary values; this wraps bytes without copying.
 *
 * @module
 */
import { Buffer } from "node:buffer";

/** A string as it is, bytes as a Buffer view over the same memory. */
export function toNodeValue(value: string | Uint8Array): string | Buffer {
  return typeof value === "string"
    ? value
    : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}
