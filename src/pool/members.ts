/**
 * A pool's member (one `RedisClient` and its loan and age) and the choice of
 * one for exclusive use: the least busy member not lent out, checked with
 * PING when it sat idle.
 *
 * @module
 */

import type { RedisClient } from "../client/client.ts";

/** One connection of a pool. */
export interface Member {
  client: RedisClient;
  /** Lent out by `use()` (or handed to a waiter). */
  held: boolean;
  createdAt: number;
  /** When it last went from no work to some, or came back from a loan. */
  lastUsed: number;
}

/** A new member around `client`, neither lent out nor used yet. */
export function newMember(client: RedisClient): Member {
  const now = Date.now();
  return { client, held: false, createdAt: now, lastUsed: now };
}

/** A member not lent out, with the fewest commands in flight. */
export function idleMember(members: readonly Member[]): Member | undefined {
  let best: Member | undefined;
  for (const m of members) {
    if (m.held || m.client.state === "closed") continue;
    if (best === undefined || m.client.pending < best.client.pending) best = m;
    if (m.client.pending === 0 && m.client.state === "ready") return m;
  }
  return best;
}

/** PINGs a member that sat idle past `healthCheckAfter`; false when it does not answer. */
export async function isHealthy(
  member: Member,
  healthCheckAfter: number,
  acquireTimeout: number,
): Promise<boolean> {
  if (member.client.state === "closed") return false;
  if (Date.now() - member.lastUsed < healthCheckAfter) return true;
  try {
    await member.client.send(["PING"], { timeout: Math.min(acquireTimeout || 1000, 1000) });
    return true;
  } catch {
    return false;
  }
}
