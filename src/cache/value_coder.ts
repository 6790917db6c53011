/**
 * The value codec bound to one cache's settings: its serializer, its
 * compressor and threshold, and the read mode they call for, so that the
 * cache encodes and decodes with one call.
 *
 * @module
 */

import type { Compressor } from "./compressors/compressor.ts";
import type { Serializer } from "./serializers/serializer.ts";
import type { ReadMode, StoredValue } from "./stores/store.ts";
import { decodeValue, encodeValue } from "./value_codec.ts";

/** Encodes and decodes values with one cache's serializer and compressor. */
export class ValueCoder {
  /** How the store returns values: text for text serializers, else bytes. */
  readonly readMode: ReadMode;
  #serializer: Serializer;
  #compressor: Compressor | undefined;
  #compressMinBytes: number;

  /** @param settings The cache's serializer, compressor and `compressMinBytes`. */
  constructor(
    settings: {
      serializer: Serializer;
      compressor: Compressor | undefined;
      compressMinBytes: number;
    },
  ) {
    this.#serializer = settings.serializer;
    this.#compressor = settings.compressor;
    this.#compressMinBytes = settings.compressMinBytes;
    this.readMode = this.#serializer.text ? "text" : "bytes";
  }

  /** A coder with another serializer and this one's compressor. */
  withSerializer(serializer: Serializer): ValueCoder {
    return new ValueCoder({
      serializer,
      compressor: this.#compressor,
      compressMinBytes: this.#compressMinBytes,
    });
  }

  /**
   * A value as stored.
   *
   * @throws {SerializationError} For a value the serializer cannot represent.
   */
  encode(value: unknown, key: string): StoredValue {
    return encodeValue(value, {
      serializer: this.#serializer,
      compressor: this.#compressor,
      compressMinBytes: this.#compressMinBytes,
      key,
    });
  }

  /**
   * A stored value decoded.
   *
   * @throws {SerializationError} When it cannot be decoded.
   */
  decode(stored: StoredValue, key: string): unknown {
    return decodeValue(stored, { serializer: this.#serializer, compressor: this.#compressor, key });
  }
}
