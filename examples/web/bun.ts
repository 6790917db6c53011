/**
 * The web example on `Bun.serve`: `bun examples/web/bun.ts` (with `REDIS_URL`).
 *
 * @module
 */
import process from "node:process";
import { demoApp, port } from "./settings.ts";

/** Bun's server, as far as this file uses it (the type checker here knows Deno, not Bun). */
declare const Bun: {
  serve(options: {
    port: number;
    hostname: string;
    fetch: (request: Request) => Response | Promise<Response>;
  }): { port: number; stop(closeActiveConnections?: boolean): Promise<void> };
};

/** Serves `handler` on `PORT` until SIGINT/SIGTERM, then stops and runs `close`. */
export function serveOnBun(
  handler: (request: Request) => Response | Promise<Response>,
  close: () => Promise<void>,
): void {
  const server = Bun.serve({ port, hostname: "127.0.0.1", fetch: handler });
  console.log(`listening on http://127.0.0.1:${server.port}`);
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.once(signal, async () => {
      await server.stop(true);
      await close();
      process.exit(0);
    });
  }
}

if (import.meta.main) {
  const app = demoApp();
  serveOnBun(app.handler, app.close);
}
