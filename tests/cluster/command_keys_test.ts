import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { firstKey, isReadCommand } from "../../src/cluster/command_keys.ts";

describe("firstKey", () => {
  it("is the first argument, whatever the case of the command, as text", () => {
    assert.equal(firstKey(["GET", "user:1"]), "user:1");
    assert.equal(firstKey(["set", "{u}:a", "v"]), "{u}:a");
    assert.equal(firstKey(["HSET", new TextEncoder().encode("bytes:é"), "f", "v"]), "bytes:é");
    assert.equal(firstKey(["INCRBY", 42, 1]), "42");
  });

  it("is undefined for commands without a key, or whose first argument is not one", () => {
    for (
      const command of [
        ["PING", "hello"],
        ["SCAN", "0", "MATCH", "a*"],
        ["CONFIG", "GET", "port"],
        ["publish", "channel", "message"],
        ["WAIT", 1, 100],
        ["GET"],
      ]
    ) {
      assert.equal(firstKey(command), undefined, JSON.stringify(command));
    }
  });

  it("is the first of the numkeys keys for EVAL, EVALSHA and FCALL, undefined when there are none", () => {
    assert.equal(firstKey(["EVAL", "return 1", "2", "k1", "k2", "arg"]), "k1");
    assert.equal(firstKey(["EVALSHA", "abc123", 1, "k"]), "k");
    assert.equal(firstKey(["EVAL_RO", "return 1", "1", "ro"]), "ro");
    assert.equal(firstKey(["FCALL", "fn", "1", "f"]), "f");
    assert.equal(firstKey(["EVAL", "return 1", "0", "arg"]), undefined);
    assert.equal(firstKey(["EVAL", "return 1", "1"]), undefined, "numkeys without a key");
  });

  it("finds the key after numkeys, STREAMS or a subcommand", () => {
    assert.equal(firstKey(["ZUNION", "2", "{z}a", "{z}b", "WITHSCORES"]), "{z}a");
    assert.equal(firstKey(["SINTERCARD", 1, "s", "LIMIT", 5]), "s");
    assert.equal(firstKey(["LMPOP", "1", "list", "LEFT"]), "list");
    assert.equal(firstKey(["BLMPOP", "0.5", "1", "list", "LEFT"]), "list");
    assert.equal(firstKey(["BZMPOP", "0", "2", "z1", "z2", "MIN"]), "z1");
    assert.equal(firstKey(["ZMPOP", "0"]), undefined, "numkeys 0");
    assert.equal(
      firstKey(["XREAD", "COUNT", 2, "BLOCK", 10, "STREAMS", "s1", "s2", "0", "0"]),
      "s1",
    );
    assert.equal(firstKey(["XREADGROUP", "GROUP", "g", "c", "streams", "s", ">"]), "s");
    assert.equal(firstKey(["XINFO", "STREAM", "s"]), "s");
    assert.equal(firstKey(["XGROUP", "CREATE", "s", "g", "$"]), "s");
    assert.equal(firstKey(["OBJECT", "ENCODING", "k"]), "k");
    assert.equal(firstKey(["BITOP", "AND", "dest", "a", "b"]), "dest");
  });

  it("uses the name it is given instead of reading the command's", () => {
    assert.equal(firstKey(["PING", "x"], "GET"), "x");
    assert.equal(firstKey(["GET", "x"], "PING"), undefined);
  });
});

describe("isReadCommand", () => {
  it("is true only for commands that only read, whatever their case", () => {
    for (
      const name of [
        "GET",
        "mget",
        "HGETALL",
        "ZRANGE",
        "EVAL_RO",
        "SCAN",
        "PING",
        "ZUNION",
        "GEOSEARCH",
        "XRANGE",
      ]
    ) {
      assert.equal(isReadCommand([name, "k"]), true, name);
    }
    for (const name of ["SET", "del", "INCR", "EVAL", "EXPIRE", "GETDEL", "BLPOP", "FLUSHDB"]) {
      assert.equal(isReadCommand([name, "k"]), false, name);
    }
  });
});
