/**
 * `EmittingCommands<E>`: the typed commands of a promise surface plus the
 * `EventTarget` methods, typed by an event map. The client, the pool and the
 * cluster client extend it, so the three methods are written once.
 *
 * @module
 */

import { AsyncCommands } from "./commands/commands.ts";
import { dispatchTo, listen, type RedisEventListener, unlisten } from "../util/events.ts";

/**
 * A command surface that is also an `EventTarget` for the events of map `E`
 * (`ClientEventMap` for a client, `RedisEventMap` for a pool or a cluster
 * client). A listener that throws is reported on the console; the emitter
 * carries on.
 *
 * @example Log reconnections
 * ```ts
 * import { RedisClient } from "@redcache/redcache";
 *
 * await using redis = new RedisClient("redis://127.0.0.1:6379");
 * redis.addEventListener("reconnecting", (event) => {
 *   const { attempt, delay, error } = event.detail;
 *   console.warn(`Redis down (${error.message}): attempt ${attempt} in ${delay} ms`);
 * });
 * redis.addEventListener("ready", () => console.info("Redis ready"));
 * ```
 */
export abstract class EmittingCommands<E extends { [K in keyof E]: Event }> extends AsyncCommands {
  /**
   * Listens for one of the events of `E` (see the surface's event map).
   *
   * @param type The event's name (`connect`, `ready`, `reconnecting`, `error`, `end`, …).
   * @param listener A function or an object with `handleEvent`.
   * @param options `once`, `signal`, `capture`, as for any `EventTarget`.
   */
  addEventListener<K extends keyof E & string>(
    type: K,
    listener: RedisEventListener<E[K]> | null,
    options?: boolean | AddEventListenerOptions,
  ): void {
    listen(this, type, listener, options);
  }

  /** Removes a listener added with `addEventListener` (same type, listener and `capture`). */
  removeEventListener<K extends keyof E & string>(
    type: K,
    listener: RedisEventListener<E[K]> | null,
    options?: boolean | EventListenerOptions,
  ): void {
    unlisten(this, type, listener, options);
  }

  /** Runs the listeners of `event.type`; false if one called `preventDefault()`. */
  dispatchEvent(event: Event): boolean {
    return dispatchTo(this, event);
  }
}
