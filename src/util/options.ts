/**
 * Checking option names: an unknown option is a `TypeError` that names it
 * (and suggests the nearest known name), so a typo never silently does
 * nothing. Used by every layer that takes options.
 *
 * @module
 */

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = row[j];
      row[j] = next;
    }
  }
  return row[b.length];
}

/**
 * Throws a `TypeError` naming the first key of `options` that is not in
 * `known`, with a suggestion when one is close.
 */
export function checkOptionKeys(options: object, known: readonly string[], where: string): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    let best = "";
    let bestDistance = 3;
    for (const candidate of known) {
      const d = distance(key.toLowerCase(), candidate.toLowerCase());
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    const hint = best ? `; did you mean "${best}"?` : `; expected one of ${known.join(", ")}`;
    throw new TypeError(`Unknown option "${key.slice(0, 40)}" for ${where}${hint}`);
  }
}
