/**
 * The server `bench/web/run.mjs` loads: one handler, served by `Deno.serve` or `Bun.serve`
 * (whichever runtime runs this file), on the port in `PORT` (0: any; the port is printed as
 * `listening <port>`). `MODE` picks the handler:
 *
 * - `static`: a prebuilt 2 KiB HTML `Response`, the floor;
 * - `uncached`: the same page after ~5 ms of work (a timer, as a database query would take);
 * - `cached`: `uncached` behind `cacheResponses` on `REDIS_URL` (hits once warm).
 *
 * @module
 */
import process from "node:process";
import { cacheResponses, createCache } from "../../mod.ts";

/** Bun's server, as far as this file uses it (Deno's types do not know Bun). */
interface BunServe {
  serve(options: {
    port: number;
    hostname: string;
    fetch: (request: Request) => Response | Promise<Response>;
  }): { port: number };
}

const env = (name: string, fallback?: string): string => {
  const value = process.env[name];
  if (value !== undefined) return value;
  if (fallback === undefined) throw new Error(`Missing environment variable ${name}`);
  return fallback;
};

const mode = env("MODE");
const page = `<!doctype html><title>report</title><p>${"redcache ".repeat(220)}</p>`;
const headers = { "content-type": "text/html; charset=utf-8" };

const render = async (_request: Request): Promise<Response> => {
  await new Promise((resolve) => setTimeout(resolve, 5));
  return new Response(page, { headers });
};

const cache = mode === "cached"
  ? createCache({ url: env("REDIS_URL"), keyPrefix: "bench-web" })
  : undefined;
const handler = mode === "static"
  ? (_request: Request) => new Response(page, { headers })
  : mode === "uncached"
  ? render
  : cacheResponses(render, { cache: cache!, ttl: "1h" });

const port = Number(env("PORT", "0"));
if (typeof Deno !== "undefined") {
  const server = Deno.serve({ port, hostname: "127.0.0.1", onListen: () => {} }, handler);
  console.log(`listening ${server.addr.port} ${process.pid}`);
} else {
  const bun = (globalThis as unknown as { Bun: BunServe }).Bun;
  const server = bun.serve({ port, hostname: "127.0.0.1", fetch: handler });
  console.log(`listening ${server.port} ${process.pid}`);
}
