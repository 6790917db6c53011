/**
 * The shape of a standard HTTP handler, as `Deno.serve`, `Bun.serve({ fetch })`
 * and Cloudflare Workers take it. The web helpers wrap one handler into
 * another of the same shape.
 *
 * @module
 */

/**
 * A function from a `Request` to a `Response`.
 *
 * @example Serving a handler
 * ```ts
 * import type { Handler } from "@redcache/redcache";
 *
 * const hello: Handler = (request) => new Response(`Hello from ${new URL(request.url).pathname}`);
 * Deno.serve(hello);
 * ```
 */
export type Handler = (request: Request) => Response | Promise<Response>;
