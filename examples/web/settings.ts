/**
 * What the example servers read from the environment: `REDIS_URL` (default
 * `redis://127.0.0.1:6379`), `PORT` (default 8000; 0 picks a free one) and `SESSION_SECRET`
 * (a fixed development secret when unset: set your own in production).
 *
 * @module
 */
import process from "node:process";
import { type Cache, createCache } from "../../mod.ts";
import { createDemoApp, type DemoApp } from "./app.ts";

/** The port to listen on. */
export const port = Number(process.env.PORT ?? 8000);

/** The secret that signs session cookies. */
export const secret = process.env.SESSION_SECRET ?? "development secret: change me in production!";

/** A cache on the configured Redis. */
export function demoCache(): Cache {
  return createCache({ url: process.env.REDIS_URL ?? "redis://127.0.0.1:6379", keyPrefix: "demo" });
}

/** The demo app on the configured Redis. */
export function demoApp(): DemoApp {
  return createDemoApp(demoCache(), secret);
}
