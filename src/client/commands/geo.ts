/**
 * Typed geo commands: `GEOADD`, `GEOPOS`, `GEODIST`, `GEOHASH`, `GEOSEARCH`, `GEOSEARCHSTORE`.
 *
 * @module
 */

import type { CommandMode, CommandResult } from "./base.ts";
import { BitCommands } from "./bits.ts";
import {
  geoaddCommand,
  type GeoAddOptions,
  type GeoCoordinates,
  type GeoMember,
  type GeoSearchBy,
  geosearchCommand,
  type GeoSearchFrom,
  type GeoSearchOptions,
  type GeoSearchResult,
  geosearchstoreCommand,
  type GeoSearchStoreOptions,
  type GeoUnit,
  toPositions,
} from "./geo_args.ts";
import { toNumberOrNull } from "./replies.ts";

/**
 * Typed geo commands.
 *
 * @example
 * ```ts
 * import { connect } from "@redcache/redcache";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 * await redis.geoadd("shops", { longitude: 13.4, latitude: 52.5, member: "berlin" });
 * ```
 */
export abstract class GeoCommands<M extends CommandMode> extends BitCommands<M> {
  /**
   * `GEOADD`: adds (or moves) members at their positions; the number added
   * (with `ch`, added or moved).
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.geoadd("shops", [
   *   { longitude: 13.405, latitude: 52.52, member: "berlin" },
   *   { longitude: 2.3522, latitude: 48.8566, member: "paris" },
   * ]); // 2
   * ```
   */
  geoadd(
    key: string,
    members: GeoMember | GeoMember[],
    options?: GeoAddOptions,
  ): CommandResult<M, number, this> {
    return this.sendMapped<number>(geoaddCommand(key, members, options));
  }

  /**
   * `GEOPOS`: each member's `{ longitude, latitude }` (numbers, as stored:
   * within about a metre of what was added), or `null` for a missing member.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const [berlin, nowhere] = await redis.geopos("shops", "berlin", "atlantis");
   * ```
   */
  geopos(key: string, ...members: string[]): CommandResult<M, (GeoCoordinates | null)[], this> {
    return this.sendMapped(["GEOPOS", key, ...members], toPositions);
  }

  /**
   * `GEODIST`: the distance between two members in `unit` (metres by
   * default) as a number, or `null` when either is missing.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const km = await redis.geodist("shops", "berlin", "paris", "km"); // about 878
   * ```
   */
  geodist(
    key: string,
    member1: string,
    member2: string,
    unit?: GeoUnit,
  ): CommandResult<M, number | null, this> {
    const command = ["GEODIST", key, member1, member2, ...(unit === undefined ? [] : [unit])];
    return this.sendMapped(command, toNumberOrNull);
  }

  /**
   * `GEOHASH`: each member's 11-character geohash, or `null` for a missing member.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const [hash] = await redis.geohash("shops", "berlin"); // "u33dc1v0ej0"
   * ```
   */
  geohash(key: string, ...members: string[]): CommandResult<M, (string | null)[], this> {
    return this.sendMapped<(string | null)[]>(["GEOHASH", key, ...members]);
  }

  /**
   * `GEOSEARCH`: the members within a circle or a box around a member or a
   * position, as names; with `withDist`, `withHash` or `withCoord`, as
   * `{ member, distance?, hash?, coordinates? }` objects holding what was
   * asked for (distances in the search's unit).
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * const names = await redis.geosearch("shops", { member: "berlin" }, { radius: 100, unit: "km" });
   * const nearest = await redis.geosearch(
   *   "shops",
   *   { longitude: 13.4, latitude: 52.5 },
   *   { width: 50, height: 50, unit: "km" },
   *   { order: "ASC", count: 3, withDist: true },
   * ); // [{ member: "berlin", distance: 2.3 }, …]
   * ```
   */
  geosearch(
    key: string,
    from: GeoSearchFrom,
    by: GeoSearchBy,
    options?: GeoSearchOptions & { withCoord?: false; withDist?: false; withHash?: false },
  ): CommandResult<M, string[], this>;
  /** `GEOSEARCH … WITHCOORD|WITHDIST|WITHHASH`: `{ member, … }` objects. */
  geosearch(
    key: string,
    from: GeoSearchFrom,
    by: GeoSearchBy,
    options: GeoSearchOptions & ({ withCoord: true } | { withDist: true } | { withHash: true }),
  ): CommandResult<M, GeoSearchResult[], this>;
  /** `GEOSEARCH`: names, or `{ member, … }` objects when a `with…` flag is set. */
  geosearch(
    key: string,
    from: GeoSearchFrom,
    by: GeoSearchBy,
    options?: GeoSearchOptions,
  ): CommandResult<M, string[] | GeoSearchResult[], this>;
  geosearch(
    key: string,
    from: GeoSearchFrom,
    by: GeoSearchBy,
    options?: GeoSearchOptions,
  ): CommandResult<M, string[] | GeoSearchResult[], this> {
    const [command, map] = geosearchCommand(key, from, by, options);
    return this.sendMapped(command, map);
  }

  /**
   * `GEOSEARCHSTORE`: stores what `geosearch` finds at `destination` (scores
   * are geohashes, or distances with `storeDist`); the number stored.
   *
   * @example
   * ```ts
   * import { connect } from "@redcache/redcache";
   *
   * await using redis = await connect("redis://127.0.0.1:6379");
   * await redis.geosearchstore("near:berlin", "shops", { member: "berlin" }, {
   *   radius: 100,
   *   unit: "km",
   * });
   * ```
   */
  geosearchstore(
    destination: string,
    source: string,
    from: GeoSearchFrom,
    by: GeoSearchBy,
    options?: GeoSearchStoreOptions,
  ): CommandResult<M, number, this> {
    const command = geosearchstoreCommand(destination, source, from, by, options);
    return this.sendMapped<number>(command);
  }
}
