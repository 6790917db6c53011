/**
 * Sessions in Redis: one HASH per session, one field per session key, the
 * values encoded with the cache's coder. A save sends only the changed fields
 * and the expiry in one atomic one-key script, so concurrent requests of one
 * session that change different keys keep each other's writes, on every
 * strategy (shard and cluster route the script by its key).
 *
 * @module
 */

import type { RedisTarget } from "../../client/target.ts";
import type { RedisArg } from "../../resp/types.ts";
import type { StoredValue } from "../../cache/stores/store.ts";
import type { SessionsSettings } from "./_resolve_options.ts";
import { defineScript } from "../../client/scripts/define_script.ts";

/**
 * ARGV: must exist (`"1"`: change nothing when the session is gone), replace
 * (`"1"`: drop every field first), ttl in ms, number of fields to set, then
 * the field/value pairs to set, then the fields to delete. Returns 0 when the
 * session was required to exist and does not, else 1.
 */
const SAVE = /* @__PURE__ */ defineScript<number>(
  `
local key = KEYS[1]
if ARGV[1] == '1' and redis.call('EXISTS', key) == 0 then return 0 end
if ARGV[2] == '1' then redis.call('DEL', key) end
local last = 4 + 2 * tonumber(ARGV[4])
for i = 5, last, 2 do redis.call('HSET', key, ARGV[i], ARGV[i + 1]) end
for i = last + 1, #ARGV do redis.call('HDEL', key, ARGV[i]) end
if redis.call('EXISTS', key) == 1 then redis.call('PEXPIRE', key, ARGV[3]) end
return 1`,
  { keys: 1 },
);

/** What one save changes. */
export interface SavePlan {
  /** Change nothing (and resolve `false`) when the session no longer exists. */
  mustExist: boolean;
  /** Remove every field before writing (`clear()`, or a new id). */
  replace: boolean;
  /** Fields to write. */
  sets: ReadonlyArray<readonly [string, StoredValue]>;
  /** Fields to remove. */
  deletes: readonly string[];
}

const utf8 = /* @__PURE__ */ new TextDecoder();

function text(field: unknown): string {
  return field instanceof Uint8Array ? utf8.decode(field) : String(field);
}

/** The fields of an `HGETALL` reply: a RESP3 map, or a RESP2 flat array. */
function fieldsOf(reply: unknown): Map<string, Uint8Array> {
  const fields = new Map<string, Uint8Array>();
  if (reply instanceof Map) {
    for (const [field, value] of reply) fields.set(text(field), value as Uint8Array);
  } else if (Array.isArray(reply)) {
    for (let i = 0; i + 1 < reply.length; i += 2) fields.set(text(reply[i]), reply[i + 1]);
  }
  return fields;
}

/** Loads, saves, extends and deletes sessions by id. */
export class SessionStore {
  #settings: SessionsSettings;
  #client: RedisTarget;

  /** @param settings The sessions' settings (cache access, namespace, ttl). */
  constructor(settings: SessionsSettings) {
    this.#settings = settings;
    this.#client = settings.client;
  }

  #key(id: string): string {
    return this.#settings.access.key(`${this.#settings.namespace}:${id}`);
  }

  /** Every field of session `id` (empty when it does not exist). */
  async load(id: string): Promise<Map<string, Uint8Array>> {
    return fieldsOf(await this.#client.send(["HGETALL", this.#key(id)], { bytes: true }));
  }

  /** Applies `plan` to session `id` atomically; `false` when `mustExist` found it gone. */
  async save(id: string, plan: SavePlan): Promise<boolean> {
    const args: RedisArg[] = [
      plan.mustExist ? "1" : "0",
      plan.replace ? "1" : "0",
      this.#settings.ttlMs,
      plan.sets.length,
    ];
    for (const [field, value] of plan.sets) args.push(field, value);
    args.push(...plan.deletes);
    return await SAVE(this.#client, [this.#key(id)], args) === 1;
  }

  /** Resets the time to live of session `id`; `false` when it does not exist. */
  async touch(id: string): Promise<boolean> {
    return await this.#client.send<number>(["PEXPIRE", this.#key(id), this.#settings.ttlMs]) === 1;
  }

  /** Deletes session `id`. */
  async remove(id: string): Promise<void> {
    await this.#client.send(["DEL", this.#key(id)]);
  }
}
