/**
 * Private to the decoder: the shape of an aggregate being filled between
 * chunks.
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
