/**
 * Prometheus-style metrics from redcache's command hooks, in plain code: a
 * latency histogram by command and outcome, and byte counters, written out in
 * the Prometheus text format (serve `render()` at `/metrics`). A metrics
 * library (prom-client, OpenTelemetry metrics) would take the same `end` hook.
 *
 * ```ts
 * import { connect } from "../../mod.ts";
 * import { CommandMetrics } from "./histogram.ts";
 *
 * const metrics = new CommandMetrics();
 * await using redis = await connect({ url: "redis://127.0.0.1:6379", hooks: metrics.hooks });
 * await redis.get("k");
 * console.log(metrics.render());
 * ```
 *
 * @module
 */
import { type CommandEnd, type CommandHooks, ReplyError } from "../../mod.ts";

/** Upper bounds of the latency buckets, in seconds (Prometheus' convention). */
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** One label set's histogram: counts per bucket (not cumulative until rendered), sum, count. */
interface Series {
  labels: string;
  buckets: number[];
  sum: number;
  count: number;
}

/** A latency histogram and byte counters of redcache commands. */
export class CommandMetrics {
  #series = new Map<string, Series>();
  #bytesOut = 0;
  #bytesIn = 0;

  /** The hooks to pass as the `hooks` option. */
  readonly hooks: CommandHooks = { end: (command) => this.observe(command) };

  /** Records one finished command. */
  observe(command: CommandEnd): void {
    const error = command.error;
    const outcome = error === undefined
      ? "ok"
      : error instanceof ReplyError
      ? error.code.toLowerCase()
      : error.name;
    const labels = `command="${command.name}",outcome="${outcome}",server="${command.address}"`;
    let series = this.#series.get(labels);
    if (series === undefined) {
      series = { labels, buckets: new Array(BUCKETS.length).fill(0), sum: 0, count: 0 };
      this.#series.set(labels, series);
    }
    const seconds = command.duration / 1000;
    const bucket = BUCKETS.findIndex((bound) => seconds <= bound);
    if (bucket >= 0) series.buckets[bucket]++;
    series.sum += seconds;
    series.count++;
    this.#bytesOut += command.bytesOut;
    this.#bytesIn += command.bytesIn;
  }

  /** The metrics in the Prometheus text exposition format. */
  render(): string {
    const lines = [
      "# HELP redis_command_duration_seconds Time from sending a command to its reply.",
      "# TYPE redis_command_duration_seconds histogram",
    ];
    for (const { labels, buckets, sum, count } of this.#series.values()) {
      let cumulative = 0;
      BUCKETS.forEach((bound, i) => {
        cumulative += buckets[i];
        lines.push(`redis_command_duration_seconds_bucket{${labels},le="${bound}"} ${cumulative}`);
      });
      lines.push(`redis_command_duration_seconds_bucket{${labels},le="+Inf"} ${count}`);
      lines.push(`redis_command_duration_seconds_sum{${labels}} ${sum}`);
      lines.push(`redis_command_duration_seconds_count{${labels}} ${count}`);
    }
    lines.push(
      "# TYPE redis_command_bytes_out_total counter",
      `redis_command_bytes_out_total ${this.#bytesOut}`,
      "# TYPE redis_command_bytes_in_total counter",
      `redis_command_bytes_in_total ${this.#bytesIn}`,
    );
    return lines.join("\n") + "\n";
  }
}
