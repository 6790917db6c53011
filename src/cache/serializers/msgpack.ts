/**
 * MessagePack serializer: compact bytes that keep `Date`, `Map`, `Set`,
 * `bigint` and `Uint8Array` as they are.
 *
 * Extension types: msgpack's own timestamp (-1) for `Date`, 1 for `Map`
 * (its entries as a flat `[key, value, …]` array), 2 for `Set` (an array),
 * 3 for `bigint` (decimal ASCII). Maps and sets are encoded with the same
 * codec, so nested values keep their types.
 *
 * @module
 */

import { Decoder, Encoder, ExtensionCodec } from "@msgpack/msgpack";
import { SerializationError } from "../../errors.ts";
import type { Serializer } from "./serializer.ts";

const EXT_MAP = 1;
const EXT_SET = 2;
const EXT_BIGINT = 3;
/** Deepest nesting of maps and sets inside one another. */
const MAX_DEPTH = 100;
const BIGINT_TEXT = /^-?\d+$/;

const ascii = /* @__PURE__ */ new TextEncoder();
const asciiDecoder = /* @__PURE__ */ new TextDecoder();
/** Maps and sets being encoded right now (encoding is synchronous). */
const open = new Set<object>();

/** Output size above which the shared encoder is replaced, to free its grown buffer. */
const SHRINK_AFTER = 1_048_576; // 1 MiB (a literal: bundlers keep `1 << 20` as work)

/** The extension codec with its encoder and decoder, built on first use. */
interface Codec {
  extensions: ExtensionCodec;
  encoder: Encoder;
  decoder: Decoder;
}

// Built on first use, not at import: a bundle that imports this module
// without serializing anything (a raw client from mod.ts) drops msgpack.
let shared: Codec | undefined;

function codec(): Codec {
  return shared ??= buildCodec();
}

/** Encodes the items of a map or set, refusing cycles and runaway depth. */
function encodeContainer(container: Map<unknown, unknown> | Set<unknown>, items: unknown[]) {
  if (open.has(container)) {
    throw new SerializationError("MessagePack cannot represent a circular structure");
  }
  if (open.size >= MAX_DEPTH) {
    throw new SerializationError(`MessagePack cannot nest maps and sets over ${MAX_DEPTH} deep`);
  }
  open.add(container);
  try {
    return codec().encoder.encode(items);
  } finally {
    open.delete(container);
  }
}

function buildCodec(): Codec {
  const extensions = new ExtensionCodec();
  extensions.register({
    type: EXT_MAP,
    encode(input: unknown): Uint8Array | null {
      if (!(input instanceof Map)) return null;
      const flat: unknown[] = [];
      for (const [key, value] of input) flat.push(key, value);
      return encodeContainer(input, flat);
    },
    decode(data: Uint8Array): Map<unknown, unknown> {
      const flat = codec().decoder.decode(data);
      if (!Array.isArray(flat) || flat.length % 2 !== 0) {
        throw new SerializationError("A MessagePack map extension does not hold key-value pairs");
      }
      const map = new Map<unknown, unknown>();
      for (let i = 0; i < flat.length; i += 2) map.set(flat[i], flat[i + 1]);
      return map;
    },
  });
  extensions.register({
    type: EXT_SET,
    encode(input: unknown): Uint8Array | null {
      return input instanceof Set ? encodeContainer(input, [...input]) : null;
    },
    decode(data: Uint8Array): Set<unknown> {
      const items = codec().decoder.decode(data);
      if (!Array.isArray(items)) {
        throw new SerializationError("A MessagePack set extension does not hold an array");
      }
      return new Set(items);
    },
  });
  extensions.register({
    type: EXT_BIGINT,
    encode(input: unknown): Uint8Array | null {
      return typeof input === "bigint" ? ascii.encode(input.toString()) : null;
    },
    decode(data: Uint8Array): bigint {
      const text = asciiDecoder.decode(data);
      if (!BIGINT_TEXT.test(text)) {
        throw new SerializationError("A MessagePack bigint extension does not hold decimal digits");
      }
      return BigInt(text);
    },
  });
  return {
    extensions,
    encoder: new Encoder({ extensionCodec: extensions }),
    decoder: new Decoder({ extensionCodec: extensions }),
  };
}

/** Why the encoder failed, without quoting the value. */
function encodeProblem(error: unknown): SerializationError {
  if (error instanceof SerializationError) return error;
  const message = error instanceof Error ? error.message : "";
  const unknown = /Unrecognized object: \[object (\w+)\]/.exec(message);
  if (unknown) {
    const kind = unknown[1] === "Function" ? "a function" : `a ${unknown[1].toLowerCase()}`;
    return new SerializationError(`MessagePack cannot represent ${kind}`, { cause: error });
  }
  if (/too deep/i.test(message)) {
    return new SerializationError(
      "MessagePack cannot represent a circular or over 100 levels deep structure",
      { cause: error },
    );
  }
  const name = error instanceof Error ? error.name : typeof error;
  return new SerializationError(`MessagePack encoding failed with a ${name}`, { cause: error });
}

/**
 * MessagePack bytes (`text: false`). Functions and symbols anywhere, and
 * `undefined` at the top level, throw a `SerializationError`; `undefined`
 * inside arrays and objects becomes `null`. Other typed arrays come back as
 * `Uint8Array`. Decoding never runs code and rejects `__proto__` keys.
 *
 * `createCache()` takes it by name (`serializer: "msgpack"`); `new Cache()`
 * takes it only as this object, so that a bundle which never uses it leaves
 * MessagePack out.
 *
 * @example Round trip
 * ```ts
 * import { msgpackSerializer } from "@redcache/redcache";
 *
 * const bytes = msgpackSerializer.serialize({ at: new Date(0), tags: new Set(["a"]) });
 * msgpackSerializer.deserialize(bytes); // { at: Date(0), tags: Set { "a" } }
 * ```
 *
 * @example A cache that stores sets and dates
 * ```ts
 * import { Cache, msgpackSerializer } from "@redcache/redcache";
 *
 * await using cache = new Cache({ url: "redis://127.0.0.1:6379/1", serializer: msgpackSerializer });
 * await cache.set("seen", { at: new Date(), users: new Set(["ada"]) });
 * ```
 */
export const msgpackSerializer: Serializer = {
  name: "msgpack",
  text: false,

  /**
   * Converts a value to MessagePack bytes.
   *
   * @param value The value to encode.
   * @returns The encoded bytes.
   * @throws {SerializationError} When MessagePack cannot represent the value.
   */
  serialize(value: unknown): Uint8Array {
    if (value === undefined) {
      throw new SerializationError("MessagePack cannot represent undefined at the top level");
    }
    const current = codec();
    let bytes: Uint8Array;
    try {
      bytes = current.encoder.encode(value);
    } catch (error) {
      throw encodeProblem(error);
    }
    if (bytes.length > SHRINK_AFTER) {
      current.encoder = new Encoder({ extensionCodec: current.extensions });
    }
    return bytes;
  },

  /**
   * Decodes MessagePack bytes (a string is taken as its UTF-8 bytes).
   *
   * @param data The encoded bytes.
   * @returns The decoded value.
   * @throws {SerializationError} When the bytes are not valid MessagePack.
   */
  deserialize(data: string | Uint8Array): unknown {
    try {
      return codec().decoder.decode(typeof data === "string" ? ascii.encode(data) : data);
    } catch (error) {
      if (error instanceof SerializationError) throw error;
      throw new SerializationError("Invalid MessagePack data", { cause: error });
    }
  },
};
