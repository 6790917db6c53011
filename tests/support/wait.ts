/**
 * Waiting for a condition in tests without betting on timing: poll in small
 * steps, bounded by a deadline that fails the test loudly.
 *
 * @module
 */

/** Resolves once `check()` holds, polling every 5 ms; throws after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Condition not reached within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
