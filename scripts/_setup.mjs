// Shared setup for scripts/test.mjs and scripts/demo.mjs (plain Node ESM, no dependencies):
// makes sure the system tools and the two JS runtimes are installed.
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync } from "node:fs";
import { delimiter, dirname, join, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

/** Repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Runtimes installed by npm (package.json devDependencies). */
export const BIN = {
  deno: join(ROOT, "node_modules", ".bin", "deno"),
  bun: join(ROOT, "node_modules", ".bin", "bun"),
};

const TOOLS = ["redis-server", "redis-sentinel", "redis-cli", "openssl"];
/** Debian packages providing TOOLS (redis-cli comes with redis-tools, a redis-server dependency). */
const PACKAGES = ["redis-server", "redis-sentinel", "redis-tools", "openssl"];

/** Whether `command` is an executable on PATH. */
export function onPath(command) {
  return (process.env.PATH ?? "").split(delimiter).some((dir) => {
    try {
      accessSync(join(dir || ".", command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function run(command, args, options = {}) {
  console.error(`$ ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { stdio: "inherit", cwd: ROOT, ...options });
  if (result.error) fail(`${command}: ${result.error.message}`);
  return result.status ?? 1;
}

/** Thrown when the environment cannot be set up; the message says what to do. */
export class SetupError extends Error {}

function fail(message) {
  throw new SetupError(message);
}

/**
 * Installs redis-server, redis-sentinel, redis-cli and openssl with apt-get if missing (root
 * only); throws a {@link SetupError} naming the Debian packages otherwise.
 */
export function ensureTools() {
  let missing = TOOLS.filter((tool) => !onPath(tool));
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot || !onPath("apt-get")) {
    fail(
      `Missing tools: ${missing.join(", ")}.\n` +
        `Install them, e.g. on Debian/Ubuntu: sudo apt-get install -y ${PACKAGES.join(" ")}`,
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  if (run("apt-get", ["update"], { env }) !== 0) fail("apt-get update failed");
  if (run("apt-get", ["install", "-y", ...PACKAGES], { env }) !== 0) {
    fail("apt-get install failed");
  }
  missing = TOOLS.filter((tool) => !onPath(tool));
  if (missing.length > 0) fail(`Still missing after apt-get install: ${missing.join(", ")}`);
}

/** Installs the npm dependencies (which include deno and bun) if either runtime is missing. */
export function ensureRuntimes() {
  if (existsSync(BIN.deno) && existsSync(BIN.bun)) return;
  // `npm install`, not `npm ci`: npm 11 leaves other platforms' optional
  // packages (@deno/darwin-*, …) out of the lock and then `npm ci` refuses
  // it. `npm install` still installs the versions the lock pins.
  const status = run("npm", ["install", "--no-audit", "--no-fund"]);
  if (status !== 0) fail("npm install failed");
  for (const bin of Object.values(BIN)) {
    if (!existsSync(bin)) fail(`${bin} is still missing after npm install`);
  }
}

/** Both of the above. */
export function ensureAll() {
  ensureTools();
  ensureRuntimes();
}
