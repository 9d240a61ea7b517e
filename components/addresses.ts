/**
 * IPv4 addresses and prefixes as the stack config takes them (NSG sources, App Service access restrictions), read
 * with ipaddr.js. Pure functions.
 */
import * as ipaddr from "ipaddr.js";

/** Dotted-quad IPv4 address, four decimal parts without leading zeros. */
export function isIpv4(s: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(s) && s.split(".").every((p) => p === "0" || !p.startsWith("0"));
}

/** Checks an IPv4 address or CIDR; returns the rule it breaks, or undefined. */
export function prefixProblem(s: string): string | undefined {
  const [addr, bits, ...rest] = s.split("/");
  if (rest.length > 0 || !isIpv4(addr)) return "must be an IPv4 address or CIDR (a.b.c.d or a.b.c.d/n)";
  if (bits === undefined) return undefined;
  if (!/^(0|[1-9]\d?)$/.test(bits) || Number(bits) > 32) return "the prefix length must be 0-32";
  // Azure: "... is not a valid address prefix" when host bits are set (the seed's troubleshooting table).
  const network = ipaddr.IPv4.networkAddressFromCIDR(s).toString();
  if (network !== addr) return `has host bits set (Azure rejects it as an invalid address prefix; did you mean ${network}/${bits}?)`;
  return undefined;
}

/** Prefix length of an address or CIDR (an address is a /32). */
export function prefixLength(s: string): number {
  const bits = s.split("/")[1];
  return bits === undefined ? 32 : Number(bits);
}
