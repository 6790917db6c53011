/**
 * The floor: the runtime starts, runs this body (no import) and exits. Like the
 * client scripts it prints its body-start time on stderr, so the driver can
 * tell the runtime's own start from an import's cost.
 *
 * @module
 */
const at = (): number => performance.timeOrigin + performance.now();
const body = at();
console.error(JSON.stringify({ body }));
