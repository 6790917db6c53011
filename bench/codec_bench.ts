/**
 * `deno bench` definitions for the RESP codec:
 *
 *     deno bench --allow-all bench/codec_bench.ts
 *
 * The workloads live in `codec_cases.ts` and are shared with `codec.ts`, which
 * also runs on Bun and reports MB/s and ops/s (`deno bench` reports time per
 * iteration only; divide a case's `bytes` / `ops` by it to get throughput).
 *
 * Baselines. `deno bench` compares every case of a group with its baseline by
 * time per iteration, so the baseline should be a run the others can be read
 * against:
 *
 * - decode: `+OK` ×1000, the cheapest reply there is: the decoder matches
 *   "OK" without allocating or decoding text, so the run is pure framing cost
 *   (find CR, dispatch on the type byte, hand the reply to the sink). The other 1000-reply batches (integers, 100-byte bulks) then
 *   read directly as "per-reply cost relative to bare framing", and the
 *   single-reply cases as "one 1 MiB bulk costs as much as N batches of
 *   1000 small replies".
 * - encode: `GET key:123` ×1000, the smallest realistic command, on the same
 *   reasoning: the SET batches read as per-command cost relative to it.
 *
 * The `ref:` cases do the same job without the codec (a plain TextDecoder
 * call, a plain copy, a naive string-based reader or writer); they are floors
 * or naive alternatives to compare single cases against, not baselines.
 *
 * @module
 */

import { allCases } from "./codec_cases.ts";

const baselines = new Set(["decode +OK x1000", "encode GET key:123 x1000"]);

for (const c of allCases) {
  const run = c.setup();
  Deno.bench({
    name: c.name,
    group: c.group,
    baseline: baselines.has(c.name),
    fn() {
      run();
    },
  });
}
