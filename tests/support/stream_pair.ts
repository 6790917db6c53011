/**
 * A socket as a pair of Web streams, for the `transport` option's tests: `Deno.connect` on Deno,
 * `node:net` through `Duplex.toWeb` elsewhere.
 *
 * @module
 */
import type { StreamPair } from "../../mod.ts";

/** A socket as a pair of Web streams, from whichever runtime runs the test. */
export async function openStreamPair(host: string, port: number): Promise<StreamPair> {
  const deno = (globalThis as { Deno?: typeof Deno }).Deno;
  if (deno) return await deno.connect({ hostname: host, port });
  const { connect: netConnect } = await import("node:net");
  const { Duplex } = await import("node:stream");
  const socket = netConnect({ host, port });
  await new Promise<void>((resolve, reject) =>
    socket.once("connect", resolve).once("error", reject)
  );
  const { readable, writable } = Duplex.toWeb(socket);
  return {
    readable: readable as ReadableStream<Uint8Array>,
    writable: writable as WritableStream<Uint8Array>,
    close: () => socket.destroy(),
  };
}
