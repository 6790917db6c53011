/**
 * Portable test API with the shape of `node:test`: `describe`, `it`, `before`, `after`,
 * `beforeEach`, `afterEach` (bodies and hooks may be async; `describe` bodies are synchronous).
 *
 * - Deno: each top-level `describe` is ONE `Deno.test` with every sanitizer on, each `it` a
 *   `t.step()`, so timers/ops/sockets leaked by the suite fail it (Deno's `node:test` polyfill
 *   ignores the sanitizers). `after` hooks run even if a step or a `before` hook failed.
 * - Bun (any other runtime): `node:test`'s functions, except that the tests of a `describe` whose
 *   `before` hook failed fail too (Bun would run them and report the hook error only on stderr).
 *
 * There is deliberately no `skip`/`only`/`todo`.
 *
 * @module
 */
import * as nodeTest from "node:test";

/** A test body or hook. */
export type TestFn = () => void | Promise<void>;
type HookKind = "before" | "after" | "beforeEach" | "afterEach";
type Suite = { [K in HookKind]: TestFn[] } & {
  children: Array<{ name: string; fn?: TestFn; suite?: Suite }>;
  /** Bun only: the error of a failed `before` hook. */
  failure?: unknown;
};

const isDeno = typeof Deno !== "undefined" && typeof Deno.test === "function";
/** Enclosing suites of the `describe` body being collected, outermost first. */
let stack: Suite[] = [];
// deno-fmt-ignore
const newSuite = (): Suite => ({ before: [], after: [], beforeEach: [], afterEach: [], children: [] });

/** Runs every hook even if one throws; rethrows the first error. */
async function runAll(hooks: TestFn[]): Promise<void> {
  const errors: unknown[] = [];
  for (const hook of hooks) await Promise.resolve().then(hook).catch((e) => errors.push(e));
  if (errors.length > 0) throw errors[0];
}

/** Deno: runs `suite` inside test/step `t`; `chain` is the suite and its ancestors. */
async function runSuite(t: Deno.TestContext, chain: Suite[]): Promise<void> {
  const suite = chain[chain.length - 1];
  try {
    await runAll(suite.before);
    for (const { name, fn, suite: child } of suite.children) {
      await t.step(name, async (t) => {
        if (child) return await runSuite(t, [...chain, child]);
        try {
          for (const hook of chain.flatMap((s) => s.beforeEach)) await hook();
          await fn!();
        } finally {
          await runAll(chain.toReversed().flatMap((s) => s.afterEach));
        }
      });
    }
  } finally {
    await runAll(suite.after);
  }
}

/** Deno: registers a test, reported at the caller's location (honoured by Deno >= 2.6). */
function denoTest(name: string, fn: (t: Deno.TestContext) => Promise<void>): void {
  const frames = (new Error().stack ?? "").split("\n").slice(1);
  const caller = frames.find((line) => !line.includes(import.meta.url));
  const location = caller?.match(/(file:\/\/[^\s()]+:\d+:\d+)/)?.[1];
  Object.assign(fn, { [Symbol.for("Deno.test.location")]: location });
  Deno.test({ name, sanitizeOps: true, sanitizeResources: true, sanitizeExit: true, fn });
}

/** Groups tests and hooks; `fn` must be synchronous. */
export function describe(name: string, fn: () => void): void {
  const suite = newSuite();
  const parent = stack.at(-1);
  const chain = [...stack, suite];
  const collect = () => {
    const saved = stack;
    stack = chain;
    try {
      if ((fn() as unknown) instanceof Promise) throw new Error(`describe("${name}"): async body`);
    } finally {
      stack = saved;
    }
  };
  if (!isDeno) return void nodeTest.describe(name, collect);
  parent?.children.push({ name, suite });
  collect();
  if (!parent) denoTest(name, (t) => runSuite(t, [suite]));
}

/** Declares a test. */
export function it(name: string, fn: TestFn): void {
  const chain = [...stack];
  if (!isDeno) {
    return void nodeTest.it(name, async () => {
      const failed = chain.find((suite) => suite.failure !== undefined);
      if (failed) {
        throw new Error(`before() hook failed: ${failed.failure}`, { cause: failed.failure });
      }
      await fn();
    });
  }
  if (chain.length) chain[chain.length - 1].children.push({ name, fn });
  else denoTest(name, async () => await fn());
}

function hook(kind: HookKind): (fn: TestFn) => void {
  return (fn) => {
    const suite = stack.at(-1);
    if (!suite) throw new Error(`${kind}() must be called inside describe()`);
    if (isDeno) return void suite[kind].push(fn);
    if (kind !== "before") return void nodeTest[kind](async () => await fn());
    nodeTest.before(async () => {
      await Promise.resolve().then(fn).catch((error) => suite.failure = error ?? "error");
    });
  };
}

/** Runs once before the tests of the enclosing `describe`; if it fails, they fail. */
export const before: (fn: TestFn) => void = hook("before");
/** Runs once after the tests of the enclosing `describe`, even if a test or hook failed. */
export const after: (fn: TestFn) => void = hook("after");
/** Runs before each test of the enclosing `describe`, including nested ones. */
export const beforeEach: (fn: TestFn) => void = hook("beforeEach");
/** Runs after each test of the enclosing `describe`, including nested ones, even if it failed. */
export const afterEach: (fn: TestFn) => void = hook("afterEach");
