/**
 * Parses `redis://`, `rediss://`, `unix://` and `redis+unix://` URLs. Errors
 * name the part that is wrong and never repeat the URL, which may hold a
 * password.
 *
 * @module
 */

import { durationMs } from "../util/duration.ts";

/** The connection settings that a URL can carry. */
export interface UrlSettings {
  host?: string;
  port?: number;
  path?: string;
  username?: string;
  password?: string;
  db?: number;
  name?: string;
  tls?: true;
  connectTimeout?: number;
  commandTimeout?: number;
  protocol?: 2 | 3;
}

const QUERY_KEYS = [
  "db",
  "password",
  "username",
  "name",
  "connectTimeout",
  "commandTimeout",
  "protocol",
] as const;

function decode(part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new TypeError(`Invalid Redis URL: the ${what} has a malformed percent-encoding`);
  }
}

/** Parses a non-negative integer, or throws a `TypeError` naming `what`. */
export function parseCount(value: string, what: string): number {
  if (!/^\d{1,15}$/.test(value)) {
    throw new TypeError(
      `Invalid ${what} "${value.slice(0, 40)}" in Redis URL: expected a whole number`,
    );
  }
  return Number(value);
}

/** Parses a duration such as `5s` from the query, or throws a `TypeError` naming `what`. */
function parseUrlDuration(value: string, what: string): number {
  const ms = durationMs(value);
  if (Number.isNaN(ms) || ms > 2 ** 31 - 1) {
    throw new TypeError(
      `Invalid ${what} "${
        value.slice(0, 40)
      }" in Redis URL: expected milliseconds or a duration such as 5s`,
    );
  }
  return ms;
}

/** Parses a Redis URL into connection settings. */
export function parseRedisUrl(url: string): UrlSettings {
  if (typeof url !== "string") throw new TypeError("Invalid Redis URL: expected a string");
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^?#]*)(\?[^#]*)?(#.*)?$/.exec(url);
  if (match === null) {
    throw new TypeError(
      "Invalid Redis URL: expected redis://, rediss://, unix:// or redis+unix:// followed by a host or path",
    );
  }
  const scheme = match[1].toLowerCase();
  const rest = match[2];
  if (match[4] !== undefined) {
    throw new TypeError("Invalid Redis URL: a fragment (#…) is not allowed");
  }
  const settings: UrlSettings = {};
  switch (scheme) {
    case "redis":
    case "rediss":
      parseNetwork(rest, settings);
      if (scheme === "rediss") settings.tls = true;
      break;
    case "unix":
    case "redis+unix":
      parseUnix(rest, settings);
      break;
    default:
      throw new TypeError(
        `Invalid Redis URL: unknown scheme "${
          scheme.slice(0, 20)
        }:", expected redis:, rediss:, unix: or redis+unix:`,
      );
  }
  if (match[3] !== undefined) parseQuery(match[3].slice(1), settings);
  return settings;
}

function parseUserInfo(userInfo: string, settings: UrlSettings): void {
  const colon = userInfo.indexOf(":");
  const user = colon < 0 ? userInfo : userInfo.slice(0, colon);
  if (user !== "") settings.username = decode(user, "username");
  if (colon >= 0) {
    const password = userInfo.slice(colon + 1);
    if (password !== "") settings.password = decode(password, "password");
  }
}

function parseNetwork(rest: string, settings: UrlSettings): void {
  const slash = rest.indexOf("/");
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? "" : rest.slice(slash + 1);
  const at = authority.lastIndexOf("@");
  if (at >= 0) parseUserInfo(authority.slice(0, at), settings);
  const hostPort = authority.slice(at + 1);
  let host: string;
  let port: string | undefined;
  if (hostPort.startsWith("[")) {
    const close = hostPort.indexOf("]");
    if (close < 0) throw new TypeError("Invalid Redis URL: unclosed [ in an IPv6 host");
    host = hostPort.slice(1, close);
    const after = hostPort.slice(close + 1);
    if (after !== "") {
      if (!after.startsWith(":")) {
        throw new TypeError("Invalid Redis URL: expected : after an IPv6 host");
      }
      port = after.slice(1);
    }
  } else {
    const colon = hostPort.lastIndexOf(":");
    host = colon < 0 ? hostPort : hostPort.slice(0, colon);
    if (colon >= 0) port = hostPort.slice(colon + 1);
  }
  if (host !== "") {
    if (/[\s/\\]/.test(host)) {
      throw new TypeError("Invalid Redis URL: the host has invalid characters");
    }
    settings.host = decode(host, "host");
  }
  if (port !== undefined && port !== "") settings.port = checkPort(port);
  if (path !== "") {
    const db = path.endsWith("/") ? path.slice(0, -1) : path;
    if (db !== "") settings.db = parseCount(db, "database");
  }
}

/** Validates a port given as text. */
function checkPort(port: string): number {
  if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
    throw new TypeError(`Invalid port "${port.slice(0, 20)}" in Redis URL: expected 1 to 65535`);
  }
  return Number(port);
}

function parseUnix(rest: string, settings: UrlSettings): void {
  const at = rest.lastIndexOf("@", rest.indexOf("/") < 0 ? rest.length : rest.indexOf("/"));
  let path = rest;
  if (at >= 0 && !rest.startsWith("/")) {
    parseUserInfo(rest.slice(0, at), settings);
    path = rest.slice(at + 1);
  }
  if (!path.startsWith("/")) {
    throw new TypeError(
      "Invalid Redis URL: a unix:// URL needs an absolute socket path, as in unix:///run/redis.sock",
    );
  }
  settings.path = decode(path, "socket path");
}

/** Where a setting that the query repeats was given first, outside the query. */
const OUTSIDE_QUERY: Partial<Record<keyof UrlSettings, string>> = {
  username: "the user info",
  password: "the user info",
  db: "the path",
};

/**
 * Refuses a setting given twice (user info or path, and query; or twice in the
 * query): which one was meant is a guess, and a wrong password or db guessed
 * silently is worse than an error. Names the setting, never its values.
 */
function checkOnce(key: string, settings: UrlSettings, seen: Set<string>): void {
  if (seen.has(key)) {
    throw new TypeError(`Invalid Redis URL: "${key}" is given twice in the query; give it once`);
  }
  seen.add(key);
  const first = OUTSIDE_QUERY[key as keyof UrlSettings];
  if (first !== undefined && settings[key as keyof UrlSettings] !== undefined) {
    throw new TypeError(
      `Invalid Redis URL: "${key}" is given twice, in ${first} and in the query; give it once`,
    );
  }
}

function parseQuery(query: string, settings: UrlSettings): void {
  if (query === "") return;
  const seen = new Set<string>();
  for (const pair of query.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const key = decode(eq < 0 ? pair : pair.slice(0, eq), "query");
    const value = eq < 0 ? "" : decode(pair.slice(eq + 1).replace(/\+/g, " "), `value of ${key}`);
    if ((QUERY_KEYS as readonly string[]).includes(key)) checkOnce(key, settings, seen);
    switch (key) {
      case "db":
        settings.db = parseCount(value, "database");
        break;
      case "password":
        settings.password = value;
        break;
      case "username":
        settings.username = value;
        break;
      case "name":
        settings.name = value;
        break;
      case "connectTimeout":
      case "commandTimeout":
        // Milliseconds, or a duration such as "5s", as in the options.
        settings[key] = /^\d+$/.test(value) ? parseCount(value, key) : parseUrlDuration(value, key);
        break;
      case "protocol":
        if (value !== "2" && value !== "3") {
          throw new TypeError(
            `Invalid protocol "${value.slice(0, 10)}" in Redis URL: expected 2 or 3`,
          );
        }
        settings.protocol = Number(value) as 2 | 3;
        break;
      default:
        throw new TypeError(
          `Unknown option "${key.slice(0, 40)}" in Redis URL: expected one of ${
            QUERY_KEYS.join(", ")
          }`,
        );
    }
  }
}
