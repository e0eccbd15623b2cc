import { describe, expect, it } from "vitest";
import { isHttpUrl, isWssUrl } from "../../src/validators/formats/url.js";

describe("URL formats need a host", () => {
  // The WHATWG parser skips the extra slashes of special schemes and finds a host in the path;
  // by RFC 3986 the authority of these URLs is empty.
  it.each(["wss:///media", "wss:////example.com/media", "WSS:///example.com"])("wss-url refuses %j", (url) => {
    expect(isWssUrl(url)).toBe(false);
  });

  it.each(["http:///status", "https:////example.com/status"])("http-url refuses %j", (url) => {
    expect(isHttpUrl(url)).toBe(false);
  });

  it.each(["wss://example.com/media", "wss://example.com//media", "wss://[::1]:8080/"])("wss-url still accepts %j", (url) => {
    expect(isWssUrl(url)).toBe(true);
  });
});
