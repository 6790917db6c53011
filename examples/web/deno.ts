/**
 * The web example on `Deno.serve`: `deno run -A examples/web/deno.ts` (with `REDIS_URL`).
 *
 * @module
 */
import { demoApp, port } from "./settings.ts";

/** Serves `handler` on `PORT` until SIGINT/SIGTERM, then finishes requests and runs `close`. */
export function serveOnDeno(
  handler: (request: Request) => Response | Promise<Response>,
  close: () => Promise<void>,
): void {
  const server = Deno.serve({
    port,
    hostname: "127.0.0.1",
    onListen: ({ port }) => console.log(`listening on http://127.0.0.1:${port}`),
  }, handler);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, async () => {
      await server.shutdown();
      await close();
      Deno.exit(0);
    });
  }
}

if (import.meta.main) {
  const app = demoApp();
  serveOnDeno(app.handler, app.close);
}
