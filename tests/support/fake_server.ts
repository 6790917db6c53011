/**
 * The project's only fake: a tiny TCP server on 127.0.0.1 whose replies a test scripts by hand,
 * to exercise what a real Redis never sends (broken RESP, split frames, sudden disconnects).
 *
 * ```ts
 * await using fake = await startFakeServer((cmd, conn) => {
 *   if (answerHandshake(cmd, conn)) return;
 *   if (cmd[0] === "GET") return conn.writeSlowly("$5\r\nhello\r\n");
 *   conn.write(resp.error("ERR unexpected"));
 * });
 * ```
 *
 * Handlers run one at a time per connection, in the order commands arrived.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import net from "node:net";

/** One accepted client connection. */
export interface FakeConnection {
  /** Sends raw bytes (no-op once the socket is closed). */
  write(data: string | Uint8Array): void;
  /** Sends `data` in chunks of `chunkSize` bytes, each in its own write, `delayMs` apart. */
  writeSlowly(
    data: string | Uint8Array,
    options?: { chunkSize?: number; delayMs?: number },
  ): Promise<void>;
  /** Half-closes (FIN) after pending writes. */
  end(): void;
  /** Closes abruptly. */
  destroy(): void;
  /** Whether the socket is closed. */
  readonly closed: boolean;
  /** Commands received on this connection. */
  readonly commands: string[][];
  /** 1-based accept order. */
  readonly id: number;
}

/** Called for every complete command; may be async (the next command waits for it). */
export type FakeHandler = (command: string[], conn: FakeConnection) => void | Promise<void>;

/** A running fake server. */
export interface FakeServer extends AsyncDisposable {
  readonly host: string;
  readonly port: number;
  /** `redis://127.0.0.1:PORT` */
  readonly url: string;
  /** Number of connections accepted so far. */
  readonly connections: number;
  /** Every command received, in order, across connections. */
  readonly received: string[][];
  /** Errors thrown by the handler (the connection is destroyed when that happens). */
  readonly errors: unknown[];
  /** Destroys all sockets and closes the listener. Idempotent. */
  close(): Promise<void>;
}

/** Starts a fake server on a free port of 127.0.0.1. */
export async function startFakeServer(handler: FakeHandler): Promise<FakeServer> {
  const sockets = new Set<net.Socket>();
  const received: string[][] = [];
  const errors: unknown[] = [];
  let connections = 0;

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on("error", () => {}); // resets by the client are expected
    socket.on("close", () => sockets.delete(socket));
    const conn = connection(socket, ++connections);
    const parser = new CommandParser();
    let queue = Promise.resolve();
    socket.on("data", (chunk: Buffer) => {
      let commands: string[][];
      try {
        commands = parser.push(chunk);
      } catch (error) {
        errors.push(error);
        return void socket.destroy();
      }
      for (const command of commands) {
        received.push(command);
        (conn.commands as string[][]).push(command);
        queue = queue.then(() => handler(command, conn)).catch((error) => {
          errors.push(error);
          socket.destroy();
        });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  let closing: Promise<void> | undefined;
  const close = () =>
    closing ??= new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return {
    host: "127.0.0.1",
    port,
    url: `redis://127.0.0.1:${port}`,
    get connections() {
      return connections;
    },
    received,
    errors,
    close,
    [Symbol.asyncDispose]: close,
  };
}

function connection(socket: net.Socket, id: number): FakeConnection {
  const open = () => !socket.destroyed && socket.writable;
  return {
    id,
    commands: [],
    get closed() {
      return !open();
    },
    write(data) {
      if (open()) socket.write(data);
    },
    async writeSlowly(data, { chunkSize = 1, delayMs = 1 } = {}) {
      const bytes = typeof data === "string" ? Buffer.from(data) : data;
      for (let i = 0; i < bytes.length && open(); i += chunkSize) {
        if (i > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
        if (open()) socket.write(bytes.subarray(i, i + chunkSize));
      }
    },
    end: () => void socket.end(),
    destroy: () => void socket.destroy(),
  };
}

/** Incremental parser for client commands: RESP arrays of bulk strings (or inline commands). */
class CommandParser {
  #buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): string[][] {
    this.#buffer = this.#buffer.length ? Buffer.concat([this.#buffer, chunk]) : chunk;
    const commands: string[][] = [];
    for (let command = this.#next(); command; command = this.#next()) commands.push(command);
    return commands;
  }

  /** Parses one command from the buffer and consumes it, or returns undefined if incomplete. */
  #next(): string[] | undefined {
    const buf = this.#buffer;
    const lineEnd = (from: number) => {
      const end = buf.indexOf("\r\n", from);
      return end < 0 ? undefined : end;
    };
    let end = lineEnd(0);
    if (end === undefined) return undefined;
    if (buf[0] !== 0x2a /* '*' */) { // inline command: words separated by spaces
      this.#buffer = buf.subarray(end + 2);
      return buf.toString("utf8", 0, end).split(" ").filter((word) => word !== "");
    }
    const count = Number(buf.toString("latin1", 1, end));
    const args: string[] = [];
    let pos = end + 2;
    for (let i = 0; i < count; i++) {
      end = lineEnd(pos);
      if (end === undefined) return undefined;
      if (buf[pos] !== 0x24 /* '$' */) throw new Error("fake server: expected a bulk string");
      const length = Number(buf.toString("latin1", pos + 1, end));
      const start = end + 2;
      if (buf.length < start + length + 2) return undefined;
      args.push(buf.toString("utf8", start, start + length));
      pos = start + length + 2;
    }
    this.#buffer = buf.subarray(pos);
    return args;
  }
}

/** Builders for RESP replies. */
export const resp = {
  simple: (text: string): string => `+${text}\r\n`,
  error: (text: string): string => `-${text}\r\n`,
  int: (n: number | bigint): string => `:${n}\r\n`,
  bulk: (text: string | null): string =>
    text === null ? "$-1\r\n" : `$${Buffer.byteLength(text)}\r\n${text}\r\n`,
  /** RESP3 null. */
  null: (): string => "_\r\n",
  /** Array of already-encoded elements. */
  array: (items: string[]): string => `*${items.length}\r\n${items.join("")}`,
  /** RESP3 map of already-encoded keys and values. */
  map: (entries: Array<[string, string]>): string =>
    `%${entries.length}\r\n${entries.map(([k, v]) => k + v).join("")}`,
};

/** Options for {@linkcode answerHandshake}. */
export interface HandshakeOptions {
  /** 3 (default): HELLO is understood. 2: behave like Redis 5, answering HELLO with an error. */
  proto?: 2 | 3;
  /** Reported server version (default `"7.0.0"`). */
  version?: string;
}

/**
 * Answers the connection handshake like a Redis 7 standalone master: `HELLO` (RESP3 map, or a
 * RESP2 array for `HELLO 2`), `AUTH`, `SELECT`, `CLIENT ...` (+OK) and `PING` (+PONG).
 * Returns true if `command` was one of those.
 */
export function answerHandshake(
  command: string[],
  conn: FakeConnection,
  { proto = 3, version = "7.0.0" }: HandshakeOptions = {},
): boolean {
  const name = command[0]?.toUpperCase();
  switch (name) {
    case "HELLO": {
      if (proto === 2) {
        conn.write(resp.error("ERR unknown command 'HELLO', with args beginning with: "));
        return true;
      }
      const requested = command[1] === "2" ? 2 : 3;
      const fields: Array<[string, string]> = [
        [resp.bulk("server"), resp.bulk("redis")],
        [resp.bulk("version"), resp.bulk(version)],
        [resp.bulk("proto"), resp.int(requested)],
        [resp.bulk("id"), resp.int(conn.id)],
        [resp.bulk("mode"), resp.bulk("standalone")],
        [resp.bulk("role"), resp.bulk("master")],
        [resp.bulk("modules"), resp.array([])],
      ];
      conn.write(requested === 3 ? resp.map(fields) : resp.array(fields.flat()));
      return true;
    }
    case "CLIENT":
      conn.write(command[1]?.toUpperCase() === "ID" ? resp.int(conn.id) : resp.simple("OK"));
      return true;
    case "AUTH":
    case "SELECT":
      conn.write(resp.simple("OK"));
      return true;
    case "PING":
      conn.write(command.length > 1 ? resp.bulk(command[1]) : resp.simple("PONG"));
      return true;
    default:
      return false;
  }
}

/** A complete handler: the handshake via {@linkcode answerHandshake}, an error for the rest. */
export function helloHandler(proto: 2 | 3 = 3): FakeHandler {
  return (command, conn) => {
    if (answerHandshake(command, conn, { proto })) return;
    conn.write(resp.error(`ERR unknown command '${command[0]}'`));
  };
}
