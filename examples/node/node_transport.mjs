// A `transport` for Node.js: redcache opens its sockets through `Deno.connect`, Bun's sockets or
// workerd's `cloudflare:sockets`, and on any other runtime through the `transport` option, a
// function from a target to a `{ readable, writable }` pair of Web streams. On Node that pair is
// `Duplex.toWeb(socket)`. This file is the whole adapter; copy it into a Node project.
//
//   import { connect } from "@redcache/redcache";
//   import { nodeTransport } from "./node_transport.mjs";
//   const redis = await connect({ url: "redis://127.0.0.1:6379", transport: nodeTransport });
import net from "node:net";
import { Duplex } from "node:stream";
import tls from "node:tls";

/**
 * Opens a TCP, Unix or TLS socket to `target` and hands it over as Web streams.
 *
 * @param {import("@redcache/redcache").ConnectTarget} target
 * @returns {Promise<import("@redcache/redcache").StreamPair>}
 */
export function nodeTransport(target) {
  return new Promise((resolve, reject) => {
    const socket = open(target);
    const ready = target.tls !== undefined && target.path === undefined
      ? "secureConnect"
      : "connect";
    socket.once("error", reject);
    socket.once(ready, () => {
      socket.off("error", reject);
      const { readable, writable } = Duplex.toWeb(socket);
      resolve({ readable, writable, close: () => socket.destroy() });
    });
  });
}

/** @param {import("@redcache/redcache").ConnectTarget} target */
function open(target) {
  if (target.path !== undefined) return net.connect({ path: target.path });
  const options = target.tls;
  if (options === undefined) {
    return net.connect({ host: target.host, port: target.port, noDelay: true });
  }
  return tls.connect({
    host: target.host,
    port: target.port,
    servername: options.serverName ?? (net.isIP(target.host) ? undefined : target.host),
    ca: options.caCerts,
    cert: options.cert,
    key: options.key,
    rejectUnauthorized: options.insecure !== true,
    noDelay: true,
  });
}
