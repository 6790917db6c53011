import assert from "node:assert/strict";
import { describe, it } from "../support/test.ts";
import { checkOptionKeys } from "../../src/util/options.ts";

const KNOWN = ["url", "commandTimeout", "connectTimeout", "failbackAfter"] as const;

describe("checkOptionKeys", () => {
  it("accepts known names, in any number, and an empty object", () => {
    checkOptionKeys({}, KNOWN, "connect()");
    checkOptionKeys({ url: "redis://h", commandTimeout: 5 }, KNOWN, "connect()");
  });

  it("names the unknown option and where it was given, suggesting the nearest known name", () => {
    assert.throws(() => checkOptionKeys({ comandTimeout: 5 }, KNOWN, "connect()"), {
      name: "TypeError",
      message: 'Unknown option "comandTimeout" for connect(); did you mean "commandTimeout"?',
    });
    assert.throws(() => checkOptionKeys({ failbakAfter: 1 }, KNOWN, "createCache()"), {
      message: 'Unknown option "failbakAfter" for createCache(); did you mean "failbackAfter"?',
    });
  });

  it("suggests across a difference of case only", () => {
    assert.throws(() => checkOptionKeys({ URL: "x" }, KNOWN, "connect()"), {
      message: 'Unknown option "URL" for connect(); did you mean "url"?',
    });
  });

  it("lists the known names when none is close (three edits or more)", () => {
    assert.throws(() => checkOptionKeys({ host: "h" }, KNOWN, "connect()"), {
      name: "TypeError",
      message:
        'Unknown option "host" for connect(); expected one of url, commandTimeout, connectTimeout, failbackAfter',
    });
  });

  it("cuts a long unknown name in the message", () => {
    const key = "k".repeat(100);
    assert.throws(() => checkOptionKeys({ [key]: 1 }, KNOWN, "connect()"), {
      message: new RegExp(`^Unknown option "${"k".repeat(40)}" for connect\\(\\);`),
    });
  });
});
