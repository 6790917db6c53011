/**
 * Private to the decoder: turning reply bytes into strings (UTF-8 with a
 * short-ASCII fast path, Latin-1 for numbers) and copying a bulk out of a
 * chunk the caller may reuse.
 *
 * @module
 */

import { allocUnsafe } from "../util/alloc.ts";

// ignoreBOM: a stored value that starts with U+FEFF must come back unchanged.
const textDecoder = /* @__PURE__ */ new TextDecoder("utf-8", { ignoreBOM: true });

/** A Node-style `Buffer` (what Bun's sockets and `Bun.allocUnsafe` hand over). */
interface Utf8Sliceable extends Uint8Array {
  utf8Slice?(start: number, end: number): string;
}

/**
 * Decodes UTF-8, with a cheaper path for the short ASCII strings that
 * dominate replies: a loop up to 16 bytes. On a Node-style `Buffer` (Bun's
 * socket chunks), `Buffer#utf8Slice` beats the loop from about 10 bytes and
 * `TextDecoder` at every size (no `subarray` view; the same result, BOM kept
 * and invalid bytes replaced alike), so the loop stops at 8 bytes there.
 */
export function text(buf: Utf8Sliceable, start: number, end: number): string {
  if (end - start <= (buf.utf8Slice === undefined ? 16 : 8)) {
    let s = "";
    for (let i = start; i < end; i++) {
      const c = buf[i];
      if (c > 127) return utf8(buf, start, end);
      s += String.fromCharCode(c);
    }
    return s;
  }
  return utf8(buf, start, end);
}

/** Decodes `buf[start, end)` as UTF-8 (invalid bytes replaced, a BOM kept). */
export function utf8(buf: Utf8Sliceable, start: number, end: number): string {
  return buf.utf8Slice !== undefined
    ? buf.utf8Slice(start, end)
    : textDecoder.decode(buf.subarray(start, end));
}

/**
 * Copies bytes out of a chunk into a plain `Uint8Array`. (`slice` would not do:
 * on a Node-style `Buffer`, which Bun hands over, it returns a view.)
 */
export function copy(buf: Uint8Array, start: number, end: number): Uint8Array {
  const out = allocUnsafe(end - start);
  out.set(buf.subarray(start, end));
  return out;
}

export function latin1(buf: Uint8Array, start: number, end: number): string {
  let s = "";
  for (let i = start; i < end; i++) s += String.fromCharCode(buf[i]);
  return s;
}
