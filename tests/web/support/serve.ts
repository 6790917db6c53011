/**
 * A real HTTP server on loopback for web tests, on whichever runtime runs the test:
 * `Deno.serve` or `Bun.serve`, on a free port.
 *
 * ```ts
 * await using server = serve((request) => new Response("hi"));
 * const response = await fetch(`${server.url}/`);
 * ```
 *
 * @module
 */

/** A request handler, as both runtimes take it. */
export type Handler = (request: Request) => Response | Promise<Response>;

/** A running server. */
export interface TestServer extends AsyncDisposable {
  /** `http://127.0.0.1:PORT` (no trailing slash). */
  readonly url: string;
  /** Stops listening and closes open connections; safe to call twice. */
  close(): Promise<void>;
}

/** Bun's server, as far as this file uses it (Deno's types do not know Bun). */
interface BunRuntime {
  serve(options: { port: number; hostname: string; fetch: Handler }): {
    port: number;
    stop(closeActiveConnections?: boolean): Promise<void> | void;
  };
}

/**
 * Serves `handler` on `127.0.0.1` and a free port. A handler that throws answers a plain 500 on
 * both runtimes (Bun would otherwise report the error as the test's).
 */
export function serve(handler: Handler): TestServer {
  const fetch = async (request: Request): Promise<Response> => {
    try {
      return await handler(request);
    } catch {
      return new Response("Internal Server Error", { status: 500 });
    }
  };
  const bun = (globalThis as { Bun?: BunRuntime }).Bun;
  let closing: Promise<void> | undefined;
  if (bun !== undefined) {
    const server = bun.serve({ port: 0, hostname: "127.0.0.1", fetch });
    const close = () => closing ??= Promise.resolve(server.stop(true));
    return { url: `http://127.0.0.1:${server.port}`, close, [Symbol.asyncDispose]: close };
  }
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, fetch);
  const close = () => closing ??= server.shutdown();
  return { url: `http://127.0.0.1:${server.addr.port}`, close, [Symbol.asyncDispose]: close };
}
