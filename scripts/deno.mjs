// Runs the repo's Deno (node_modules/.bin/deno, else the one on PATH) with the given arguments.
// deno.json tasks go through this: inside `deno task`, node_modules/.bin comes first on PATH and
// the task runner mistakes the npm package's native deno binary for a JavaScript bin.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import process from "node:process";
import { BIN } from "./_setup.mjs";

const result = spawnSync(existsSync(BIN.deno) ? BIN.deno : "deno", process.argv.slice(2), {
  stdio: "inherit",
});
process.exit(result.status ?? 1);
