/**
 * The checks that turn `SessionsOptions` into settings, with the defaults
 * filled in.
 *
 * @module
 */

import { type CacheAccess, cacheAccess } from "../../cache/cache_access.ts";
import type { RedisTarget } from "../../client/target.ts";
import { durationOption, showValue } from "../../util/duration.ts";
import { checkOptionKeys } from "../../util/options.ts";
import type { SessionCookieOptions, SessionsOptions } from "./session_options.ts";

/** The cookie's attributes, checked. */
export interface CookieSettings {
  /** The cookie's name. */
  name: string;
  /** Send `Secure`. */
  secure: boolean;
  /** Send `HttpOnly`. */
  httpOnly: boolean;
  /** `SameSite`. */
  sameSite: "Strict" | "Lax" | "None";
  /** `Path`. */
  path: string;
  /** `Domain`, if any. */
  domain: string | undefined;
  /** `Max-Age` in seconds, or `null` for a browser-session cookie. */
  maxAgeSeconds: number | null;
}

/** `SessionsOptions`, checked and with defaults filled in. */
export interface SessionsSettings {
  /** The cache's internals: keys, coder. */
  access: CacheAccess;
  /** Where session commands go (the cache's client or router). */
  client: RedisTarget;
  /** Secrets, the signing one first. */
  secrets: readonly string[];
  /** The cookie's attributes. */
  cookie: CookieSettings;
  /** Time to live of a session in Redis, in ms. */
  ttlMs: number;
  /** Extend the TTL on every request with a session cookie. */
  rolling: boolean;
  /** The key part before the id. */
  namespace: string;
}

const WHERE = "sessions()";
const KNOWN_KEYS = ["cache", "secret", "secrets", "cookie", "ttl", "rolling", "namespace"];
const COOKIE_KEYS = ["name", "secure", "httpOnly", "sameSite", "path", "domain", "maxAge"];
const SAME_SITE = ["Strict", "Lax", "None"];
const MIN_SECRET_CHARS = 32;
/** A cookie name: an RFC 6265 token. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** A `Path` value: printable ASCII without `;`. */
const PATH = /^\/[\x20-\x3a\x3c-\x7e]*$/;
const DOMAIN = /^\.?[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/;

function checkSecret(secret: unknown, name: string): string {
  if (typeof secret !== "string") {
    throw new TypeError(`Invalid option "${name}": expected a string, got a ${typeof secret}`);
  }
  if (secret.length < MIN_SECRET_CHARS) {
    // The secret itself is never quoted.
    throw new TypeError(
      `Invalid option "${name}": a secret needs at least ${MIN_SECRET_CHARS} characters, this one has ${secret.length}`,
    );
  }
  return secret;
}

function resolveSecrets(options: SessionsOptions): string[] {
  const { secret, secrets } = options;
  if ((secret === undefined) === (secrets === undefined)) {
    throw new TypeError(`Invalid options for ${WHERE}: give exactly one of "secret" and "secrets"`);
  }
  if (secret !== undefined) return [checkSecret(secret, "secret")];
  if (!Array.isArray(secrets) || secrets.length === 0) {
    throw new TypeError('Invalid option "secrets": expected a non-empty array of strings');
  }
  return secrets.map((each, i) => checkSecret(each, `secrets[${i}]`));
}

function checkBoolean(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") {
    throw new TypeError(`Invalid option "${name}": expected a boolean, got ${showValue(value)}`);
  }
  return value;
}

function checkText(value: unknown, name: string, pattern: RegExp, expected: string): string {
  if (typeof value !== "string" || !pattern.test(value)) {
    throw new TypeError(`Invalid option "${name}": expected ${expected}, got ${showValue(value)}`);
  }
  return value;
}

function resolveCookie(cookie: SessionCookieOptions, ttlMs: number): CookieSettings {
  if (typeof cookie !== "object" || cookie === null) {
    throw new TypeError(`Invalid option "cookie": expected an object, got ${showValue(cookie)}`);
  }
  checkOptionKeys(cookie, COOKIE_KEYS, `${WHERE} cookie`);
  const sameSite = cookie.sameSite ?? "Lax";
  if (!SAME_SITE.includes(sameSite)) {
    throw new TypeError(
      `Invalid option "cookie.sameSite": expected "Strict", "Lax" or "None", got ${
        showValue(sameSite)
      }`,
    );
  }
  const secure = checkBoolean(cookie.secure, "cookie.secure", true);
  if (sameSite === "None" && !secure) {
    throw new TypeError('Invalid option "cookie.sameSite": "None" needs "secure: true"');
  }
  const maxAge = cookie.maxAge === undefined
    ? ttlMs
    : cookie.maxAge === null
    ? null
    : durationOption(cookie.maxAge, "cookie.maxAge", 1, Number.MAX_SAFE_INTEGER);
  return {
    name: checkText(cookie.name ?? "sid", "cookie.name", TOKEN, "a cookie name (a token)"),
    secure,
    httpOnly: checkBoolean(cookie.httpOnly, "cookie.httpOnly", true),
    sameSite,
    path: checkText(cookie.path ?? "/", "cookie.path", PATH, 'a path starting with "/"'),
    domain: cookie.domain === undefined
      ? undefined
      : checkText(cookie.domain, "cookie.domain", DOMAIN, "a domain name"),
    maxAgeSeconds: maxAge === null ? null : Math.ceil(maxAge / 1000),
  };
}

/**
 * Checks the options of `sessions()` and fills in the defaults.
 *
 * @param options The caller's options.
 * @returns The settings.
 * @throws {TypeError} For an unknown option, a bad value, a short secret, a
 *   missing cache or a cache without Redis (`memory://`).
 * @throws {RangeError} For a duration out of range.
 */
export function resolveSessionsOptions(options: SessionsOptions): SessionsSettings {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`Invalid options for ${WHERE}: expected an object`);
  }
  checkOptionKeys(options, KNOWN_KEYS, WHERE);
  if (typeof options.cache !== "object" || options.cache === null) {
    throw new TypeError('Invalid option "cache": expected a cache made by createCache()');
  }
  const access = cacheAccess(options.cache);
  const client = access.client;
  if (client === undefined) {
    throw new TypeError(
      'Invalid option "cache": sessions need a Redis cache, and a memory:// cache has no Redis',
    );
  }
  const secrets = resolveSecrets(options);
  const ttlMs = durationOption(options.ttl ?? "14d", "ttl", 1, Number.MAX_SAFE_INTEGER);
  return {
    access,
    client,
    secrets,
    cookie: resolveCookie(options.cookie ?? {}, ttlMs),
    ttlMs,
    rolling: checkBoolean(options.rolling, "rolling", false),
    namespace: checkText(
      options.namespace ?? "session",
      "namespace",
      /^[^\s]{1,100}$/,
      "a name without spaces",
    ),
  };
}
