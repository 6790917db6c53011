// Every relative link in README.md must resolve on the JSR package page, where the README is shown
// with the published files only: the target must exist and be inside deno.json's
// `publish.include` (and not in `publish.exclude`). Anchors (`#section`) must name a heading.
//
//   node scripts/readme_links.mjs     prints the broken links and exits 1, or exits 0
import { existsSync, readFileSync } from "node:fs";
import { join, normalize } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

const ROOT = join(fileURLToPath(import.meta.url), "..", "..");

/** GitHub's anchor for a heading: lowercase, punctuation dropped, spaces as dashes. */
function anchor(heading) {
  return heading.trim().toLowerCase().replace(/`/g, "").replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");
}

/** Whether `path` (relative to ROOT) is covered by one of `patterns` (files or folders). */
function covered(path, patterns) {
  return patterns.some((pattern) => {
    const base = normalize(pattern).replace(/\/$/, "");
    return path === base || path.startsWith(`${base}/`);
  });
}

/** Broken relative links of README.md, one message each. */
export function brokenReadmeLinks() {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const config = JSON.parse(readFileSync(join(ROOT, "deno.json"), "utf8"));
  const include = config.publish?.include ?? [];
  const exclude = config.publish?.exclude ?? [];
  const prose = readme.replace(/```[\s\S]*?```/g, "");
  const anchors = new Set(
    [...prose.matchAll(/^#{1,6} (.+)$/gm)].map((match) => anchor(match[1])),
  );
  const broken = [];
  for (const [, target] of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z]+:/i.test(target)) continue;
    const [file, hash] = target.split("#");
    if (file === "") {
      if (!anchors.has(hash)) broken.push(`${target}: no such heading`);
      continue;
    }
    const path = normalize(file).replace(/\/$/, "");
    if (!existsSync(join(ROOT, path))) broken.push(`${target}: no such file`);
    else if (!covered(path, include) || covered(path, exclude)) {
      broken.push(
        `${target}: not published (add it to deno.json publish.include, or link it absolutely)`,
      );
    }
  }
  return broken;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const broken = brokenReadmeLinks();
  for (const line of broken) console.error(`README.md: ${line}`);
  process.exit(broken.length === 0 ? 0 : 1);
}
