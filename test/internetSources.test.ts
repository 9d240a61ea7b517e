/**
 * What counts as "the internet" for an NSG source list (components/internetSources.ts), without mocks: single
 * tags and catch-alls, prefixes at the /8 (IPv4) and /19 (IPv6) thresholds, unions assembled from pieces, the
 * address space that is not public, hostile spellings and sizes.
 */
import { internetEquivalence, internetProblem, internetReason, isInternetSource, MAX_SOURCES } from "../components/internetSources";

/** The /9s of 0.0.0.0/1 and 128.0.0.0/1: the whole IPv4 space, no piece above the threshold. */
const ALL_AS_SLASH9 = Array.from({ length: 512 }, (_, i) => `${i >> 1}.${(i & 1) * 128}.0.0/9`);

describe("single entries", () => {
  test.each([
    "*", "Any", "ANY", "Internet", "internet", "AzureCloud", "azurecloud", "AzureCloud.WestEurope", "AZURECLOUD.eastus2",
    "0.0.0.0", "0.0.0.0/0", "::/0", "10.0.0.0/0", "0.0.0.0/00", " * ", "0.0.0.0/1", "128.0.0.0/1", "17.0.0.0/8", "16.0.0.0/7",
    "2000::/3", "::/1", "2a00::/12", "2003::/19", "::ffff:0.0.0.0/96", "::ffff:17.0.0.0/104", "0x11000000/8",
  ])("%s stands for the internet", (s) => {
    expect(isInternetSource(s)).toBe(true);
  });

  test.each([
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8", "0.0.0.0/8", "224.0.0.0/3", "240.0.0.0/4",
    "17.0.0.0/9", "203.0.113.0/24", "198.51.100.7", "2003::/20", "2001:db8::/32", "fc00::/7", "fe80::/10", "::1",
    "VirtualNetwork", "AzureLoadBalancer", "AzureCloudX", "AzureCloud.", "Storage.WestEurope", "", "not an address", "1.2.3.4/33",
    "x".repeat(10_000),
  ])("%s does not", (s) => {
    expect(isInternetSource(s)).toBe(false);
  });
});

describe("unions", () => {
  test("0.0.0.0/1 + 128.0.0.0/1 (the red team's list): each half alone is far above the /8 threshold", () => {
    const v = internetEquivalence(["0.0.0.0/1", "128.0.0.0/1"]);
    expect(v).toEqual({ internet: true, entries: ["0.0.0.0/1", "128.0.0.0/1"], together: [], covered: { ipv4: 3702257664n, ipv6: 0n }, tooMany: false });
  });

  test("512 /9s, none enough alone, are the internet together; the reason gives the public addresses covered", () => {
    const v = internetEquivalence(ALL_AS_SLASH9);
    // The 70 /9s inside 0/8, 10/8, 127/8 and 224/3 hold no public address and are not named.
    expect([v.internet, v.entries, v.together.length, v.covered.ipv4]).toEqual([true, [], 442, 3702257664n]);
    expect(v.together).not.toContain("10.0.0.0/9");
    expect(internetReason(v)).toBe("together they cover 3702257664 public IPv4 addresses, at least a /8's worth");
  });

  test("two /9s making one /8 reach the threshold exactly; one /9 and duplicates of it do not", () => {
    expect(internetReason(internetEquivalence(["17.0.0.0/9", "17.128.0.0/9"]))).toBe("together they cover 2^24 public IPv4 addresses, at least a /8's worth");
    expect(internetEquivalence(["17.0.0.0/9", "17.0.0.0/9", "17.0.0.0/10", "17.1.2.3"]).internet).toBe(false);
  });

  test("overlapping and nested prefixes are counted once", () => {
    const v = internetEquivalence(["20.0.0.0/9", "20.0.0.0/10", "20.64.0.0/10", "20.127.255.255"]);
    expect([v.internet, v.covered.ipv4]).toEqual([false, 2n ** 23n]);
  });

  test("private and reserved space does not count: all of 10/8, 172.16/12, 192.168/16, CGNAT, loopback and multicast together is not the internet", () => {
    const v = internetEquivalence(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8", "224.0.0.0/4", "240.0.0.0/4", "0.0.0.0/8"]);
    expect([v.internet, v.covered.ipv4]).toEqual([false, 0n]);
  });

  test("IPv6: 2000::/4 + 3000::/4 is 2000::/3; 16 /23s of 2003::/19 are the internet together, 15 are not", () => {
    expect(internetEquivalence(["2000::/4", "3000::/4"]).entries).toEqual(["2000::/4", "3000::/4"]);
    const pieces = Array.from({ length: 16 }, (_, i) => `2003:${(i * 2).toString(16)}00::/23`);
    expect(internetReason(internetEquivalence(pieces))).toBe("together they cover 2^109 addresses of 2000::/3, at least a /19's worth");
    expect(internetEquivalence(pieces.slice(1)).internet).toBe(false);
  });

  test("IPv4-mapped IPv6 prefixes count as the IPv4 they map", () => {
    expect(internetEquivalence(["::ffff:17.0.0.0/105", "17.128.0.0/9"]).together).toEqual(["::ffff:17.0.0.0/105", "17.128.0.0/9"]);
  });

  test("a tag among prefixes is named alone", () => {
    expect(internetEquivalence(["203.0.113.0/24", "AzureCloud"]).entries).toEqual(["AzureCloud"]);
  });

  test("non-strings in a hostile list are ignored, not thrown on", () => {
    expect(internetEquivalence([1, null, { a: 1 }, "Internet"] as unknown as string[]).entries).toEqual(["Internet"]);
  });
});

describe("bounds", () => {
  test(`more than ${MAX_SOURCES} entries are not measured: the list counts as the internet`, () => {
    const v = internetEquivalence(Array.from({ length: MAX_SOURCES + 1 }, () => "203.0.113.1"));
    expect([v.internet, v.tooMany, internetReason(v)]).toEqual([true, true, `more than ${MAX_SOURCES} entries, not measured`]);
  });

  test(`${MAX_SOURCES} distinct public /24s are measured in bounded time (about 0.2 s alone)`, () => {
    const list = Array.from({ length: MAX_SOURCES }, (_, i) => `${20 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}.0/24`);
    const t = process.hrtime.bigint();
    const v = internetEquivalence(list);
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    expect([v.internet, v.covered.ipv4]).toEqual([false, BigInt(MAX_SOURCES) * 256n]);
    // Generous: the suite shares 2 cores; the cost is O(n log n) in the entries, and n is bounded by MAX_SOURCES.
    expect(ms).toBeLessThan(3000);
  });
});

describe("internetProblem (the config rule for managementSourcePrefixes)", () => {
  test("names the entries and the rule", () => {
    expect(internetProblem(["203.0.113.0/24", "0.0.0.0/1"])).toBe('"0.0.0.0/1" stands for the internet; RDP would be open to the internet: list only your management networks (narrower than a /8 in all)');
    expect(internetProblem(["17.0.0.0/9", "17.128.0.0/9"])).toBe(
      '"17.0.0.0/9", "17.128.0.0/9": together they cover 2^24 public IPv4 addresses, at least a /8\'s worth; RDP would be open to the internet: list only your management networks (narrower than a /8 in all)',
    );
    expect(internetProblem(["203.0.113.0/24", "198.51.100.7"])).toBeUndefined();
    expect(internetProblem([])).toBeUndefined();
  });
});
