/**
 * The pool's side of its circuit breaker: one circuit for all members, and
 * the pool admits. A command is failed at once while the circuit is open, or
 * goes with a settle that reports its outcome; `use()` lends nothing while
 * the circuit is open.
 *
 * @module
 */

import { type Breaker, BreakerSettle } from "../client/breaker.ts";
import type { Settle } from "../client/send_options.ts";
import { CircuitOpenError } from "../errors.ts";
import type { Command } from "../resp/types.ts";

/**
 * Asks the breaker whether `command` may go: the settle that reports its
 * outcome to the breaker, or `undefined` after failing it at once.
 */
export function admitCommand(
  breaker: Breaker,
  label: string,
  command: Command,
  settle: Settle,
): Settle | undefined {
  const admitted = breaker.admit(command, label);
  if (admitted instanceof CircuitOpenError) {
    settle.reject(admitted);
    return undefined;
  }
  return new BreakerSettle(breaker, settle, admitted.probe);
}

/**
 * Before `use()` lends a connection: throws `CircuitOpenError` while the
 * circuit is open, like `send()`; in half-open, lets it through as the probe.
 */
export function admitUse(breaker: Breaker, label: string): void {
  if (breaker.state === "closed") return;
  const admitted = breaker.admit("use()", label);
  if (admitted instanceof CircuitOpenError) throw admitted;
  // The probe: a connection that works closes the circuit.
  breaker.release();
}
