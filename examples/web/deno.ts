/**
 * The web example on `Deno.serve`: `deno run -A examples/web/deno.ts` (with `REDIS_URL`).
 *
 * @module
 */
import { demoApp, port } from "./settings.ts";

const app = demoApp();
const server = Deno.serve({
  port,
  hostname: "127.0.0.1",
  onListen: ({ port }) => console.log(`listening on http://127.0.0.1:${port}`),
}, app.handler);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, async () => {
    await server.shutdown();
    await app.close();
    Deno.exit(0);
  });
}
