/**
 * Types shared by the RESP encoder and decoder.
 *
 * @module
 */

import type { ReplyError } from "../client/errors.ts";

/** One argument of a command: strings are sent as UTF-8, bytes as they are. */
export type RedisArg = string | number | bigint | Uint8Array;

/** A command: its name followed by its arguments. */
export type Command = readonly RedisArg[];

/** A decoded reply, as mapped in DESIGN.md. */
export type RedisReply =
  | string
  | number
  | bigint
  | boolean
  | null
  | Uint8Array
  | ReplyError
  | RedisReply[]
  | Map<RedisReply, RedisReply>
  | Set<RedisReply>;

/** Bounds that the decoder enforces on what a server may send. */
export interface DecoderLimits {
  /**
   * Largest bulk string accepted, in bytes.
   *
   * @default {536870912} (512 MiB, Redis's own `proto-max-bulk-len`)
   */
  maxBulkLength?: number;
  /**
   * Largest element count accepted for one array, map, set or push.
   *
   * @default {16777216}
   */
  maxElements?: number;
  /**
   * Deepest nesting of aggregates accepted.
   *
   * @default {64}
   */
  maxDepth?: number;
  /**
   * Longest line (simple string, error, number) accepted, in bytes.
   *
   * @default {1048576}
   */
  maxLineLength?: number;
}
