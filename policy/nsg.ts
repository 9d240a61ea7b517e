/**
 * NSG rule reading and matching for the two required network policies (`spec/policy.md`). Pure functions: the
 * allowed inbound flows come from the network table in `components/network.ts` (NSG_RULES and the flows they
 * serve), never from port numbers written here.
 */
import { internetEquivalence, internetReason, isInternetSource } from "../components/internetSources";
import { flows, NSG_RULES, parsePortRange } from "../components/network";
import { isOfType, SecurityRule } from "./types";
import { isRecord, list } from "./values";

export { isInternetSource };

export interface PortRange {
  from: number;
  to: number;
}

export const ALL_PORTS: PortRange = { from: 0, to: 65535 };

/** The transport protocols the flow table speaks; anything else (Icmp, Esp, Ah...) is "other". */
export type FlowProtocol = "tcp" | "udp";

/** One security rule, read from an NSG's inline `securityRules` entry or a standalone `SecurityRule`'s inputs. */
export interface RuleView {
  name: string;
  /** Inbound unless explicitly Outbound: Azure requires a direction, so a rule without one is read the risky way. */
  inbound: boolean;
  /** Allow unless explicitly Deny (same reasoning). */
  allow: boolean;
  /** The protocol as written (`*` when missing). */
  protocol: string;
  /** Flow protocols the rule covers (`*` covers both). */
  flowProtocols: FlowProtocol[];
  /** Protocols beyond Tcp/Udp: the written one, `any other protocol` for `*`, none for Tcp/Udp. */
  otherProtocol?: string;
  /** Every source entry, trimmed (from `sourceAddressPrefix`, `sourceAddressPrefixes`, comma lists split). */
  sources: string[];
  /** The sources stand for the internet (components/internetSources.ts): one alone, or together. */
  internet: boolean;
  /** The sources to name for it: those that alone stand for the internet, else those that do together. */
  internetSources: string[];
  /** Why they do, when it is their union (`together they cover 2^24 public IPv4 addresses, ...`); "" otherwise. */
  internetWhy: string;
  /** Destination ports; a missing port or one that cannot be read counts as every port. */
  ports: PortRange[];
  /** Destination port entries that are not a port, a range or `*` (read as every port). */
  unreadablePorts: string[];
}

/** Entries of a string-or-array property, comma lists split and trimmed; numbers accepted as ports are. */
function entries(...values: unknown[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    for (const item of Array.isArray(v) ? v : [v]) {
      if (typeof item === "number") out.push(String(item));
      else if (typeof item === "string") out.push(...item.split(",").map((s) => s.trim()).filter((s) => s !== ""));
    }
  }
  return out;
}

/** Reads one rule. `fallbackName` names rules that carry no `name` (a standalone rule's logical name). */
export function readRule(rule: Record<string, unknown>, fallbackName: string): RuleView {
  const name = typeof rule.name === "string" && rule.name !== "" ? rule.name : typeof rule.securityRuleName === "string" ? rule.securityRuleName : fallbackName;
  const protocol = typeof rule.protocol === "string" && rule.protocol.trim() !== "" ? rule.protocol.trim() : "*";
  const p = protocol.toLowerCase();
  const flowProtocols: FlowProtocol[] = p === "*" ? ["tcp", "udp"] : p === "tcp" || p === "udp" ? [p] : [];
  const otherProtocol = p === "*" ? "any other protocol" : flowProtocols.length === 0 ? protocol : undefined;
  const sources = entries(rule.sourceAddressPrefix, rule.sourceAddressPrefixes);
  const verdict = internetEquivalence(sources);
  const portEntries = entries(rule.destinationPortRange, rule.destinationPortRanges);
  const ports: PortRange[] = [];
  const unreadablePorts: string[] = [];
  for (const e of portEntries) {
    const r = parsePortRange(e);
    if (r) ports.push(r);
    else unreadablePorts.push(e);
  }
  if (portEntries.length === 0 || unreadablePorts.length > 0) ports.push(ALL_PORTS);
  return {
    name,
    inbound: !(typeof rule.direction === "string" && rule.direction.trim().toLowerCase() === "outbound"),
    allow: !(typeof rule.access === "string" && rule.access.trim().toLowerCase() === "deny"),
    protocol,
    flowProtocols,
    otherProtocol,
    sources,
    internet: verdict.internet,
    internetSources: verdict.entries.length > 0 ? verdict.entries : verdict.together,
    internetWhy: internetReason(verdict),
    ports,
    unreadablePorts,
  };
}

/** The rules a resource carries: an NSG's inline `securityRules`, or a standalone SecurityRule itself. */
export function rulesOf(type: string, props: Record<string, unknown>, name: string): RuleView[] {
  if (isOfType(type, SecurityRule)) return [readRule(props, name)];
  return list(props.securityRules)
    .filter(isRecord)
    .map((r, i) => readRule(r, `securityRules[${i}]`));
}

// ---- port sets

/** Sorts and merges ranges (adjacent ones too). */
export function normalize(ranges: PortRange[]): PortRange[] {
  const sorted = ranges.map((r) => ({ ...r })).sort((a, b) => a.from - b.from || a.to - b.to);
  const out: PortRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.from <= last.to + 1) last.to = Math.max(last.to, r.to);
    else out.push(r);
  }
  return out;
}

/** The ports of `a` that are not in `b`. */
export function subtract(a: PortRange[], b: PortRange[]): PortRange[] {
  let rest = normalize(a);
  for (const cut of normalize(b)) {
    const next: PortRange[] = [];
    for (const r of rest) {
      if (cut.to < r.from || cut.from > r.to) {
        next.push(r);
        continue;
      }
      if (cut.from > r.from) next.push({ from: r.from, to: cut.from - 1 });
      if (cut.to < r.to) next.push({ from: cut.to + 1, to: r.to });
    }
    rest = next;
  }
  return rest;
}

/** Whether any range contains the port. */
export function covers(ranges: PortRange[], port: number): boolean {
  return ranges.some((r) => r.from <= port && port <= r.to);
}

/** `443, 10100, 50000-54999`. */
export function showRanges(ranges: PortRange[]): string {
  return normalize(ranges)
    .map((r) => (r.from === r.to ? String(r.from) : `${r.from}-${r.to}`))
    .join(", ");
}

const PROTOCOL_LABEL: Record<FlowProtocol, string> = { tcp: "Tcp", udp: "Udp" };

/** `Tcp 443, 10100 and Udp 50000-54999` (protocols in a fixed order, empty ones left out). */
export function showPortSet(set: Partial<Record<FlowProtocol, PortRange[]>>, other?: string): string {
  const parts = (["tcp", "udp"] as FlowProtocol[])
    .filter((p) => (set[p] ?? []).length > 0)
    .map((p) => `${PROTOCOL_LABEL[p]} ${showRanges(set[p] ?? [])}`);
  if (other) parts.push(other);
  return parts.join(" and ");
}

// ---- the flow table, as the NSG sees it

/** An inbound flow of the network table, in the NSG's (post-NAT) ports. */
export interface InboundFlow {
  /** The NSG_RULES row it comes from. */
  rule: string;
  protocol: FlowProtocol;
  ports: PortRange[];
  /** The table lets it come from any source (the Internet tag, or a prefix list that means "any" when empty). */
  anySource: boolean;
  /** Row numbers of `flows()` it serves. */
  flows: number[];
}

/**
 * The inbound flows, read from NSG_RULES (the rows that serve a flow of `flows()`). Ports are instance ports: NSGs
 * see destinations after the load balancer's NAT, so 10000-10399 never reaches an NSG, 10100 does.
 */
export function inboundFlows(): InboundFlow[] {
  const known = new Set(flows().map((f) => f.id));
  return NSG_RULES.filter((r) => r.direction === "Inbound" && r.flows.some((id) => known.has(id))).map((r) => ({
    rule: r.name,
    protocol: r.protocol.toLowerCase() as FlowProtocol,
    ports: r.ports.map((p) => parsePortRange(p)).filter((x): x is PortRange => x !== undefined),
    anySource: r.source.kind === "tag" ? r.source.tag === "Internet" : r.source.whenEmpty === "any",
    flows: [...r.flows],
  }));
}

/** Ports per protocol of the given flows. */
export function portsByProtocol(fs: InboundFlow[]): Record<FlowProtocol, PortRange[]> {
  return {
    tcp: normalize(fs.filter((f) => f.protocol === "tcp").flatMap((f) => f.ports)),
    udp: normalize(fs.filter((f) => f.protocol === "udp").flatMap((f) => f.ports)),
  };
}

// ---- verdicts

/** At most this many sources are quoted in a message; the rest are counted. */
const SHOWN_SOURCES = 8;

/** Quoted source list for messages: `source "*"` or `sources "Internet", "0.0.0.0/0"` (long lists cut). */
export function showSources(sources: string[]): string {
  const shown = sources.slice(0, SHOWN_SOURCES).map((s) => JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s));
  const more = sources.length > SHOWN_SOURCES ? ` and ${sources.length - SHOWN_SOURCES} more` : "";
  return `${sources.length === 1 ? "source" : "sources"} ${shown.join(", ")}${more}`;
}

/** `source "*"`, or `sources "0.0.0.0/2", ...: together they cover ...`: what makes a rule's sources the internet. */
export function showInternet(rule: Pick<RuleView, "internetSources" | "internetWhy">): string {
  const list = rule.internetSources.length > 0 ? showSources(rule.internetSources) : "its sources";
  return rule.internetWhy ? `${list}: ${rule.internetWhy}` : list;
}

/** Well-known names of the ports the RDP/SSH policy watches, for messages. */
const PORT_NAMES: Record<number, string> = { 22: "SSH", 3389: "RDP" };

/**
 * `nsg-no-rdp-ssh-from-internet` on one rule: an inbound Allow rule for Tcp or `*`, reaching a watched port, from an
 * internet-equivalent source. Returns the violation message, or undefined.
 */
export function rdpSshExposure(rule: RuleView, watchedPorts: number[]): string | undefined {
  if (!opensTcp(rule) || !rule.internet) return undefined;
  const hit = watchedHit(rule, watchedPorts);
  if (hit.length === 0) return undefined;
  return `Security rule "${rule.name}" allows ${showPorts(hit)} inbound from the internet (${showInternet(rule)}); ${RDP_FIX}`;
}

const RDP_FIX = "allow it only from your management networks (managementSourcePrefixes).";

function opensTcp(rule: RuleView): boolean {
  return rule.inbound && rule.allow && rule.flowProtocols.includes("tcp");
}

function watchedHit(rule: RuleView, watchedPorts: number[]): number[] {
  return [...new Set(watchedPorts)].sort((a, b) => a - b).filter((p) => covers(rule.ports, p));
}

function showPorts(ports: number[]): string {
  return ports.map((p) => (PORT_NAMES[p] ? `${PORT_NAMES[p]} (port ${p})` : `port ${p}`)).join(" and ");
}

/**
 * `nsg-no-rdp-ssh-from-internet` across the rules of one NSG: rules none of which is open to the internet alone,
 * but whose sources together are (256 rules of one /8 each). One message per watched port reached that way.
 */
export function rdpSshExposureTogether(rules: RuleView[], watchedPorts: number[]): string[] {
  const out: string[] = [];
  for (const port of [...new Set(watchedPorts)].sort((a, b) => a - b)) {
    const reaching = rules.filter((r) => opensTcp(r) && covers(r.ports, port));
    if (reaching.length < 2 || reaching.some((r) => r.internet)) continue;
    const verdict = internetEquivalence(reaching.flatMap((r) => r.sources));
    if (!verdict.internet) continue;
    const names = showSources(reaching.map((r) => r.name)).replace(/^sources? /, "");
    const why = { internetSources: verdict.together.length > 0 ? verdict.together : verdict.entries, internetWhy: internetReason(verdict) };
    out.push(`Security rules ${names} together allow ${showPorts([port])} inbound from the internet (${showInternet(why)}); ${RDP_FIX}`);
  }
  return out;
}

/**
 * `nsg-only-connector-flows` on one rule: every port/protocol an inbound Allow rule opens must be an inbound flow of
 * the table, and from an internet-equivalent source only flows the table allows from any source. Returns the
 * violation message, or undefined.
 */
export function connectorFlowBreach(rule: RuleView, table: InboundFlow[] = inboundFlows()): string | undefined {
  if (!rule.inbound || !rule.allow) return undefined;
  const all = portsByProtocol(table);
  const open = portsByProtocol(table.filter((f) => f.anySource));
  const notFlows: Partial<Record<FlowProtocol, PortRange[]>> = {};
  const tooOpen: Partial<Record<FlowProtocol, PortRange[]>> = {};
  for (const p of rule.flowProtocols) {
    notFlows[p] = subtract(rule.ports, all[p]);
    if (rule.internet) tooOpen[p] = subtract(subtract(rule.ports, notFlows[p] ?? []), open[p]);
  }
  const sentences: string[] = [];
  if (rule.unreadablePorts.length > 0) {
    sentences.push(`Destination port ${rule.unreadablePorts.map((p) => JSON.stringify(p)).join(", ")} is not a port or a range (read as every port).`);
  }
  const extra = showPortSet(notFlows, rule.otherProtocol);
  if (extra !== "") {
    sentences.push(`Security rule "${rule.name}" allows inbound ${extra}, which no connector flow uses (connector flows: ${showPortSet(all)}).`);
  }
  const exposed = showPortSet(tooOpen);
  if (exposed !== "") {
    sentences.push(
      `Security rule "${rule.name}" allows inbound ${exposed} from the internet (${showInternet(rule)}); ` +
        `only ${showPortSet(open)} may come from any source.`,
    );
  }
  return sentences.length > 0 ? sentences.join(" ") : undefined;
}
