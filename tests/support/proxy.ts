/**
 * A loopback TCP proxy between a client and a real `redis-server`, for fault injection: delay,
 * blackhole, cut a reply after N bytes, deliver replies one byte at a time, inject bytes, drop
 * connections.
 *
 * ```ts
 * await using proxy = await startProxy({ host: server.host, port: server.port });
 * await using redis = await connect(proxy.url);
 * proxy.cutAfter(100); // the next 100 bytes of replies pass, then every connection is destroyed
 * ```
 *
 * Each accepted client connection gets its own upstream connection to the target. Data is
 * forwarded chunk by chunk, in order, in each direction ("up": client → server, "down":
 * server → client). A FIN from either side is forwarded once the data queued before it has been.
 * `close()` destroys every socket, clears every timer and immediate it set, and resolves once the
 * listener and all sockets are closed, leaving nothing for Deno's sanitizers.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import net from "node:net";

/** Which way data flows: `up` is client → server, `down` is server → client. */
export type Direction = "up" | "down";

/** A running proxy. */
export interface Proxy extends AsyncDisposable {
  /** `127.0.0.1` */
  readonly host: string;
  /** The proxy's listening port. */
  readonly port: number;
  /** `redis://127.0.0.1:PORT` */
  readonly url: string;
  /** Client connections accepted so far. */
  readonly connections: number;
  /** Client connections currently open (accepted and not yet closed on both sides). */
  readonly open: number;
  /**
   * For each accepted client connection, in order: when (epoch ms) the proxy saw the client's
   * side end (FIN) or close (a reset, or the proxy destroying it), or `undefined` while it has not.
   * A FIN is not seen while stalled (nothing is read).
   */
  readonly clientClosedAt: readonly (number | undefined)[];
  /** Bytes received from clients so far (while blackholed too; not while stalled). */
  readonly bytesUp: number;
  /** Delays each forwarded chunk by `ms` after it arrived (order is kept). `0` turns it off. */
  setDelay(ms: number, direction?: Direction | "both"): void;
  /**
   * While on, nothing is forwarded in either direction and nothing is closed: data arriving, and
   * data queued (delayed, or waiting to go out byte by byte), is dropped.
   */
  blackhole(on: boolean): void;
  /**
   * While on, the proxy stops reading from every socket (current and new ones): what a client
   * writes piles up in the kernel's buffers and its writes stall, the closest loopback gets to a
   * peer that no longer acknowledges. Turning it off reads (and forwards, unless blackholed) on.
   */
  stall(on: boolean): void;
  /**
   * Forwards `bytes` more bytes in `direction` (counted across connections), then destroys both
   * sockets of every current connection. With `0`, the next chunk in that direction triggers the
   * cut and none of it passes. Later connections are not affected (the cut fires once).
   */
  cutAfter(bytes: number, direction?: Direction): void;
  /** While on, server → client data is written one byte per write, a `setImmediate` apart. */
  byteByByte(on: boolean): void;
  /** Writes raw bytes to every connected client, as if the server had sent them. */
  inject(data: string | Uint8Array): void;
  /** Destroys every current connection (both sockets). */
  dropAll(): void;
  /** Destroys every connection and stops listening. Idempotent. */
  close(): Promise<void>;
}

interface Chunk {
  data: Buffer;
  /** When it arrived (epoch ms), for the delay. */
  at: number;
}

/** One direction of one connection. */
interface Pipe {
  direction: Direction;
  source: net.Socket;
  destination: net.Socket;
  queue: Chunk[];
  /** A delay timer or a byte-by-byte write is under way. */
  busy: boolean;
  /** The source sent FIN (or closed): end the destination once the queue is empty. */
  ended: boolean;
}

interface Link {
  client: net.Socket;
  upstream: net.Socket;
  up: Pipe;
  down: Pipe;
  /** Resolves once both sockets emitted `close`. */
  closed: Promise<void>;
}

const HOST = "127.0.0.1";

/** Starts a proxy on a free port of 127.0.0.1 that forwards to `target`. */
export async function startProxy(target: { host: string; port: number }): Promise<Proxy> {
  const links = new Set<Link>();
  const allClosed = new Set<Promise<void>>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const immediates = new Set<ReturnType<typeof setImmediate>>();
  const delay: Record<Direction, number> = { up: 0, down: 0 };
  let blackholed = false;
  let stalled = false;
  const clientClosedAt: (number | undefined)[] = [];
  let bytesUp = 0;
  let slowDown = false;
  let cut: { direction: Direction; remaining: number } | undefined;
  /** Set while a cut's last bytes are being written: nothing else is forwarded meanwhile. */
  let cutting = false;
  let accepted = 0;
  let closing: Promise<void> | undefined;

  const later = (fn: () => void, ms: number) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };
  const soon = (fn: () => void) => {
    const immediate = setImmediate(() => {
      immediates.delete(immediate);
      fn();
    });
    immediates.add(immediate);
  };

  const destroyLink = (link: Link) => {
    link.up.queue.length = 0;
    link.down.queue.length = 0;
    link.client.destroy();
    link.upstream.destroy();
  };
  const destroyAll = () => {
    for (const link of links) destroyLink(link);
  };

  /**
   * Writes `data` to the pipe's destination, byte by byte if asked, then calls `done`; with
   * `flushed`, waits for the last write to be handed to the kernel before calling `done`.
   */
  const write = (pipe: Pipe, data: Buffer, done: () => void, flushed = false) => {
    const destination = pipe.destination;
    const last = (piece: Buffer) => {
      if (!flushed) {
        destination.write(piece);
        return done();
      }
      // Also on 'close', in case a destroyed socket never calls back.
      let called = false;
      const once = () => {
        if (called) return;
        called = true;
        destination.off("close", once);
        done();
      };
      destination.once("close", once);
      destination.write(piece, once);
    };
    if (destination.destroyed || data.length === 0) return done();
    if (pipe.direction === "up" || !slowDown || data.length === 1) return last(data);
    let i = 0;
    const step = () => {
      if (blackholed || destination.destroyed) return done(); // the rest is dropped
      if (i === data.length - 1) return last(data.subarray(i));
      destination.write(data.subarray(i, ++i));
      soon(step);
    };
    step();
  };

  const pump = (pipe: Pipe): void => {
    if (pipe.busy) return;
    for (;;) {
      if (blackholed || cutting) {
        pipe.queue.length = 0;
      }
      const chunk = pipe.queue[0];
      if (chunk === undefined) {
        if (pipe.ended && !pipe.destination.destroyed) pipe.destination.end();
        return;
      }
      const wait = chunk.at + delay[pipe.direction] - Date.now();
      if (wait > 0) {
        pipe.busy = true;
        later(() => {
          pipe.busy = false;
          pump(pipe);
        }, wait);
        return;
      }
      pipe.queue.shift();
      let data = chunk.data;
      let cutNow = false;
      if (cut !== undefined && cut.direction === pipe.direction) {
        if (data.length >= cut.remaining) {
          data = data.subarray(0, cut.remaining);
          cut = undefined;
          cutNow = true;
          cutting = true;
        } else {
          cut.remaining -= data.length;
        }
      }
      if (cutNow) {
        const finish = () => {
          cutting = false;
          destroyAll();
        };
        if (data.length === 0 || pipe.destination.destroyed) return finish();
        pipe.busy = true;
        // Destroy only once the last bytes are handed to the kernel, so the peer gets them.
        return write(pipe, data, finish, true);
      }
      if (pipe.direction === "down" && slowDown && data.length > 1) {
        pipe.busy = true;
        return write(pipe, data, () => {
          pipe.busy = false;
          pump(pipe);
        });
      }
      write(pipe, data, () => {});
    }
  };

  const server = net.createServer((client) => {
    const index = accepted++;
    clientClosedAt.push(undefined);
    const clientGone = () => clientClosedAt[index] ??= Date.now();
    client.on("end", clientGone);
    client.on("close", clientGone);
    client.on("data", (data: Buffer) => void (bytesUp += data.length));
    client.setNoDelay(true);
    const upstream = net.connect({ host: target.host, port: target.port });
    upstream.setNoDelay(true);
    const pipe = (direction: Direction, source: net.Socket, destination: net.Socket): Pipe => ({
      direction,
      source,
      destination,
      queue: [],
      busy: false,
      ended: false,
    });
    const socketClosed = (socket: net.Socket) =>
      new Promise<void>((resolve) => socket.once("close", () => resolve()));
    const link: Link = {
      client,
      upstream,
      up: pipe("up", client, upstream),
      down: pipe("down", upstream, client),
      closed: Promise.all([socketClosed(client), socketClosed(upstream)]).then(() => {}),
    };
    links.add(link);
    allClosed.add(link.closed);
    link.closed.then(() => {
      links.delete(link);
      allClosed.delete(link.closed);
    });
    if (closing !== undefined) return destroyLink(link);
    if (stalled) client.pause(), upstream.pause();
    for (const p of [link.up, link.down]) {
      p.source.on("error", () => {}); // resets are part of the job
      p.source.on("data", (data: Buffer) => {
        if (blackholed || cutting) return;
        p.queue.push({ data, at: Date.now() });
        pump(p);
      });
      p.source.on("end", () => {
        p.ended = true;
        pump(p);
      });
      p.source.on("close", (hadError: boolean) => {
        // An error (reset, refused) ends the whole connection at once; a clean close is a FIN
        // for the other side, once what was queued before it went out.
        if (hadError) return destroyLink(link);
        p.ended = true;
        pump(p);
        if (p.destination.destroyed) destroyLink(link);
      });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, HOST, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as net.AddressInfo;

  const close = () =>
    closing ??= (async () => {
      const listening = new Promise<void>((resolve) => server.close(() => resolve()));
      destroyAll();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const immediate of immediates) clearImmediate(immediate);
      immediates.clear();
      await Promise.all([listening, ...allClosed]);
      // A write's callback may have scheduled something while the sockets were closing.
      for (const timer of timers) clearTimeout(timer);
      for (const immediate of immediates) clearImmediate(immediate);
    })();

  return {
    host: HOST,
    port,
    url: `redis://${HOST}:${port}`,
    get connections() {
      return accepted;
    },
    get open() {
      return links.size;
    },
    get clientClosedAt() {
      return clientClosedAt;
    },
    get bytesUp() {
      return bytesUp;
    },
    stall(on) {
      stalled = on;
      for (const link of links) {
        for (const socket of [link.client, link.upstream]) on ? socket.pause() : socket.resume();
      }
    },
    setDelay(ms, direction = "both") {
      if (!(ms >= 0)) throw new RangeError(`setDelay: ${ms} is not a delay in ms`);
      if (direction !== "down") delay.up = ms;
      if (direction !== "up") delay.down = ms;
    },
    blackhole(on) {
      blackholed = on;
      if (on) { for (const link of links) link.up.queue.length = link.down.queue.length = 0; }
      else for (const link of links) pump(link.up), pump(link.down);
    },
    cutAfter(bytes, direction = "down") {
      if (!(bytes >= 0) || !Number.isInteger(bytes)) {
        throw new RangeError(`cutAfter: ${bytes} is not a byte count`);
      }
      cut = { direction, remaining: bytes };
    },
    byteByByte(on) {
      slowDown = on;
    },
    inject(data) {
      const bytes = typeof data === "string" ? Buffer.from(data) : data;
      for (const link of links) if (!link.client.destroyed) link.client.write(bytes);
    },
    dropAll: destroyAll,
    close,
    [Symbol.asyncDispose]: close,
  };
}
