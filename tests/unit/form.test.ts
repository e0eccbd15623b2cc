import { describe, expect, it } from "vitest";
import { validateCreateStreamRequest } from "../../src/index.js";

describe("raw form bodies", () => {
  it("a leading ? is part of the first field's name, not a query-string marker", () => {
    const result = validateCreateStreamRequest({ body: "?Url=wss%3A%2F%2Fexample.com%2Fmedia" });
    expect(result.valid).toBe(false);
    expect(result.valid ? [] : result.issues.map((e) => e.path).sort()).toEqual(["/body/?Url", "/body/Url"]);
  });
});
