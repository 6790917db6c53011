import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { until } from "../support/wait.ts";
import { useRedis } from "../support/use_redis.ts";
import { resolveConnector, runtimeConnector } from "../../src/net/resolve.ts";
import { denoConnector } from "../../src/net/deno.ts";
import { bunConnector } from "../../src/net/bun.ts";
import type { ConnectTarget } from "../../src/net/transport.ts";

describe("net/resolve", () => {
  const fixture = useRedis();

  it("picks the socket API of the runtime it runs on", () => {
    const onDeno = typeof (globalThis as { Deno?: unknown }).Deno !== "undefined";
    assert.equal(runtimeConnector(), onDeno ? denoConnector : bunConnector);
  });

  it("asks resolveTarget where each attempt goes, and connects there", async () => {
    const asked: ConnectTarget[] = [];
    const connector = resolveConnector(undefined, (target) => {
      asked.push(target);
      return Promise.resolve({ ...target, host: fixture.server.host, port: fixture.server.port });
    });
    let text = "";
    let onClosed!: () => void;
    const closed = new Promise<void>((resolve) => (onClosed = resolve));
    const decoder = new TextDecoder();
    const transport = await connector({ host: "192.0.2.1", port: 1 }, {
      data: (chunk) => (text += decoder.decode(chunk)),
      closed: () => onClosed(),
    });
    await transport.write(new TextEncoder().encode("PING\r\n"));
    await until(() => text === "+PONG\r\n");
    transport.close();
    await closed;
    assert.deepEqual(asked, [{ host: "192.0.2.1", port: 1 }]);
  });
});
