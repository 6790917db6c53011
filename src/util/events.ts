/**
 * Events on the Web-standard `EventTarget`, for objects that cannot extend it
 * (clients, pools and routers already extend a command class): each keeps a
 * private `EventTarget`, made on the first `addEventListener`, so an object
 * nobody listens to pays nothing. The classes' `addEventListener`,
 * `removeEventListener` and `dispatchEvent` delegate to the functions here.
 *
 * - A listener that throws does not reach the emitter (a client keeps
 *   running): the error is written to `console.error`, as browsers report an
 *   exception in a listener, and the next listener still runs. (Deno and Bun
 *   would otherwise treat it as an uncaught exception and end the process.)
 * - `forwardEvents(child, parent)`: what `child` emits, `parent` emits too
 *   (a pool its connections', a router its pools'), except `end`: a
 *   connection closing is not its pool closing.
 *
 * @module
 */

/**
 * A listener of events of type `E`: a function, or an object with `handleEvent`.
 *
 * @example
 * ```ts
 * import { type ClientEventMap, type RedisEventListener, RedisClient } from "@redcache/redcache";
 *
 * const onReconnecting: RedisEventListener<ClientEventMap["reconnecting"]> = (event) =>
 *   console.warn(`attempt ${event.detail.attempt} in ${event.detail.delay} ms`);
 * const redis = new RedisClient("redis://127.0.0.1:6379");
 * redis.addEventListener("reconnecting", onReconnecting);
 * await redis.close();
 * ```
 */
export type RedisEventListener<E extends Event> =
  | ((event: E) => void)
  | { handleEvent(event: E): void };

/** A listener of any event, as stored (the classes accept narrower, typed ones). */
type AnyListener = RedisEventListener<Event>;

/** What is registered on the private target in a listener's place. */
type Wrapper = EventListener;

/** An object's listeners: the private target, and the wrapper made for each listener. */
interface Listening {
  target: EventTarget;
  /** Per listener, its wrapper for each `type` and `capture` (what `EventTarget` tells apart). */
  wrappers: WeakMap<AnyListener, Map<string, Wrapper>>;
}

/** The listeners of each object that has had one. */
const listening = new WeakMap<object, Listening>();
/** Where each object's events are forwarded. */
const parents = new WeakMap<object, object>();

function wrapperKey(type: string, options: boolean | EventListenerOptions | undefined): string {
  const capture = typeof options === "boolean" ? options : options?.capture === true;
  return (capture ? "c:" : "b:") + type;
}

/** Writes an exception thrown by a listener to the console; the emitter carries on. */
function reportListenerError(type: string, error: unknown): void {
  console.error(`An event listener for "${type}" threw:`, error);
}

/** The wrapper of `listener` on `owner` for `type` (made once, so removing it works). */
function wrapperOf(
  owner: object,
  state: Listening,
  type: string,
  listener: AnyListener,
  options: boolean | EventListenerOptions | undefined,
): Wrapper {
  let byKey = state.wrappers.get(listener);
  if (byKey === undefined) state.wrappers.set(listener, byKey = new Map());
  const key = wrapperKey(type, options);
  let wrapper = byKey.get(key);
  if (wrapper === undefined) {
    wrapper = (event) => {
      try {
        // (A cast: with Node's types loaded too, `Event` has two declarations.)
        if (typeof listener === "function") listener.call(owner, event as Event);
        else listener.handleEvent(event as Event);
      } catch (error) {
        reportListenerError(type, error);
      }
    };
    byKey.set(key, wrapper);
  }
  return wrapper;
}

function checkListener(listener: unknown): asserts listener is AnyListener | null | undefined {
  if (listener != null && typeof listener !== "function" && typeof listener !== "object") {
    throw new TypeError("Invalid event listener: expected a function or an object");
  }
}

/**
 * `owner.addEventListener(type, listener, options)`: adds `listener` to the
 * owner's private `EventTarget` (made now if it is the first).
 */
export function listen(
  owner: object,
  type: string,
  listener: unknown,
  options?: boolean | AddEventListenerOptions,
): void {
  checkListener(listener);
  if (listener == null) return;
  let state = listening.get(owner);
  if (state === undefined) {
    state = { target: new EventTarget(), wrappers: new WeakMap() };
    listening.set(owner, state);
  }
  state.target.addEventListener(type, wrapperOf(owner, state, type, listener, options), options);
}

/** `owner.removeEventListener(type, listener, options)`. */
export function unlisten(
  owner: object,
  type: string,
  listener: unknown,
  options?: boolean | EventListenerOptions,
): void {
  checkListener(listener);
  if (listener == null) return;
  const state = listening.get(owner);
  const wrapper = state?.wrappers.get(listener)?.get(wrapperKey(type, options));
  if (wrapper !== undefined) state!.target.removeEventListener(type, wrapper, options);
}

/**
 * `owner.dispatchEvent(event)`: runs the owner's listeners of `event.type`.
 * Returns false if the event is cancelable and a listener called `preventDefault()`.
 */
export function dispatchTo(owner: object, event: Event): boolean {
  // Without listeners, a throwaway target still gives the standard result and checks.
  return (listening.get(owner)?.target ?? new EventTarget()).dispatchEvent(event);
}

/**
 * Emits a `CustomEvent` of `type` with `detail` on `owner`, then on the
 * objects it forwards to (not `end`). Costs a lookup when nobody listens.
 */
export function emit(owner: object, type: string, detail: unknown): void {
  for (let at: object | undefined = owner; at !== undefined; at = parents.get(at)) {
    const state = listening.get(at);
    if (state !== undefined) state.target.dispatchEvent(new CustomEvent(type, { detail }));
    if (type === "end") return;
  }
}

/** From now on, what `child` emits (except `end`) `parent` emits too. */
export function forwardEvents(child: object, parent: object): void {
  parents.set(child, parent);
}
