/**
 * The option and reply types of the geo commands, their argument builders
 * (options checked before anything is sent) and reply shapers (numbers from
 * RESP2 strings and RESP3 doubles alike).
 *
 * @module
 */

import type { RedisArg, RedisReply } from "../../resp/types.ts";
import { checkOptionKeys } from "../../util/options.ts";
import type { ReplyMapper } from "./base.ts";

/**
 * A position on Earth in degrees, as `GEOPOS` and `WITHCOORD` give it.
 *
 * @example
 * ```ts
 * import { connect, type GeoCoordinates } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const [berlin]: (GeoCoordinates | null)[] = await redis.geopos("shops", "berlin");
 * ```
 */
export interface GeoCoordinates {
  /** Degrees east, -180 to 180. */
  longitude: number;
  /** Degrees north, -85.05112878 to 85.05112878. */
  latitude: number;
}

/**
 * A member and its position, as `geoadd` takes it.
 *
 * @example
 * ```ts
 * import { connect, type GeoMember } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const shop: GeoMember = { longitude: 13.4, latitude: 52.52, member: "berlin" };
 * await redis.geoadd("shops", shop);
 * ```
 */
export interface GeoMember extends GeoCoordinates {
  /** The member's name. */
  member: string;
}

/**
 * A unit of distance: metres, kilometres, feet or miles.
 *
 * @example
 * ```ts
 * import { connect, type GeoUnit } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const unit: GeoUnit = "km";
 * await redis.geodist("shops", "berlin", "paris", unit);
 * ```
 */
export type GeoUnit = "m" | "km" | "ft" | "mi";

/**
 * Options of `GEOADD`: `nx` (only add) excludes `xx` (only update).
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.geoadd("shops", { longitude: 2.35, latitude: 48.86, member: "paris" }, { xx: true, ch: true });
 * ```
 */
export interface GeoAddOptions {
  /** Only add new members, never move existing ones. */
  nx?: boolean;
  /** Only move existing members, never add. */
  xx?: boolean;
  /** Count moved members too, not only added ones. */
  ch?: boolean;
}

/**
 * Where a search starts: a member of the set, or a position.
 *
 * @example
 * ```ts
 * import { connect, type GeoSearchFrom } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const here: GeoSearchFrom = { longitude: 13.4, latitude: 52.5 };
 * await redis.geosearch("shops", here, { radius: 5, unit: "km" });
 * ```
 */
export type GeoSearchFrom = { member: string } | GeoCoordinates;

/**
 * The area of a search: a circle (`radius`) or a box (`width` × `height`)
 * centred on the start, in `unit`.
 *
 * @example
 * ```ts
 * import { connect, type GeoSearchBy } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const box: GeoSearchBy = { width: 400, height: 200, unit: "km" };
 * await redis.geosearch("shops", { member: "berlin" }, box);
 * ```
 */
export type GeoSearchBy =
  | { radius: number; unit: GeoUnit }
  | { width: number; height: number; unit: GeoUnit };

/**
 * Options of `GEOSEARCHSTORE` (and of `GEOSEARCH`, without `storeDist`).
 * `any` needs `count`.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.geosearchstore("near", "shops", { member: "berlin" }, { radius: 50, unit: "km" }, {
 *   order: "ASC",
 *   count: 10,
 *   storeDist: true,
 * });
 * ```
 */
export interface GeoSearchStoreOptions {
  /** Nearest first (`ASC`) or farthest first (`DESC`); unsorted when omitted. */
  order?: "ASC" | "DESC";
  /** At most this many matches. */
  count?: number;
  /** Stop at the first `count` matches found, not the nearest `count`. */
  any?: boolean;
  /** Store each member's distance as its score instead of its geohash. */
  storeDist?: boolean;
}

/**
 * Options of `GEOSEARCH`: any `with…` flag turns the reply into
 * `{ member, distance?, hash?, coordinates? }` objects.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.geosearch("shops", { member: "berlin" }, { radius: 50, unit: "km" }, {
 *   order: "ASC",
 *   withDist: true,
 * });
 * ```
 */
export interface GeoSearchOptions {
  /** Nearest first (`ASC`) or farthest first (`DESC`); unsorted when omitted. */
  order?: "ASC" | "DESC";
  /** At most this many matches. */
  count?: number;
  /** Stop at the first `count` matches found, not the nearest `count`. */
  any?: boolean;
  /** Each match's position. */
  withCoord?: boolean;
  /** Each match's distance from the start, in the search's unit. */
  withDist?: boolean;
  /** Each match's raw 52-bit geohash (its score in the set). */
  withHash?: boolean;
}

/**
 * A `GEOSEARCH` match with what the `with…` options asked for.
 *
 * @example
 * ```ts
 * import { connect, type GeoSearchResult } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * const near: GeoSearchResult[] = await redis.geosearch(
 *   "shops",
 *   { longitude: 13.4, latitude: 52.5 },
 *   { radius: 10, unit: "km" },
 *   { withDist: true, withCoord: true },
 * );
 * ```
 */
export interface GeoSearchResult {
  /** The member. */
  member: string;
  /** Its distance from the start, in the search's unit (with `withDist`). */
  distance?: number;
  /** Its 52-bit geohash (with `withHash`). */
  hash?: number;
  /** Its position (with `withCoord`). */
  coordinates?: GeoCoordinates;
}

/** `GEOADD key [NX|XX] [CH] longitude latitude member…`, its options checked. */
export function geoaddCommand(
  key: string,
  members: GeoMember | readonly GeoMember[],
  options: GeoAddOptions | undefined,
): RedisArg[] {
  const command: RedisArg[] = ["GEOADD", key];
  if (options !== undefined) {
    checkOptionKeys(options, ["nx", "xx", "ch"], "geoadd()");
    if (options.nx && options.xx) throw new TypeError("Cannot combine nx and xx in geoadd()");
    if (options.nx) command.push("NX");
    if (options.xx) command.push("XX");
    if (options.ch) command.push("CH");
  }
  const list = Array.isArray(members) ? members : [members as GeoMember];
  for (const { longitude, latitude, member } of list) command.push(longitude, latitude, member);
  return command;
}

const STORE_KEYS = ["order", "count", "any", "storeDist"];
const SEARCH_KEYS = ["order", "count", "any", "withCoord", "withDist", "withHash"];

/** The `FROM… BY… [ASC|DESC] [COUNT n [ANY]]` arguments shared by both searches, checked. */
function searchArgs(
  from: GeoSearchFrom,
  by: GeoSearchBy,
  options: GeoSearchOptions & GeoSearchStoreOptions | undefined,
  method: string,
): RedisArg[] {
  const args: RedisArg[] = [];
  if ("member" in from) {
    checkOptionKeys(from, ["member"], `${method}() from`);
    args.push("FROMMEMBER", from.member);
  } else {
    checkOptionKeys(from, ["longitude", "latitude"], `${method}() from`);
    args.push("FROMLONLAT", from.longitude, from.latitude);
  }
  if ("radius" in by) {
    checkOptionKeys(by, ["radius", "unit"], `${method}() by`);
    args.push("BYRADIUS", by.radius, by.unit);
  } else {
    checkOptionKeys(by, ["width", "height", "unit"], `${method}() by`);
    args.push("BYBOX", by.width, by.height, by.unit);
  }
  if (options === undefined) return args;
  checkOptionKeys(options, method === "geosearch" ? SEARCH_KEYS : STORE_KEYS, `${method}()`);
  const { order, count, any } = options;
  if (order !== undefined) {
    if (order !== "ASC" && order !== "DESC") {
      throw new TypeError(
        `Unknown order "${String(order).slice(0, 20)}" in ${method}(): ASC or DESC`,
      );
    }
    args.push(order);
  }
  if (any && count === undefined) {
    throw new TypeError(`Cannot use any without count in ${method}()`);
  }
  if (count !== undefined) args.push("COUNT", count);
  if (any) args.push("ANY");
  return args;
}

/** `GEOSEARCH key …` and the shaper of its reply: names, or `{ member, … }` with a `with…` flag. */
export function geosearchCommand(
  key: string,
  from: GeoSearchFrom,
  by: GeoSearchBy,
  options: GeoSearchOptions | undefined,
): [RedisArg[], ReplyMapper<string[] | GeoSearchResult[]> | undefined] {
  const command = ["GEOSEARCH", key, ...searchArgs(from, by, options, "geosearch")];
  const withDist = options?.withDist === true;
  const withHash = options?.withHash === true;
  const withCoord = options?.withCoord === true;
  if (withCoord) command.push("WITHCOORD");
  if (withDist) command.push("WITHDIST");
  if (withHash) command.push("WITHHASH");
  if (!withDist && !withHash && !withCoord) return [command, undefined];
  const shape = (item: RedisReply[]): GeoSearchResult => {
    const out: GeoSearchResult = { member: String(item[0]) };
    let i = 1;
    if (withDist) out.distance = Number(item[i++]);
    if (withHash) out.hash = Number(item[i++]);
    if (withCoord) out.coordinates = toCoordinates(item[i]) ?? undefined;
    return out;
  };
  return [command, (reply) => (reply as RedisReply[][]).map(shape)];
}

/** `GEOSEARCHSTORE destination source …`, its options checked. */
export function geosearchstoreCommand(
  destination: string,
  source: string,
  from: GeoSearchFrom,
  by: GeoSearchBy,
  options: GeoSearchStoreOptions | undefined,
): RedisArg[] {
  const args = searchArgs(from, by, options, "geosearchstore");
  if (options?.storeDist) args.push("STOREDIST");
  return ["GEOSEARCHSTORE", destination, source, ...args];
}

/** `{ longitude, latitude }` from a `[longitude, latitude]` reply (strings or doubles), or `null`. */
export function toCoordinates(reply: RedisReply): GeoCoordinates | null {
  if (!Array.isArray(reply)) return null;
  return { longitude: Number(reply[0]), latitude: Number(reply[1]) };
}

/** `GEOPOS`: a position or `null` per member. */
export function toPositions(reply: RedisReply): (GeoCoordinates | null)[] {
  return (Array.isArray(reply) ? reply : []).map(toCoordinates);
}
