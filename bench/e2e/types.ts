/**
 * The interfaces shared by the end-to-end harness, its client adapters and
 * its workloads.
 *
 * @module
 */

/** Where the benchmark server listens; adapters pick TCP or the Unix socket. */
export interface Target {
  host: string;
  port: number;
  /** The server's Unix socket. */
  path: string;
  /** Connect through `path` instead of `host:port`. */
  unix: boolean;
}

/** One client under test, reduced to what the workloads need. */
export interface BenchClient {
  /** Column name in the report, e.g. `ioredis`. */
  readonly name: string;
  /** `GET` as a string. */
  get(key: string): Promise<string | null>;
  /** `GET` as bytes (see the adapter's `note` when the client has no byte mode). */
  getBuffer(key: string): Promise<Uint8Array | null>;
  /** `SET key value`. */
  set(key: string, value: string | Uint8Array): Promise<unknown>;
  /** `MGET` of all `keys` in one command. */
  mget(keys: string[]): Promise<unknown[]>;
  /** All `SET`s in one pipeline; rejects if any of them failed. */
  pipelineSet(entries: [string, string][]): Promise<void>;
  /** Closes every connection the client opened. */
  close(): Promise<void>;
}

/** A client library: how to name it, version it and connect it. */
export interface ClientAdapter {
  /** Column name in the report. */
  readonly name: string;
  /** False where the client cannot run (Bun's client on Deno). */
  available(): boolean;
  /** Library version, e.g. `ioredis 6.0.0`. */
  version(): string;
  /** How the adapter drives the client, printed under the table. */
  note(): string;
  /** Connects and resolves once the client can send commands. */
  create(target: Target): Promise<BenchClient>;
}

/** One timed run of one workload on one client. */
export interface Measurement {
  /** ops/s or MiB/s, as the workload's `unit` says. */
  value: number;
  /** Median latency in µs (sequential workloads only). */
  p50?: number;
  /** 99th percentile latency in µs (sequential workloads only). */
  p99?: number;
}

/** A workload: data it needs, a correctness check and a timed run. */
export interface Workload {
  /** Used by `--only=`, e.g. `sequential-get`. */
  readonly id: string;
  /** Row name in the report, e.g. `sequential GET`. */
  readonly title: string;
  readonly unit: "ops/s" | "MiB/s";
  /** Operations in one full run (GETs, SETs, MGETs). */
  readonly count: number;
  /** Short description of what one run does, for the report. */
  describe(count: number): string;
  /** Writes the data the workload reads, through a reference client. */
  setup(seed: BenchClient): Promise<void>;
  /** Throws unless `client` returns the right values for this workload. */
  verify(client: BenchClient, seed: BenchClient): Promise<void>;
  /** Runs `count` operations (rounded to the workload's batch size) and times them. */
  run(client: BenchClient, count: number): Promise<Measurement>;
}
