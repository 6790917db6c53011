/**
 * Finding the stored response of a request: under its primary key, or,
 * when the response varies on request headers, through the Vary pointer the
 * primary key holds. The Vary names of recent keys are remembered, so that
 * a hit on a varying response is still one read.
 *
 * @module
 */

import { isTransient } from "../../cache/error_policy.ts";
import type { CacheAccess } from "../../cache/cache_access.ts";
import { decodeFrame, type Frame, type StoredResponse } from "./frame.ts";
import { headerSuffix } from "./keys.ts";
import type { Report } from "./render.ts";

/** A lookup's result: the key to fill on a miss, and the entry found. */
export interface Lookup {
  /** The key the request's response belongs under, as far as known. */
  readonly key: string;
  /** The stored response, when there is one. */
  readonly stored?: StoredResponse;
}

/** How many keys' Vary names are remembered. */
const MAX_REMEMBERED = 10_000;

/** Reads entries, following Vary pointers. */
export class Lookups {
  #access: CacheAccess;
  #report: Report;
  #varyNames = new Map<string, readonly string[]>();

  /**
   * @param access The cache's internals.
   * @param report Where a damaged entry or a non-transient read failure goes.
   */
  constructor(access: CacheAccess, report: Report) {
    this.#access = access;
    this.#report = report;
  }

  /** The remembered Vary names of `primary` (none when unknown). */
  varyNames(primary: string): readonly string[] {
    return this.#varyNames.get(primary) ?? [];
  }

  /** Remembers the Vary names of `primary` (a bounded map; the oldest goes first). */
  remember(primary: string, names: readonly string[]): void {
    const memo = this.#varyNames;
    if (names.length === 0) {
      memo.delete(primary);
      return;
    }
    if (!memo.has(primary) && memo.size >= MAX_REMEMBERED) memo.delete(memo.keys().next().value!);
    memo.set(primary, names);
  }

  /**
   * The entry for `request`: under the remembered variant, or found through
   * `primary`. `tags`: the tags the entry carries for sure (its URL tag),
   * checked in the same round trip as the read.
   *
   * @throws When Redis cannot be reached (`isTransient`).
   */
  async find(request: Request, primary: string, tags?: readonly string[]): Promise<Lookup> {
    const memo = this.#varyNames.get(primary);
    let key: string | undefined;
    if (memo !== undefined) {
      key = primary + headerSuffix(request, memo);
      const frame = await this.#read(key, tags);
      if (frame?.kind === "response") return { key, stored: frame };
    }
    const frame = await this.#read(primary, tags);
    if (frame === undefined) return { key: primary };
    if (frame.kind === "response") {
      this.#varyNames.delete(primary);
      return { key: primary, stored: frame };
    }
    this.remember(primary, frame.names);
    const variant = primary + headerSuffix(request, frame.names);
    if (variant === key) return { key };
    const stored = await this.#read(variant, tags);
    return { key: variant, stored: stored?.kind === "response" ? stored : undefined };
  }

  /**
   * A frame from Redis. Transient errors throw (the caller passes the
   * request on); any other failure, or bytes that are no frame, is a miss.
   */
  async #read(key: string, tags?: readonly string[]): Promise<Frame | undefined> {
    let bytes: Uint8Array | undefined;
    try {
      bytes = await this.#access.getBytes(key, tags === undefined ? undefined : { tags });
    } catch (error) {
      if (isTransient(error)) throw error;
      this.#report(error, "read", key);
      return undefined;
    }
    if (bytes === undefined) return undefined;
    const frame = decodeFrame(bytes);
    if (frame === undefined) {
      const error = new Error("Cannot decode a cached response as it is not a response frame");
      this.#report(error, "decode", key);
    }
    return frame;
  }
}
