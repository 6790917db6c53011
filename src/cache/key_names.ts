/**
 * How one cache names its keys: the full key of a caller's key (prefix,
 * version, `keyFunction`), the version per-call options name, and the
 * resolved options of a write, made once for the common case.
 *
 * @module
 */

import type { CacheSettings, SetOptions, VersionOptions } from "./cache_options.ts";
import { type ResolvedSet, resolveSetOptions, versionOption } from "./call_options.ts";
import { checkKey, type KeyFunction } from "./keys.ts";

/** A cache's key naming and write defaults. */
export class KeyNames {
  /** The cache's `keyPrefix`. */
  readonly prefix: string;
  /** The cache's `version`. */
  readonly version: number;
  /** The cache's `defaultTtl` in ms (`null`: forever). */
  readonly defaultTtl: number | null;
  #keyFunction: KeyFunction;
  /** `setOptions(undefined)`, made once. */
  #defaultSet: ResolvedSet;

  /** @param settings The cache's resolved settings. */
  constructor(settings: CacheSettings) {
    this.prefix = settings.prefix;
    this.version = settings.version;
    this.defaultTtl = settings.defaultTtl;
    this.#keyFunction = settings.keyFunction;
    this.#defaultSet = { ttl: this.defaultTtl, version: this.version, tags: undefined };
  }

  /**
   * The full key of `key` at `version` (default: the cache's).
   *
   * @throws {TypeError} For a key that is not a non-empty string.
   */
  key(key: string, version: number = this.version): string {
    return this.#keyFunction(checkKey(key), this.prefix, version);
  }

  /** Where the version token of `tag` lives: outside the prefix's keys, so scans skip it. */
  tagKey(tag: string): string {
    return `tags:${this.#keyFunction(tag, this.prefix, this.version)}`;
  }

  /** The version that per-call `options` name, or the cache's (`checked`: names checked). */
  versionOf(options: VersionOptions | undefined, method: string, checked = false): number {
    if (options === undefined) return this.version;
    return versionOption(options, this.version, method, checked);
  }

  /** A write's options resolved (TTL in ms, condition, version, tags). */
  setOptions(options: SetOptions | undefined): ResolvedSet {
    if (options === undefined) return this.#defaultSet;
    return resolveSetOptions(options, this.defaultTtl, this.version);
  }
}
