/**
 * The `sentinels` option: where the sentinels are, and the credentials for
 * logging in to them (`"host:port"` or `redis://[user:pass@]host:port`
 * entries).
 *
 * @module
 */

import type { ConnectTarget } from "../net/transport.ts";
import { parseRedisUrl } from "../net/url.ts";

/** Where the sentinels are, and how to log in to them. */
export interface SentinelList {
  targets: ConnectTarget[];
  username?: string;
  password?: string;
}

/**
 * Parses the `sentinels` option: `"host:port"` or `redis://[user:pass@]host:port`
 * (`rediss://` for TLS) entries, as an array or one comma-separated string.
 */
export function parseSentinels(option: unknown): SentinelList {
  const entries = typeof option === "string" ? option.split(",") : option;
  if (!Array.isArray(entries) || entries.length === 0) {
    throw new TypeError(
      'Invalid option "sentinels": expected a list of "host:port" or redis:// URLs',
    );
  }
  const list: SentinelList = { targets: [] };
  for (const raw of entries) {
    if (typeof raw !== "string" || raw.trim() === "") {
      throw new TypeError('Invalid option "sentinels": every entry must be "host:port" or a URL');
    }
    const entry = raw.trim();
    const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) ? entry : `redis://${entry}`;
    let parsed;
    try {
      parsed = parseRedisUrl(url);
    } catch (error) {
      throw new TypeError(
        `Invalid option "sentinels": ${
          (error as Error).message.replace(/^Invalid Redis URL: /, "")
        }`,
      );
    }
    if (parsed.path !== undefined || parsed.host === undefined) {
      throw new TypeError('Invalid option "sentinels": a sentinel needs a host and a port');
    }
    list.targets.push({
      host: parsed.host,
      port: parsed.port ?? 26379,
      tls: parsed.tls ? {} : undefined,
    });
    list.username ??= parsed.username;
    list.password ??= parsed.password;
  }
  return list;
}
