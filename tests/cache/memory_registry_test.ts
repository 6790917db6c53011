import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { sharedMemoryStore } from "../../src/cache/stores/memory_registry.ts";

describe("sharedMemoryStore", () => {
  it("gives handles of one name the same store, and other names their own", async () => {
    const a = sharedMemoryStore("registry-test-1", {});
    const b = sharedMemoryStore("registry-test-1", {});
    const other = sharedMemoryStore("registry-test-2", {});
    await a.set("k", "v", null);
    assert.equal(await b.get("k", "text"), "v");
    assert.equal(await other.get("k", "text"), null);
    await Promise.all([a.close(), b.close(), other.close()]);
  });

  it("keeps the store until its last handle closes, then empties it", async () => {
    const a = sharedMemoryStore("registry-test-3", {});
    const b = sharedMemoryStore("registry-test-3", {});
    await a.set("k", "v", null);
    await a.close();
    await a.close(); // a second close of one handle does not count twice
    assert.equal(await b.get("k", "text"), "v");
    await b.close();
    const c = sharedMemoryStore("registry-test-3", {});
    assert.equal(await c.get("k", "text"), null);
    await c.close();
  });
});
