/**
 * The format of cached values in Redis.
 *
 * - A safe integer is plain decimal text (`"42"`), whatever the serializer
 *   (except `raw`), so that INCR works on it and other clients can read it.
 * - Anything else is the serializer's output, as it is.
 * - A compressed value is `00 C3 <id> <compressed bytes>`, where `id` names
 *   the compressor (1 gzip, 2 zlib, 3 deflate, 16–255 custom).
 * - An uncompressed payload that could be mistaken for a header or for an
 *   integer (one starting with a NUL byte, or, for a serializer other than
 *   `raw`, integer text that is not an integer value) gets the header `00 C3 00`.
 *
 * Text never starts with NUL, so a header is always found on bytes, and a
 * store that reads values as text returns exactly those values as bytes.
 *
 * @module
 */

import { SerializationError } from "../errors.ts";
import type { Compressor } from "./compressors/compressor.ts";
import { builtinDecompressor, type Decompressor } from "./compressors/builtins.ts";
import { quoteKey } from "./keys.ts";
import { rawSerializer } from "./serializers/raw.ts";
import type { Serializer } from "./serializers/serializer.ts";

/** Options of `encodeValue`. */
export interface EncodeValueOptions {
  /** Turns the value into text or bytes. */
  serializer: Serializer;
  /** Compresses payloads of at least `compressMinBytes`, when set. */
  compressor?: Compressor;
  /** Smallest payload, in bytes, worth compressing. */
  compressMinBytes: number;
  /** The key, for error messages only. */
  key: string;
}

/** Options of `decodeValue`. */
export interface DecodeValueOptions {
  /** Turns stored text or bytes back into a value. */
  serializer: Serializer;
  /** The configured compressor; built-in ones are always readable. */
  compressor?: Compressor;
  /** The key, for error messages only. */
  key: string;
}

const MAGIC_0 = 0x00;
const MAGIC_1 = 0xc3;
const HEADER_BYTES = 3;
const UNCOMPRESSED = 0;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;

const utf8Encoder = /* @__PURE__ */ new TextEncoder();
const utf8Decoder = /* @__PURE__ */ new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** A safe integer from `-?\d{1,16}` text, read one char code at a time; else undefined. */
function integerFrom(length: number, codeAt: (i: number) => number): number | undefined {
  const start = codeAt(0) === MINUS ? 1 : 0;
  if (length === start || length - start > 16) return undefined;
  let value = 0;
  for (let i = start; i < length; i++) {
    const code = codeAt(i);
    if (code < ZERO || code > NINE) return undefined;
    value = value * 10 + (code - ZERO);
  }
  if (!Number.isSafeInteger(value)) return undefined;
  return start === 1 && value !== 0 ? -value : value;
}

function integerText(text: string): number | undefined {
  return integerFrom(text.length, (i) => text.charCodeAt(i));
}

function integerBytes(bytes: Uint8Array): number | undefined {
  return integerFrom(bytes.length, (i) => bytes[i]);
}

function mayBeInteger(code: number): boolean {
  return code === MINUS || (code >= ZERO && code <= NINE);
}

function withHeader(id: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + body.length);
  out[0] = MAGIC_0;
  out[1] = MAGIC_1;
  out[2] = id;
  out.set(body, HEADER_BYTES);
  return out;
}

/** The reason in an error, without the value: our own message, else the error's class. */
function reason(error: unknown, who: string): string {
  if (error instanceof SerializationError) {
    const text = error.message;
    // "Invalid JSON" becomes "invalid JSON"; "MessagePack …" and "JSON …" stay.
    return /^[A-Z][a-z]*(?![A-Za-z])/.test(text) ? text[0].toLowerCase() + text.slice(1) : text;
  }
  const name = error instanceof Error ? error.name : typeof error;
  return `${who} threw ${/^[AEIOU]/.test(name) ? "an" : "a"} ${name}`;
}

function kindOf(value: unknown): string {
  return value === null ? "null" : typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** Serializes with the error naming the key, and checks the output's type. */
function serialize(value: unknown, serializer: Serializer, key: string): string | Uint8Array {
  let payload: unknown;
  try {
    payload = serializer.serialize(value);
  } catch (error) {
    const why = reason(error, `the ${JSON.stringify(serializer.name)} serializer`);
    throw new SerializationError(`Cannot serialize the value of ${quoteKey(key)}: ${why}`, {
      cause: error,
    });
  }
  if (typeof payload === "string" || payload instanceof Uint8Array) return payload;
  throw new SerializationError(
    `Cannot serialize the value of ${quoteKey(key)}: the ${
      JSON.stringify(serializer.name)
    } serializer returned ${kindOf(payload)}, not a string or Uint8Array`,
  );
}

/** The framed compressed value, or undefined when compression does not pay. */
function compress(
  payload: string | Uint8Array,
  compressor: Compressor,
  compressMinBytes: number,
  key: string,
): Uint8Array | undefined {
  // A string of n UTF-16 units takes at most 3n UTF-8 bytes.
  if (typeof payload === "string" && payload.length * 3 < compressMinBytes) return undefined;
  const bytes = typeof payload === "string" ? utf8Encoder.encode(payload) : payload;
  if (bytes.length < compressMinBytes) return undefined;
  let compressed: unknown;
  try {
    compressed = compressor.compress(bytes);
  } catch (error) {
    const name = JSON.stringify(compressor.name);
    throw new SerializationError(
      `Cannot compress the value of ${quoteKey(key)} with ${name}: ${
        reason(error, "the compressor")
      }`,
      { cause: error },
    );
  }
  if (!(compressed instanceof Uint8Array)) {
    throw new SerializationError(
      `Cannot compress the value of ${quoteKey(key)}: the ${
        JSON.stringify(compressor.name)
      } compressor returned ${kindOf(compressed)}, not a Uint8Array`,
    );
  }
  if (compressed.length + HEADER_BYTES >= bytes.length) return undefined;
  return withHeader(compressor.id, compressed);
}

/** The uncompressed payload, escaped when it could pass for a header or an integer. */
function frame(payload: string | Uint8Array, serializer: Serializer): string | Uint8Array {
  const first = typeof payload === "string" ? payload.charCodeAt(0) : payload[0];
  if (first === MAGIC_0) {
    return withHeader(
      UNCOMPRESSED,
      typeof payload === "string" ? utf8Encoder.encode(payload) : payload,
    );
  }
  if (serializer === rawSerializer || !mayBeInteger(first)) return payload;
  if (typeof payload === "string") {
    return integerText(payload) === undefined
      ? payload
      : withHeader(UNCOMPRESSED, utf8Encoder.encode(payload));
  }
  return integerBytes(payload) === undefined ? payload : withHeader(UNCOMPRESSED, payload);
}

/**
 * Turns a value into what is stored in Redis.
 *
 * @param value The value to cache.
 * @param options The serializer, the optional compressor and its threshold,
 *   and the key (for error messages).
 * @returns Text (integers, uncompressed text payloads) or bytes.
 * @throws {SerializationError} When the value cannot be serialized or
 *   compressed; the message names the key, never the value.
 * @example
 * ```ts
 * import { jsonSerializer } from "./serializers/json.ts";
 * import { encodeValue } from "./value_codec.ts";
 *
 * encodeValue(42, { serializer: jsonSerializer, compressMinBytes: 1024, key: "n" }); // "42"
 * encodeValue({ a: 1 }, { serializer: jsonSerializer, compressMinBytes: 1024, key: "k" }); // '{"a":1}'
 * ```
 */
export function encodeValue(value: unknown, options: EncodeValueOptions): string | Uint8Array {
  const { serializer, compressor } = options;
  if (typeof value === "number" && Number.isSafeInteger(value) && serializer !== rawSerializer) {
    return String(value); // String(-0) is "0"
  }
  const payload = serialize(value, serializer, options.key);
  if (compressor !== undefined) {
    const compressed = compress(payload, compressor, options.compressMinBytes, options.key);
    if (compressed !== undefined) return compressed;
  }
  return frame(payload, serializer);
}

/** The payload inside a header, decompressed. */
function unframe(stored: Uint8Array, options: DecodeValueOptions): Uint8Array {
  const key = quoteKey(options.key);
  if (stored.length < HEADER_BYTES) {
    throw new SerializationError(`Cannot decode the value of ${key}: its header is truncated`);
  }
  const id = stored[2];
  const body = stored.subarray(HEADER_BYTES);
  if (id === UNCOMPRESSED) return body;
  const configured = options.compressor;
  const compressor: Decompressor | Compressor | undefined = builtinDecompressor(id) ??
    (configured?.id === id ? configured : undefined);
  if (compressor === undefined) {
    const now = configured === undefined
      ? "no compressor is configured"
      : `the configured compressor ${JSON.stringify(configured.name)} has id ${configured.id}`;
    throw new SerializationError(
      `Cannot decode the value of ${key}: it was compressed with compressor id ${id}, but ${now}`,
    );
  }
  let payload: unknown;
  try {
    payload = compressor.decompress(body);
  } catch (error) {
    throw new SerializationError(
      `Cannot decompress the value of ${key} with ${JSON.stringify(compressor.name)}: ${
        reason(error, "the compressor")
      }`,
      { cause: error },
    );
  }
  if (!(payload instanceof Uint8Array)) {
    throw new SerializationError(
      `Cannot decompress the value of ${key}: the ${
        JSON.stringify(compressor.name)
      } compressor returned ${kindOf(payload)}, not a Uint8Array`,
    );
  }
  return payload;
}

/** Runs the serializer on text or bytes as it expects, naming the key on failure. */
function deserialize(data: string | Uint8Array, options: DecodeValueOptions): unknown {
  const { serializer } = options;
  try {
    if (serializer.text) {
      return serializer.deserialize(typeof data === "string" ? data : utf8Decoder.decode(data));
    }
    // raw takes strings as they are; other byte serializers get bytes.
    if (typeof data === "string" && serializer !== rawSerializer) data = utf8Encoder.encode(data);
    return serializer.deserialize(data);
  } catch (error) {
    const why = reason(error, `the ${JSON.stringify(serializer.name)} serializer`);
    throw new SerializationError(
      `Cannot deserialize the value of ${quoteKey(options.key)}: ${why}`,
      {
        cause: error,
      },
    );
  }
}

/**
 * Turns what is stored in Redis back into a value.
 *
 * @param stored The stored text or bytes (as the store returned them).
 * @param options The serializer, the configured compressor, and the key
 *   (for error messages).
 * @returns The cached value.
 * @throws {SerializationError} When the value was compressed with a
 *   compressor that is not configured, or cannot be decompressed or
 *   deserialized; the message names the key, never the value.
 * @example
 * ```ts
 * import { jsonSerializer } from "./serializers/json.ts";
 * import { decodeValue } from "./value_codec.ts";
 *
 * decodeValue("42", { serializer: jsonSerializer, key: "n" }); // 42
 * decodeValue('{"a":1}', { serializer: jsonSerializer, key: "k" }); // { a: 1 }
 * ```
 */
export function decodeValue(stored: string | Uint8Array, options: DecodeValueOptions): unknown {
  const raw = options.serializer === rawSerializer;
  if (typeof stored === "string") {
    const first = stored.charCodeAt(0);
    if (first !== MAGIC_0) {
      if (!raw && mayBeInteger(first)) {
        const integer = integerText(stored);
        if (integer !== undefined) return integer;
      }
      return deserialize(stored, options);
    }
    stored = utf8Encoder.encode(stored);
  }
  if (stored.length >= 2 && stored[0] === MAGIC_0 && stored[1] === MAGIC_1) {
    return deserialize(unframe(stored, options), options);
  }
  if (!raw && mayBeInteger(stored[0])) {
    const integer = integerBytes(stored);
    if (integer !== undefined) return integer;
  }
  return deserialize(stored, options);
}
