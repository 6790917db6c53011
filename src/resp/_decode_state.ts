/**
 * Private to the decoder: the shape of its state between chunks (an
 * aggregate being filled, a bulk whose payload spans chunks) and how much a
 * bulk header reserves before its payload arrives.
 *
 * @module
 */

import type { RedisReply } from "./types.ts";

/** An aggregate being filled: its type byte, how many values it still needs, and those it has. */
export interface Frame {
  type: number;
  remaining: number;
  items: RedisReply[];
}

/** A bulk whose payload spans chunks: the buffer of its declared size plus CRLF. */
export interface PartialBulk {
  type: number;
  /** Declared length plus CRLF. */
  size: number;
  /** Grows toward `size` as bytes arrive (a header alone reserves at most 16 MiB). */
  data: Uint8Array;
  filled: number;
}

/** Most a bulk header reserves before its payload arrives (values up to this size are copied once). */
export const BULK_RESERVE = 16 * 1024 * 1024;
