import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { redirectTarget, retryDelay } from "../../src/cluster/redirects.ts";
import { ReplyError } from "../../src/errors.ts";

describe("redirectTarget", () => {
  it("reads the slot and the node of MOVED and ASK replies", () => {
    assert.deepEqual(
      redirectTarget(new ReplyError("MOVED 3999 127.0.0.1:6381"), "127.0.0.1:6380"),
      [3999, "127.0.0.1:6381"],
    );
    assert.deepEqual(
      redirectTarget(new ReplyError("ASK 12 10.0.0.2:7001"), "10.0.0.1:7000"),
      [12, "10.0.0.2:7001"],
    );
  });

  it("takes the replying node's host when the reply leaves it out", () => {
    assert.deepEqual(
      redirectTarget(new ReplyError("MOVED 7 :7002"), "10.0.0.1:7000"),
      [7, "10.0.0.1:7002"],
    );
    assert.deepEqual(
      redirectTarget(new ReplyError("MOVED 7 :7002"), "[::1]:7000"),
      [7, "[::1]:7002"],
    );
  });
});

describe("retryDelay", () => {
  it("doubles from 50 ms and stops at 1 s", () => {
    assert.deepEqual([1, 2, 3, 4, 5].map(retryDelay), [50, 100, 200, 400, 800]);
    assert.equal(retryDelay(6), 1_000);
    assert.equal(retryDelay(16), 1_000);
  });
});
