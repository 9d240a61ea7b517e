/**
 * When a set of NSG sources "is the internet" (spec/policy.md): the one rule that the policy pack (policy/nsg.ts)
 * and the config check of `managementSourcePrefixes` share. A source list is internet-equivalent when one entry is a
 * broad service tag or a catch-all, or when the union of its address prefixes covers a large share of the public
 * address space, so that `0.0.0.0/1` + `128.0.0.0/1` (or 256 /8s) count as the internet as much as `*` does.
 * Pure: IP maths by ipaddr.js, sizes as bigint; O(n log n) in the number of entries, with a hard bound.
 */
import * as ipaddr from "ipaddr.js";

/**
 * Catch-all sources and Azure service tags that stand for the whole internet, lower case: `*`/`Any` (every source),
 * `Internet` (the public address space), `AzureCloud` (every Azure datacenter address, which anyone can rent), and
 * the bare `0.0.0.0` some tools read as "any". `AzureCloud.<region>` is matched by AZURE_CLOUD_REGIONAL below.
 */
// Service tags: https://learn.microsoft.com/en-us/azure/virtual-network/service-tags-overview
export const INTERNET_TAGS: readonly string[] = ["*", "any", "internet", "azurecloud", "0.0.0.0"];

/** `AzureCloud.WestEurope` and the like: a whole region's public Azure ranges (rentable by anyone). */
const AZURE_CLOUD_REGIONAL = /^azurecloud\.[a-z0-9]+$/;

/**
 * The thresholds, in addresses of the family's public space (what a prefix of that length holds):
 * - IPv4: 2^24, a /8's worth, 1/256 of the IPv4 space. The largest blocks ever given to one organisation are /8s
 *   (the legacy class A holders); no management network is larger, and RDP open to 16 million public addresses is
 *   exposure on the internet's scale (scanners sweep the whole IPv4 space in minutes).
 * - IPv6: 2^109 of the global unicast space 2000::/3, a /19's worth: the largest allocations a registry makes to one
 *   organisation (national ISPs); a registry's own /12 block, or 2000::/3 itself, is far above it.
 * Conservative on purpose: a false alarm costs a narrower list, a miss costs RDP open to the internet.
 */
export const THRESHOLD_PREFIX = { ipv4: 8, ipv6: 19 } as const;
const THRESHOLD: Record<Family, bigint> = { ipv4: 1n << BigInt(32 - THRESHOLD_PREFIX.ipv4), ipv6: 1n << BigInt(128 - THRESHOLD_PREFIX.ipv6) };

/**
 * More entries than this are not measured: the list counts as the internet. Azure allows 4000 addresses or prefixes
 * per rule and 1000 rules per NSG, but no real source list comes near; the bound keeps a hostile file's cost fixed.
 */
// Limits: https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/azure-subscription-service-limits#azure-networking-limits
export const MAX_SOURCES = 20_000;
/** Longer entries are no address nor tag: they are not parsed. */
const MAX_ENTRY_LENGTH = 128;

type Family = "ipv4" | "ipv6";

/** An inclusive address range, as integers of its family. */
interface Range {
  from: bigint;
  to: bigint;
}

const BITS: Record<Family, number> = { ipv4: 32, ipv6: 128 };

function toBigInt(addr: ipaddr.IPv4 | ipaddr.IPv6): bigint {
  let n = 0n;
  for (const b of addr.toByteArray()) n = (n << 8n) | BigInt(b);
  return n;
}

function cidrRange(addr: ipaddr.IPv4 | ipaddr.IPv6, bits: number): Range {
  const size = 1n << BigInt(BITS[addr.kind()] - bits);
  const from = (toBigInt(addr) / size) * size;
  return { from, to: from + size - 1n };
}

/** Sorts and merges overlapping or adjacent ranges. */
function merge(ranges: Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.from <= last.to + 1n) {
      if (r.to > last.to) last.to = r.to;
    } else out.push({ ...r });
  }
  return out;
}

/** Addresses of `ranges` (merged) inside `space` (merged): one sweep over both. */
function overlap(ranges: Range[], space: Range[]): bigint {
  let total = 0n;
  let j = 0;
  for (const r of ranges) {
    while (j < space.length && space[j].to < r.from) j++;
    for (let k = j; k < space.length && space[k].from <= r.to; k++) {
      const from = r.from > space[k].from ? r.from : space[k].from;
      const to = r.to < space[k].to ? r.to : space[k].to;
      if (from <= to) total += to - from + 1n;
    }
  }
  return total;
}

/** The complement of `holes` within [0, 2^bits). */
function complement(holes: Range[], bits: number): Range[] {
  const out: Range[] = [];
  let next = 0n;
  for (const h of merge(holes)) {
    if (h.from > next) out.push({ from: next, to: h.from - 1n });
    next = h.to + 1n;
  }
  const end = (1n << BigInt(bits)) - 1n;
  if (next <= end) out.push({ from: next, to: end });
  return out;
}

/** Public IPv4: everything but ipaddr.js's special ranges (private, loopback, CGNAT, link-local, multicast, reserved...). */
const PUBLIC_IPV4: Range[] = complement(
  Object.values((ipaddr.IPv4.prototype as unknown as { SpecialRanges: Record<string, [ipaddr.IPv4, number] | [ipaddr.IPv4, number][]> }).SpecialRanges).flatMap((v) =>
    (Array.isArray(v[0]) ? (v as [ipaddr.IPv4, number][]) : [v as [ipaddr.IPv4, number]]).map(([a, b]) => cidrRange(a, b)),
  ),
  32,
);

/** Public IPv6: the global unicast space 2000::/3 (RFC 4291). */
const PUBLIC_IPV6: Range[] = [cidrRange(ipaddr.IPv6.parse("2000::"), 3)];

const PUBLIC: Record<Family, Range[]> = { ipv4: PUBLIC_IPV4, ipv6: PUBLIC_IPV6 };

/** A source entry read as addresses; undefined when it is a tag, garbage or too long. */
function addressRange(entry: string): { family: Family; range: Range } | undefined {
  if (entry.length > MAX_ENTRY_LENGTH) return undefined;
  let parsed: [ipaddr.IPv4 | ipaddr.IPv6, number];
  // The family by its separator: ipaddr.js's generic parsers try IPv6 first and throw, ten times slower on lists.
  const family = entry.includes(":") ? ipaddr.IPv6 : ipaddr.IPv4;
  try {
    if (entry.includes("/")) parsed = family.parseCIDR(entry);
    else {
      const a = family.parse(entry);
      parsed = [a, BITS[a.kind()]];
    }
  } catch {
    return undefined;
  }
  let [addr, bits] = parsed;
  // IPv4-mapped IPv6 (::ffff:a.b.c.d/n) is the IPv4 space written in IPv6: count it there.
  if (addr.kind() === "ipv6" && (addr as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
    addr = (addr as ipaddr.IPv6).toIPv4Address();
    bits -= 96;
  }
  return { family: addr.kind(), range: cidrRange(addr, bits) };
}

export interface InternetVerdict {
  /** The list as a whole stands for the internet. */
  internet: boolean;
  /** Entries that alone stand for the internet (tags, catch-alls, prefixes at or above the threshold), as written. */
  entries: string[];
  /** Entries that only together with others reach the threshold (set when `entries` is empty and `internet` is true). */
  together: string[];
  /** Public addresses the union of the list's prefixes covers, by family. */
  covered: Record<Family, bigint>;
  /** The list was longer than MAX_SOURCES and was not measured. */
  tooMany: boolean;
}

/** Whether one source entry alone stands for the internet. */
export function isInternetSource(source: string): boolean {
  return internetEquivalence([source]).entries.length > 0;
}

function isTag(s: string): boolean {
  const t = s.toLowerCase();
  // Any prefix ending in /0 is everything, whatever precedes it (Azure may read a malformed one as /0 too).
  return INTERNET_TAGS.includes(t) || AZURE_CLOUD_REGIONAL.test(t) || /\/0+$/.test(t);
}

/**
 * Whether a list of NSG source entries (prefixes, addresses, service tags; case-insensitive, trimmed) stands for
 * the internet: an entry that is a broad tag or catch-all, or prefixes whose union covers at least THRESHOLD_PREFIX's
 * worth of public addresses of one family.
 */
export function internetEquivalence(sources: readonly string[]): InternetVerdict {
  const covered: Record<Family, bigint> = { ipv4: 0n, ipv6: 0n };
  if (sources.length > MAX_SOURCES) return { internet: true, entries: [], together: [], covered, tooMany: true };
  const entries: string[] = [];
  const ranges: Record<Family, Range[]> = { ipv4: [], ipv6: [] };
  const contributing: Record<Family, string[]> = { ipv4: [], ipv6: [] };
  for (const raw of sources) {
    if (typeof raw !== "string") continue;
    const s = raw.trim();
    if (isTag(s)) {
      entries.push(s);
      continue;
    }
    const a = addressRange(s);
    if (!a) continue;
    const own = overlap([a.range], PUBLIC[a.family]);
    if (own === 0n) continue;
    if (own >= THRESHOLD[a.family]) entries.push(s);
    ranges[a.family].push(a.range);
    contributing[a.family].push(s);
  }
  const together: string[] = [];
  for (const f of ["ipv4", "ipv6"] as Family[]) {
    covered[f] = overlap(merge(ranges[f]), PUBLIC[f]);
    if (entries.length === 0 && covered[f] >= THRESHOLD[f]) together.push(...contributing[f]);
  }
  return { internet: entries.length > 0 || together.length > 0, entries, together, covered, tooMany: false };
}

/** `2^31` style size for messages: exact powers of two as such, else the number. */
function size(n: bigint): string {
  if (n > 0n && (n & (n - 1n)) === 0n) return `2^${n.toString(2).length - 1}`;
  return n.toString();
}

/**
 * Why a verdict is internet-equivalent, for messages (without the entries, which the caller quotes):
 * `together cover 2^32 public IPv4 addresses, at least a /8's worth`. Empty when it is not.
 */
export function internetReason(v: InternetVerdict): string {
  if (!v.internet) return "";
  if (v.tooMany) return `more than ${MAX_SOURCES} entries, not measured`;
  if (v.entries.length > 0) return "";
  const parts: string[] = [];
  if (v.covered.ipv4 >= THRESHOLD.ipv4) parts.push(`${size(v.covered.ipv4)} public IPv4 addresses, at least a /${THRESHOLD_PREFIX.ipv4}'s worth`);
  if (v.covered.ipv6 >= THRESHOLD.ipv6) parts.push(`${size(v.covered.ipv6)} addresses of 2000::/3, at least a /${THRESHOLD_PREFIX.ipv6}'s worth`);
  return `together they cover ${parts.join(" and ")}`;
}

/**
 * The config rule for a source list that must not be the internet (`managementSourcePrefixes`, the RDP rule's
 * sources): the broken rule as a sentence, or undefined when the list is fine.
 */
export function internetProblem(sources: readonly string[]): string | undefined {
  const v = internetEquivalence(sources);
  if (!v.internet) return undefined;
  const named = v.entries.length > 0 ? v.entries : v.together;
  const quoted = named.slice(0, 8).map((s) => JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s)).join(", ") + (named.length > 8 ? ` and ${named.length - 8} more` : "");
  const what = v.tooMany ? internetReason(v) : v.entries.length > 0 ? `${quoted} ${named.length === 1 ? "stands" : "stand"} for the internet` : `${quoted}: ${internetReason(v)}`;
  return `${what}; RDP would be open to the internet: list only your management networks (narrower than a /${THRESHOLD_PREFIX.ipv4} in all)`;
}
