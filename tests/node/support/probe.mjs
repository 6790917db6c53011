// Run by tests/node/node_test.ts on Node.js, bundled with redcache by esbuild: what a Node user
// gets. Prints one JSON line.
//
//   node probe.mjs no-transport   connect() and createCache() without `transport`: their errors
//   node probe.mjs tls            connect() over TLS through the Node transport (REDIS_URL, CA_FILE)
import { readFileSync } from "node:fs";
import process from "node:process";
import { connect, createCache } from "../../../mod.ts";
import { nodeTransport } from "../../../examples/node/node_transport.mjs";

const url = process.env.REDIS_URL;
const out = (value) => console.log(JSON.stringify(value));

switch (process.argv[2]) {
  case "no-transport": {
    const errors = [];
    for (const attempt of [() => connect(url), () => createCache({ url })]) {
      try {
        await attempt();
        errors.push(null);
      } catch (error) {
        errors.push({ name: error.name, message: error.message });
      }
    }
    out(errors);
    break;
  }
  case "tls": {
    const ca = readFileSync(process.env.CA_FILE, "utf8");
    const redis = await connect({ url, tls: { caCerts: [ca] }, transport: nodeTransport });
    await redis.set("node:tls", "secret-free");
    out({ value: await redis.get("node:tls") });
    await redis.close();
    break;
  }
  default:
    throw new Error(`unknown mode ${process.argv[2]}`);
}
