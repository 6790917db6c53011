/**
 * Reading a response body for the cache, up to a limit, without ever
 * holding more than the limit or breaking a body that turns out larger.
 *
 * @module
 */

const EMPTY = /* @__PURE__ */ new Uint8Array(0);

/** The outcome of `readLimited`: the whole body, or a response to pass through. */
export type LimitedBody =
  | { readonly bytes: Uint8Array; readonly response?: undefined }
  | { readonly bytes?: undefined; readonly response: Response };

/** `parts` joined into one array of `total` bytes. */
function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** A stream that replays `read` and then continues with what `reader` still has. */
function resumed(
  read: Uint8Array[],
  reader: ReadableStreamDefaultReader<Uint8Array>,
): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of read) controller.enqueue(chunk);
    },
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

/**
 * The whole body of `response` when it has at most `max` bytes; otherwise
 * the same response to pass on: untouched when its `Content-Length` is over
 * the limit (nothing read), else a copy whose body replays the chunks
 * already read and streams the rest.
 *
 * @param response A response whose body has not been read.
 * @param max Most bytes to hold.
 * @returns `{ bytes }` or `{ response }`.
 */
export async function readLimited(response: Response, max: number): Promise<LimitedBody> {
  const body = response.body;
  if (body === null) return { bytes: EMPTY };
  const length = response.headers.get("content-length");
  if (length !== null && Number(length) > max) return { response };
  const reader = body.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { bytes: total === 0 ? EMPTY : concat(parts, total) };
    parts.push(value);
    total += value.length;
    if (total > max) {
      const { status, statusText, headers } = response;
      return { response: new Response(resumed(parts, reader), { status, statusText, headers }) };
    }
  }
}
