import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { dispatchTo, emit, forwardEvents, listen, unlisten } from "../../src/util/events.ts";

/** The details `owner` receives for `type`. */
function received(owner: object, type: string): unknown[] {
  const seen: unknown[] = [];
  listen(owner, type, (event: CustomEvent) => seen.push(event.detail));
  return seen;
}

describe("events (the shared mechanism)", () => {
  it("emit reaches the owner, then the objects it forwards to, but never forwards end", () => {
    const [client, pool, router] = [{}, {}, {}];
    forwardEvents(client, pool);
    forwardEvents(pool, router);
    const errors = [received(client, "error"), received(pool, "error"), received(router, "error")];
    const ends = [received(client, "end"), received(pool, "end"), received(router, "end")];
    emit(client, "error", 1);
    emit(client, "end", 2);
    emit(pool, "end", 3);
    assert.deepEqual(errors, [[1], [1], [1]]);
    assert.deepEqual(ends, [[2], [3], []]);
  });

  it("an object nobody listens to, or that forwards to nobody listening, is skipped", () => {
    const [child, parent] = [{}, {}];
    forwardEvents(child, parent);
    emit(child, "ready", 1); // nobody listens anywhere: no error, nothing made
    const seen = received(parent, "ready");
    emit(child, "ready", 2);
    assert.deepEqual(seen, [2]);
  });

  it("capture tells listeners apart, as EventTarget does; removing needs the same capture", () => {
    const owner = {};
    const seen: string[] = [];
    const listener = () => seen.push("x");
    listen(owner, "ready", listener);
    listen(owner, "ready", listener, { capture: true });
    listen(owner, "ready", listener, true); // the same as the one before
    emit(owner, "ready", undefined);
    assert.equal(seen.length, 2);
    unlisten(owner, "ready", listener, true);
    emit(owner, "ready", undefined);
    assert.equal(seen.length, 3);
    unlisten(owner, "ready", listener);
    unlisten(owner, "other", listener); // never added: nothing happens
    emit(owner, "ready", undefined);
    assert.equal(seen.length, 3);
  });

  it("dispatchTo works without listeners; null listeners are ignored, others are a TypeError", () => {
    const owner = {};
    assert.equal(dispatchTo(owner, new Event("x")), true);
    listen(owner, "x", null);
    unlisten(owner, "x", null);
    assert.throws(() => listen(owner, "x", "not a listener"), TypeError);
  });
});
