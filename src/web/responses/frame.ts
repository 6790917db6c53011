/**
 * The stored form of a cached response: ONE binary value holding the status,
 * the headers, the times and the body, so that a hit is one read and a
 * decode costs a few slices (no JSON, no base64).
 *
 * Layout (numbers big-endian):
 *
 * | bytes | field |
 * |---|---|
 * | 2 | magic `52 43` ("RC") |
 * | 1 | format version, 1 |
 * | 1 | kind: 1 a response, 2 a Vary pointer |
 * | 8 | stored at, epoch ms (float64) |
 * | 8 | fresh for, ms (float64; `Infinity` allowed) |
 * | 8 | stale for, ms (float64) |
 * | 2 | status |
 * | 4 | length of the header block |
 * | n | header block: UTF-8 of `name\0value\0name\0value…` (no trailing NUL) |
 * | rest | body |
 *
 * Header names and values can hold neither NUL nor a line break (the
 * `Headers` class refuses them), so NUL separates them safely. A Vary
 * pointer uses the header block for the lowercased names of the varied
 * request headers and has no body.
 *
 * @module
 */

const MAGIC_0 = 0x52;
const MAGIC_1 = 0x43;
const VERSION = 1;
const KIND_RESPONSE = 1;
const KIND_VARY = 2;
const HEAD = 34;
const EMPTY = /* @__PURE__ */ new Uint8Array(0);

const encoder = /* @__PURE__ */ new TextEncoder();
const decoder = /* @__PURE__ */ new TextDecoder("utf-8", { fatal: true });

/** A response as stored. */
export interface StoredResponse {
  /** Always `"response"`. */
  readonly kind: "response";
  /** When the response was generated (epoch ms; the origin's `Age` already taken off). */
  readonly storedAt: number;
  /** How long after `storedAt` the response is fresh (ms). */
  readonly freshFor: number;
  /** How long after turning stale it may still be served while a refresh runs (ms). */
  readonly staleFor: number;
  /** The HTTP status. */
  readonly status: number;
  /** Header names and values, alternating. */
  readonly headers: readonly string[];
  /** The whole body. */
  readonly body: Uint8Array;
}

/** What a key holds when the response varies on request headers: where to look next. */
export interface VaryPointer {
  /** Always `"vary"`. */
  readonly kind: "vary";
  /** Lowercased names of the request headers the response varies on, sorted. */
  readonly names: readonly string[];
}

/** A decoded frame. */
export type Frame = StoredResponse | VaryPointer;

/**
 * Encodes a response or a Vary pointer.
 *
 * @param frame What to store.
 * @returns The bytes to store.
 */
export function encodeFrame(frame: Frame): Uint8Array {
  const fields = frame.kind === "response" ? frame.headers : frame.names;
  const block = encoder.encode(fields.join("\0"));
  const body = frame.kind === "response" ? frame.body : EMPTY;
  const out = new Uint8Array(HEAD + block.length + body.length);
  const view = new DataView(out.buffer);
  out[0] = MAGIC_0;
  out[1] = MAGIC_1;
  out[2] = VERSION;
  if (frame.kind === "response") {
    out[3] = KIND_RESPONSE;
    view.setFloat64(4, frame.storedAt);
    view.setFloat64(12, frame.freshFor);
    view.setFloat64(20, frame.staleFor);
    view.setUint16(28, frame.status);
  } else {
    out[3] = KIND_VARY;
  }
  view.setUint32(30, block.length);
  out.set(block, HEAD);
  out.set(body, HEAD + block.length);
  return out;
}

/**
 * Decodes a frame; `undefined` for bytes that are not one (a damaged or
 * foreign value is a miss, never an error).
 *
 * @param bytes The stored bytes.
 * @returns The frame, or `undefined`.
 */
export function decodeFrame(bytes: Uint8Array): Frame | undefined {
  if (
    bytes.length < HEAD || bytes[0] !== MAGIC_0 || bytes[1] !== MAGIC_1 || bytes[2] !== VERSION
  ) {
    return undefined;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const blockLength = view.getUint32(30);
  const bodyAt = HEAD + blockLength;
  if (bodyAt > bytes.length) return undefined;
  let text: string;
  try {
    text = decoder.decode(bytes.subarray(HEAD, bodyAt));
  } catch {
    return undefined;
  }
  const fields = text === "" ? [] : text.split("\0");
  const kind = bytes[3];
  if (kind === KIND_VARY) {
    return bodyAt === bytes.length ? { kind: "vary", names: fields } : undefined;
  }
  if (kind !== KIND_RESPONSE || fields.length % 2 !== 0) return undefined;
  const storedAt = view.getFloat64(4);
  const freshFor = view.getFloat64(12);
  const staleFor = view.getFloat64(20);
  const status = view.getUint16(28);
  if (
    !Number.isFinite(storedAt) || !(freshFor >= 0) || !(staleFor >= 0) || status < 200 ||
    status > 599
  ) {
    return undefined;
  }
  return {
    kind: "response",
    storedAt,
    freshFor,
    staleFor,
    status,
    headers: fields,
    body: bytes.subarray(bodyAt),
  };
}
