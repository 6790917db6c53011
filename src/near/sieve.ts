/**
 * SIEVE eviction (Zhang et al., NSDI '24): a FIFO queue with one "visited"
 * bit per entry and a hand that sweeps from the oldest entry to the newest.
 * A hit only sets the bit; nothing moves, so reads stay O(1) without the
 * list surgery an LRU does on every hit. To evict, the hand clears set bits
 * as it passes and takes the first entry whose bit is clear. On skewed
 * (Zipf) workloads it keeps hot keys at least as well as LRU and drops
 * one-hit wonders sooner, which is what a near cache in front of Redis sees.
 *
 * @module
 */

/** What the list needs in each entry: the bit and two links. */
export interface SieveNode {
  /** Set by a hit; cleared when the hand passes. */
  visited: boolean;
  /** Toward the newest entry. */
  newer: this | undefined;
  /** Toward the oldest entry. */
  older: this | undefined;
}

/** The queue and its hand. Entries are linked in place (no wrapper objects). */
export class SieveList<N extends SieveNode> {
  #newest: N | undefined;
  #oldest: N | undefined;
  #hand: N | undefined;

  /** Adds a new entry at the newest end, unvisited. */
  insert(node: N): void {
    node.visited = false;
    node.older = this.#newest;
    node.newer = undefined;
    if (this.#newest !== undefined) this.#newest.newer = node;
    this.#newest = node;
    this.#oldest ??= node;
  }

  /** Unlinks an entry (evicted, invalidated or replaced). */
  remove(node: N): void {
    if (this.#hand === node) this.#hand = node.newer;
    if (node.newer !== undefined) node.newer.older = node.older;
    else this.#newest = node.older;
    if (node.older !== undefined) node.older.newer = node.newer;
    else this.#oldest = node.newer;
    node.newer = node.older = undefined;
  }

  /** The entry to evict next (not yet removed), or `undefined` when empty. */
  victim(): N | undefined {
    let node = this.#hand ?? this.#oldest;
    while (node !== undefined && node.visited) {
      node.visited = false;
      node = node.newer ?? this.#oldest;
    }
    // The hand rests on the victim; removing it moves the hand one step newer.
    this.#hand = node;
    return node;
  }

  /** Forgets every entry. */
  clear(): void {
    this.#newest = this.#oldest = this.#hand = undefined;
  }
}
