// A throwaway redis-server for the demos: a free loopback port, a temporary directory, no
// persistence. `startServer(dir)` resolves once it answers PING; stop it with `stopServer`.
import { spawn } from "node:child_process";
import net from "node:net";
import { join } from "node:path";

export const HOST = "127.0.0.1";

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Sends raw RESP and resolves with the first reply line (rejects on connection errors). */
export function send(port, command) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: HOST, port });
    const timer = setTimeout(() => socket.destroy(new Error("timeout")), 1000);
    let data = "";
    socket.once("connect", () => {
      socket.write(
        `*${command.length}\r\n${command.map((a) => `$${a.length}\r\n${a}\r\n`).join("")}`,
      );
    });
    socket.on("data", (chunk) => {
      data += chunk;
      if (data.includes("\r\n")) {
        clearTimeout(timer);
        socket.destroy();
        resolve(data.slice(0, data.indexOf("\r\n")));
      }
    });
    socket.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

export async function startServer(dir) {
  const port = await freePort();
  const args = ["--port", String(port), "--bind", HOST, "--save", "", "--appendonly", "no"];
  args.push("--daemonize", "no", "--dir", dir, "--logfile", join(dir, "redis.log"));
  const child = spawn("redis-server", args, { stdio: "ignore" });
  const exited = new Promise((resolve) => child.once("close", resolve));
  child.once("error", (error) => console.error(`redis-server: ${error.message}`));
  for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    if (await send(port, ["PING"]).then((reply) => reply === "+PONG", () => false)) {
      return { port, child, exited };
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill("SIGKILL");
  await exited;
  throw new Error(`redis-server did not start; see ${join(dir, "redis.log")}`);
}

/** Stops a server started by `startServer` (SIGTERM, then SIGKILL after 3 s). */
export async function stopServer(server) {
  if (server && server.child.exitCode === null && server.child.signalCode === null) {
    server.child.kill("SIGTERM");
    const timer = setTimeout(() => server.child.kill("SIGKILL"), 3000);
    await server.exited;
    clearTimeout(timer);
  }
}
