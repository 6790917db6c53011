/**
 * Who belongs to a pool and who holds them: the members open or opening,
 * those lent out, those closing (they still count toward `max`), and the
 * callers waiting. It picks the member a shared command goes to, lends
 * members for exclusive use, takes them back (straight to the next waiter),
 * discards them and opens replacements, and keeps `min` open.
 *
 * @module
 */

import { RedisClient } from "../client/client.ts";
import type { Breaker } from "../client/breaker.ts";
import type { ClientInternals, ConnectOptions } from "../client/options.ts";
import { ConnectionError, PoolTimeoutError } from "../errors.ts";
import { Maintenance } from "./maintenance.ts";
import { idleMember, isHealthy, type Member, newMember } from "./members.ts";
import { admitUse } from "./pool_breaker.ts";
import type { PoolSettings } from "./pool_options.ts";
import { Waiters } from "./waiters.ts";

/** Commands waiting on one connection before the pool opens another. */
const BUSY_THRESHOLD = 256;

/** The error of an acquire, or a command sent, after the pool closed. */
export function poolClosedError(): Error {
  return new ConnectionError("Cannot acquire a connection as the pool is closed");
}

/** The members of one pool and the callers waiting for one. */
export class Membership {
  #connect: ConnectOptions;
  #clientInternals: ClientInternals;
  #max: number;
  #min: number;
  #acquireTimeout: number;
  #healthCheckAfter: number;
  #breaker: Breaker | undefined;
  #label: string;
  #members: Member[] = [];
  /** Members closed but whose sockets may not be gone yet: they still count toward `max`. */
  #closing = 0;
  #waiters = new Waiters<Member>();
  #maintenance: Maintenance;
  #closed = false;
  #noneLentWaiter: (() => void) | undefined;

  /** Opens `min` members at once and starts the sweep. */
  constructor(settings: PoolSettings) {
    this.#connect = settings.connect;
    this.#clientInternals = settings.clientInternals;
    this.#max = settings.max;
    this.#min = settings.min;
    this.#acquireTimeout = settings.acquireTimeout;
    this.#healthCheckAfter = settings.healthCheckAfter;
    this.#breaker = settings.breaker;
    this.#label = settings.label;
    this.#maintenance = new Maintenance(
      settings,
      () => this.#members,
      (member) => this.discard(member),
    );
    for (let i = 0; i < this.#min; i++) this.#grow();
    this.#maintenance.start();
  }

  /** The members right now (open, opening or lent out). */
  get members(): readonly Member[] {
    return this.#members;
  }

  /** Callers waiting for a member. */
  get waiting(): number {
    return this.#waiters.size;
  }

  /** True once `close()` ran: nothing is lent or opened any more. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Opens one more member (the caller checked the limit). */
  #grow(): Member {
    const member = newMember(new RedisClient(this.#connect, this.#clientInternals));
    this.#members.push(member);
    return member;
  }

  #canGrow(): boolean {
    return !this.#closed && this.#members.length + this.#closing < this.#max;
  }

  /**
   * The first member not lent out whose queue is under the threshold, else
   * the least busy one, opening another when all are busy. A
   * member that is not connected is used only when none is: its commands
   * would wait in its offline queue.
   */
  shared(): Member | undefined {
    let best: Member | undefined;
    let bestPending = Infinity;
    let fallback: Member | undefined;
    let opening = false;
    for (const m of this.#members) {
      if (m.held) continue;
      const state = m.client.state;
      if (state !== "ready") {
        if (state === "connecting") opening = true;
        if (state !== "closed" && fallback === undefined) fallback = m;
        continue;
      }
      // Fill in order rather than spread: fewer sockets each carry bigger writes.
      const p = m.client.pending;
      if (p < BUSY_THRESHOLD) {
        best = m;
        bestPending = p;
        break;
      }
      if (p < bestPending) {
        best = m;
        bestPending = p;
      }
    }
    if (this.#closed) return undefined;
    // Busy beyond the threshold: open one more (one at a time) for the next callers.
    if (best !== undefined && bestPending >= BUSY_THRESHOLD && !opening && this.#canGrow()) {
      this.#grow();
    }
    best ??= fallback ?? (this.#canGrow() ? this.#grow() : undefined);
    // Idle time counts from when a member last went from no work to some:
    // a member with commands in flight is not idle, so busy ones skip the clock.
    if (best !== undefined && best.client.pending === 0) best.lastUsed = Date.now();
    return best;
  }

  /** Takes a member for exclusive use: an idle one, a new one, or the next one released. */
  async acquire(): Promise<Member> {
    for (;;) {
      if (this.#closed) throw poolClosedError();
      // An open circuit lends nothing: use() fails at once, like send().
      if (this.#breaker !== undefined) admitUse(this.#breaker, this.#label);
      let member = idleMember(this.#members);
      if (member === undefined && this.#canGrow()) member = this.#grow();
      if (member === undefined) member = await this.wait();
      member.held = true;
      if (!await isHealthy(member, this.#healthCheckAfter, this.#acquireTimeout)) {
        member.held = false;
        this.discard(member);
        continue;
      }
      member.lastUsed = Date.now();
      return member;
    }
  }

  /** Waits for the next member released (lent to the caller), up to `acquireTimeout`. */
  wait(): Promise<Member> {
    return this.#waiters.wait(this.#acquireTimeout, () => {
      let inUse = 0;
      for (const m of this.#members) if (m.held) inUse++;
      return new PoolTimeoutError(
        `Cannot acquire a connection within ${this.#acquireTimeout} ms: ` +
          `${inUse} of ${this.#max} connections are in use, ${this.#waiters.size} callers waiting`,
      );
    });
  }

  /** Hands a member back: straight to the next waiter, if any. */
  release(member: Member): void {
    member.held = false;
    member.lastUsed = Date.now();
    const waiter = this.#waiters.next();
    if (waiter !== undefined) {
      member.held = true;
      waiter.resolve(member);
      return;
    }
    if (this.#noneLentWaiter !== undefined && !this.#members.some((m) => m.held)) {
      this.#noneLentWaiter();
    }
  }

  /** Closes a member and, if someone waits, opens a replacement for them. */
  discard(member: Member): void {
    const index = this.#members.indexOf(member);
    if (index < 0) return;
    this.#members.splice(index, 1);
    this.#closing++;
    member.client.close().finally(() => {
      this.#closing--;
      this.#refill();
    });
    if (this.#noneLentWaiter !== undefined && !this.#members.some((m) => m.held)) {
      this.#noneLentWaiter();
    }
  }

  /** Gives waiters new members while there is room, and keeps `min` open. */
  #refill(): void {
    if (this.#closed) return;
    while (this.#waiters.size > 0 && this.#canGrow()) {
      const w = this.#waiters.next();
      if (w === undefined) break;
      const member = this.#grow();
      member.held = true;
      w.resolve(member);
    }
    while (this.#members.length + this.#closing < this.#min) this.#grow();
  }

  /** Stops lending and sweeping, and rejects the callers still waiting. */
  close(): void {
    this.#closed = true;
    this.#maintenance.stop();
    this.#waiters.rejectAll(poolClosedError);
  }

  /** Resolves once no member is lent out. */
  untilNoneLent(): Promise<void> {
    if (!this.#members.some((m) => m.held)) return Promise.resolve();
    return new Promise((resolve) => (this.#noneLentWaiter = resolve));
  }

  /** Empties the pool: returns every member, for the caller to close. */
  removeAll(): Member[] {
    const members = this.#members;
    this.#members = [];
    return members;
  }

  /** Settles an `untilNoneLent()` still waiting (the members it waited for are closed). */
  endNoneLentWait(): void {
    this.#noneLentWaiter?.();
  }
}
