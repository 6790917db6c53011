/**
 * The `Session` a request gets: the loaded fields, the changes made since,
 * and how to save them. Made by `Sessions.open()`, saved by `Sessions.commit()`.
 *
 * @module
 */

import { isTransient } from "../../cache/error_policy.ts";
import type { StoredValue } from "../../cache/stores/store.ts";
import type { ValueCoder } from "../../cache/value_coder.ts";
import type { Session } from "./session.ts";
import { newSessionId } from "./_session_id.ts";
import type { SessionStore } from "./_session_store.ts";

/** What the response does with the cookie: send it (again), expire it, or nothing. */
export type CookieAction = "set" | "expire" | "none";

/** Where a session comes from. */
export interface SessionOrigin {
  /** The `Sessions` that opened it. */
  owner: object;
  store: SessionStore;
  coder: ValueCoder;
  /** The id in a correctly signed cookie, if any (not yet known to exist). */
  cookieId: string | undefined;
  /** Whether the request carried a cookie of the session's name at all. */
  hadCookie: boolean;
}

function checkKey(key: unknown, method: string): void {
  if (typeof key !== "string" || key.length === 0) {
    throw new TypeError(`Invalid session key for ${method}(): expected a non-empty string`);
  }
}

function sameBytes(stored: Uint8Array, value: StoredValue): boolean {
  const bytes = typeof value === "string" ? new TextEncoder().encode(value) : value;
  return bytes.length === stored.length && bytes.every((byte, i) => byte === stored[i]);
}

/** A request's session: loaded lazily, changes kept until `save()`. */
export class SessionState implements Session {
  /** The `Sessions` that opened this session. */
  readonly owner: object;
  #store: SessionStore;
  #coder: ValueCoder;
  #hadCookie: boolean;
  /** The id the cookie named, deleted at save when the session moved away from it. */
  #cookieId: string | undefined;
  #id: string;
  /** True when `#id` is new here: saving writes every field, under a new cookie. */
  #fresh: boolean;
  #loaded: Map<string, Uint8Array> | undefined;
  #loading: Promise<void> | undefined;
  /** Changed fields: the new stored value, or `null` when deleted. */
  #changes = new Map<string, StoredValue | null>();
  #cleared = false;
  #destroyed = false;
  #accessed = false;
  #committed = false;
  /** The transient error that loading met: the response must be a 503. */
  failure: Error | undefined;

  /** @param origin Where the session comes from. */
  constructor(origin: SessionOrigin) {
    this.owner = origin.owner;
    this.#store = origin.store;
    this.#coder = origin.coder;
    this.#hadCookie = origin.hadCookie;
    this.#cookieId = origin.cookieId;
    this.#fresh = origin.cookieId === undefined;
    this.#id = origin.cookieId ?? newSessionId();
    if (this.#fresh) this.#loaded = new Map();
  }

  get id(): string {
    return this.#id;
  }

  /** Whether the handler used the session at all (the response then varies by cookie). */
  get accessed(): boolean {
    return this.#accessed;
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    checkKey(key, "get");
    this.#accessed = true;
    const changed = this.#changes.get(key);
    if (changed !== undefined) return changed === null ? undefined : this.#decode<T>(changed, key);
    if (this.#cleared) return undefined;
    await this.#load();
    const stored = this.#cleared ? undefined : this.#loaded!.get(key);
    return stored === undefined ? undefined : this.#decode<T>(stored, key);
  }

  async has(key: string): Promise<boolean> {
    return await this.get(key) !== undefined;
  }

  set(key: string, value: unknown): void {
    if (value === undefined) return this.delete(key);
    checkKey(key, "set");
    this.#checkOpen();
    const stored = this.#coder.encode(value, key);
    this.#accessed = true;
    const loaded = this.#cleared ? undefined : this.#loaded?.get(key);
    if (loaded !== undefined && sameBytes(loaded, stored)) this.#changes.delete(key);
    else this.#changes.set(key, stored);
  }

  delete(key: string): void {
    checkKey(key, "delete");
    this.#checkOpen();
    this.#accessed = true;
    const absent = this.#cleared || (this.#loaded !== undefined && !this.#loaded.has(key));
    if (absent) this.#changes.delete(key);
    else this.#changes.set(key, null);
  }

  clear(): void {
    this.#checkOpen();
    this.#accessed = true;
    this.#cleared = true;
    this.#changes.clear();
  }

  async regenerate(): Promise<void> {
    this.#checkOpen();
    this.#accessed = true;
    await this.#load();
    const data = new Map<string, StoredValue | null>();
    if (!this.#cleared) { for (const [key, value] of this.#loaded!) data.set(key, value); }
    for (const [key, value] of this.#changes) {
      if (value === null) data.delete(key);
      else data.set(key, value);
    }
    this.#moveTo(data);
  }

  destroy(): void {
    this.#checkOpen();
    this.#accessed = true;
    this.#destroyed = true;
    this.#moveTo(new Map());
  }

  /** A new id holding `data`: every field is written there at save. */
  #moveTo(data: Map<string, StoredValue | null>): void {
    this.#id = newSessionId();
    this.#fresh = true;
    this.#loaded = new Map();
    this.#changes = data;
    this.#cleared = false;
  }

  #checkOpen(): void {
    if (this.#committed) {
      throw new TypeError("Cannot change the session: its response was already committed");
    }
  }

  #decode<T>(stored: StoredValue, key: string): T | undefined {
    try {
      return this.#coder.decode(stored, key) as T;
    } catch {
      return undefined; // data this cache cannot read (another serializer): as if missing
    }
  }

  #load(): Promise<void> {
    if (this.#loaded !== undefined) return Promise.resolve();
    return this.#loading ??= this.#fetch();
  }

  async #fetch(): Promise<void> {
    const id = this.#id;
    let fields: Map<string, Uint8Array>;
    try {
      fields = await this.#store.load(id);
    } catch (error) {
      if (isTransient(error)) this.failure ??= error;
      throw error;
    }
    if (this.#id !== id || this.#loaded !== undefined) return; // destroyed meanwhile
    if (fields.size === 0) {
      // Expired, deleted or never stored: an unknown id is never adopted.
      this.#cookieId = undefined;
      this.#id = newSessionId();
      this.#fresh = true;
    }
    this.#loaded = fields;
  }

  /** Marks the session committed without saving (the response failed). */
  abandon(): void {
    this.#committed = true;
  }

  /**
   * Saves the changes (nothing when there are none) and says what to do
   * with the cookie.
   *
   * @param rolling Extend an unchanged session's time to live too.
   * @throws {Error} The error Redis met (transient ones mean a 503).
   */
  async save(rolling: boolean): Promise<CookieAction> {
    this.#committed = true;
    const sets: [string, StoredValue][] = [];
    const deletes: string[] = [];
    for (const [key, value] of this.#changes) {
      if (value === null) deletes.push(key);
      else sets.push([key, value]);
    }
    if (this.#fresh) return await this.#saveFresh(sets);
    const id = this.#id;
    if (sets.length === 0 && deletes.length === 0 && !this.#cleared) {
      return rolling && await this.#touch(id) ? "set" : "none";
    }
    const plan = { mustExist: true, replace: this.#cleared, sets, deletes };
    if (await this.#store.save(id, plan)) return "set";
    // The session is gone. Loaded before, it ended during this request (logout,
    // login elsewhere): its changes are dropped. Never loaded, nobody knew it
    // was gone: its changes start a new session.
    if (this.#loaded !== undefined || sets.length === 0) return "none";
    this.#cookieId = undefined;
    this.#id = newSessionId();
    this.#fresh = true;
    return await this.#saveFresh(sets);
  }

  /** Extends the TTL, best effort: a failure loses nothing the handler did. */
  async #touch(id: string): Promise<boolean> {
    try {
      return await this.#store.touch(id);
    } catch (error) {
      if (isTransient(error)) return false;
      throw error;
    }
  }

  async #saveFresh(sets: [string, StoredValue][]): Promise<CookieAction> {
    let action: CookieAction = "none";
    if (sets.length > 0) {
      await this.#store.save(this.#id, { mustExist: false, replace: true, sets, deletes: [] });
      action = "set";
    }
    if (this.#cookieId !== undefined) {
      await this.#store.remove(this.#cookieId); // regenerated or destroyed
      if (action === "none") action = "expire";
    } else if (this.#destroyed && this.#hadCookie && action === "none") {
      action = "expire";
    }
    return action;
  }
}
