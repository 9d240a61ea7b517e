/**
 * The network contract (shared/spec/network.md, from the seed's "Firewall ports for the Teams Connector and
 * NSG rules"), as data. The NetworkSecurity component, the load balancer, the policy pack, the plan's
 * diagram and the README all read these tables; nothing else writes a port number.
 */

/** A port or an inclusive range, as Azure writes it in `destinationPortRange`. */
export type PortSpec = string;

export type Endpoint =
  | "Conferencing Nodes"
  | "Management Node"
  | "management workstations"
  | "connector load balancer"
  | "connector instance"
  | "Event Hub"
  | "Microsoft Teams (O365)"
  | "OCSP responders"
  | "Windows Update"
  | "any client viewing an invite";

export interface Flow {
  /** Row number of network.md's flow table (stable id). */
  id: number;
  from: Endpoint;
  to: Endpoint;
  /** Source ports, when the seed names them (`*` for ephemeral). */
  sourcePorts: PortSpec;
  /** Destination ports as the sender sees them (before the load balancer's NAT). */
  ports: PortSpec;
  protocol: "TCP" | "UDP" | "AMQP/TCP";
  purpose: string;
  /** Only present when the stack enables it. */
  when?: "enhancedStatus" | "managementSourcePrefixes";
  /** Not an Azure resource of this program (documentation only). */
  external?: boolean;
}

/** Conferencing Node port ranges the seed marks "configurable"; the stack keys `nodeSignallingPorts`/`nodeMediaPorts` override them. */
export const DEFAULT_NODE_PORTS = { signalling: "33000-39999", media: "40000-49999" } as const;

/** The connector's own ports. */
export const CONNECTOR_PORTS = {
  https: 443,
  mediaFromNodes: "50000-54999",
  mediaToTeams: "55000-59999",
  rdp: 3389,
  // Event Hubs AMQP clients need outbound 5671 and 5672 https://learn.microsoft.com/en-us/azure/event-hubs/event-hubs-faq#what-ports-do-i-need-to-open-on-the-firewall
  eventHubAmqp: "5671-5672",
} as const;

/** The seed's firewall table, normalised (network.md "Flows"). */
export function flows(nodePorts: { signalling: string; media: string } = DEFAULT_NODE_PORTS): Flow[] {
  return [
    { id: 1, from: "Conferencing Nodes", to: "connector load balancer", sourcePorts: nodePorts.signalling, ports: "443", protocol: "TCP", purpose: "signalling" },
    { id: 2, from: "Conferencing Nodes", to: "connector instance", sourcePorts: nodePorts.media, ports: CONNECTOR_PORTS.mediaFromNodes, protocol: "UDP", purpose: "call media" },
    { id: 3, from: "Management Node", to: "Event Hub", sourcePorts: "*", ports: CONNECTOR_PORTS.eventHubAmqp, protocol: "AMQP/TCP", purpose: "enhanced status", when: "enhancedStatus" },
    { id: 4, from: "connector instance", to: "Microsoft Teams (O365)", sourcePorts: "*", ports: "*", protocol: "TCP", purpose: "signalling" },
    { id: 5, from: "connector instance", to: "Conferencing Nodes", sourcePorts: "*", ports: "443", protocol: "TCP", purpose: "signalling" },
    { id: 6, from: "connector instance", to: "Conferencing Nodes", sourcePorts: CONNECTOR_PORTS.mediaFromNodes, ports: nodePorts.media, protocol: "UDP", purpose: "call media" },
    { id: 7, from: "connector instance", to: "Microsoft Teams (O365)", sourcePorts: CONNECTOR_PORTS.mediaToTeams, ports: "*", protocol: "UDP", purpose: "call media" },
    { id: 8, from: "connector instance", to: "OCSP responders", sourcePorts: "*", ports: "80", protocol: "TCP", purpose: "revocation checks" },
    { id: 9, from: "connector instance", to: "Windows Update", sourcePorts: "*", ports: "80,443", protocol: "TCP", purpose: "updates" },
    { id: 10, from: "Microsoft Teams (O365)", to: "connector load balancer", sourcePorts: "*", ports: "10000-10399", protocol: "TCP", purpose: "signalling (NAT to instance port 10100)" },
    { id: 11, from: "Microsoft Teams (O365)", to: "connector load balancer", sourcePorts: "*", ports: "11000-11399", protocol: "TCP", purpose: "signalling (NAT to instance port 20100)" },
    { id: 12, from: "Microsoft Teams (O365)", to: "connector instance", sourcePorts: "*", ports: CONNECTOR_PORTS.mediaToTeams, protocol: "UDP", purpose: "call media" },
    { id: 13, from: "management workstations", to: "connector load balancer", sourcePorts: "*", ports: "50000-50399", protocol: "TCP", purpose: "RDP (NAT to instance port 3389)", when: "managementSourcePrefixes" },
    { id: 14, from: "any client viewing an invite", to: "Conferencing Nodes", sourcePorts: "*", ports: "443", protocol: "TCP", purpose: "alternate dialing instructions page", external: true },
  ];
}

/** Where an NSG rule's sources come from. */
export type RuleSource =
  | { kind: "prefixes"; key: "nodeSourcePrefixes" | "managementSourcePrefixes"; whenEmpty: "any" | "deny" }
  | { kind: "tag"; tag: "Internet" | "VirtualNetwork" };

/** One row of the NSG table (network.md "NSG"). NSGs see post-NAT ports, so ports here are instance ports. */
export interface NsgRuleSpec {
  /** Rule name; `MCU-signalling-endpoint` and `RDP` are the seed's, admins and Pexip support look for them. */
  name: string;
  priority: number;
  direction: "Inbound" | "Outbound";
  source: RuleSource;
  /** Destination: an Azure service tag, or `*`. */
  destination: "*" | "EventHub";
  /** Instance ports (post-NAT). */
  ports: PortSpec[];
  protocol: "Tcp" | "Udp";
  /** The flows of `flows()` this rule serves. */
  flows: number[];
  /** Created only when the stack enables it. */
  when?: "enhancedStatus";
  /** Source ports: the Conferencing Nodes' configurable range (the seed's firewall table), or any. */
  sourcePorts?: "signalling" | "media";
  description: string;
}

// Priorities are 100-4096, lower first https://learn.microsoft.com/en-us/azure/virtual-network/network-security-groups-overview#security-rules
// Internet, VirtualNetwork and EventHub are service tags https://learn.microsoft.com/en-us/azure/virtual-network/service-tags-overview#available-service-tags
export const NSG_RULES: readonly NsgRuleSpec[] = [
  {
    name: "MCU-signalling-endpoint", priority: 120, direction: "Inbound",
    source: { kind: "prefixes", key: "nodeSourcePrefixes", whenEmpty: "any" }, destination: "*",
    ports: ["443"], protocol: "Tcp", flows: [1], sourcePorts: "signalling", description: "Conferencing Nodes to the connector (signalling, TLS)",
  },
  {
    name: "MCU-media", priority: 130, direction: "Inbound",
    source: { kind: "prefixes", key: "nodeSourcePrefixes", whenEmpty: "any" }, destination: "*",
    ports: [CONNECTOR_PORTS.mediaFromNodes], protocol: "Udp", flows: [2], sourcePorts: "media", description: "Conferencing Nodes to the instances (call media)",
  },
  {
    name: "Teams-signalling", priority: 140, direction: "Inbound",
    source: { kind: "tag", tag: "Internet" }, destination: "*",
    ports: ["10100", "20100"], protocol: "Tcp", flows: [10, 11], description: "Microsoft Teams to the instances through the load balancer's NAT rules",
  },
  {
    name: "Teams-media", priority: 150, direction: "Inbound",
    source: { kind: "tag", tag: "Internet" }, destination: "*",
    ports: [CONNECTOR_PORTS.mediaToTeams], protocol: "Udp", flows: [12], description: "Microsoft Teams to the instances (call media)",
  },
  {
    name: "RDP", priority: 1000, direction: "Inbound",
    source: { kind: "prefixes", key: "managementSourcePrefixes", whenEmpty: "deny" }, destination: "*",
    ports: [String(CONNECTOR_PORTS.rdp)], protocol: "Tcp", flows: [13], description: "Management workstations to the instances (RDP); denied when no prefixes are set",
  },
  {
    name: "EventHub-AMQP-outbound", priority: 200, direction: "Outbound",
    source: { kind: "tag", tag: "VirtualNetwork" }, destination: "EventHub",
    ports: [CONNECTOR_PORTS.eventHubAmqp], protocol: "Tcp", flows: [3], when: "enhancedStatus", description: "Instances push status to the Event Hub",
  },
];

/** Inputs that decide the concrete NSG rules. */
export interface NsgRuleInputs {
  nodeSourcePrefixes: string[];
  managementSourcePrefixes: string[];
  enhancedStatus: boolean;
  /** The Conferencing Nodes' source port ranges (default: the seed's, DEFAULT_NODE_PORTS). */
  nodePorts?: { signalling: string; media: string };
}

/** A concrete rule, shaped like azure-native's `SecurityRule` args (inline `securityRules` entry). */
export interface ConcreteSecurityRule {
  name: string;
  priority: number;
  direction: "Inbound" | "Outbound";
  access: "Allow" | "Deny";
  protocol: "Tcp" | "Udp";
  sourcePortRange: string;
  sourceAddressPrefix?: string;
  sourceAddressPrefixes?: string[];
  destinationAddressPrefix: string;
  destinationPortRange?: string;
  destinationPortRanges?: string[];
  description: string;
}

/** The concrete NSG rules for a stack: the table above applied to its prefix lists. */
export function securityRules(inputs: NsgRuleInputs): ConcreteSecurityRule[] {
  const out: ConcreteSecurityRule[] = [];
  for (const spec of NSG_RULES) {
    if (spec.when === "enhancedStatus" && !inputs.enhancedStatus) continue;
    let access: "Allow" | "Deny" = "Allow";
    let source: Pick<ConcreteSecurityRule, "sourceAddressPrefix" | "sourceAddressPrefixes">;
    if (spec.source.kind === "tag") {
      source = { sourceAddressPrefix: spec.source.tag };
    } else {
      const prefixes = inputs[spec.source.key];
      if (prefixes.length === 0) {
        source = { sourceAddressPrefix: "*" };
        if (spec.source.whenEmpty === "deny") access = "Deny";
      } else if (prefixes.length === 1) {
        source = { sourceAddressPrefix: prefixes[0] };
      } else {
        source = { sourceAddressPrefixes: [...prefixes] };
      }
    }
    const ports = spec.ports.length === 1 ? { destinationPortRange: spec.ports[0] } : { destinationPortRanges: [...spec.ports] };
    out.push({
      name: spec.name,
      priority: spec.priority,
      direction: spec.direction,
      access,
      protocol: spec.protocol,
      sourcePortRange: spec.sourcePorts ? (inputs.nodePorts ?? DEFAULT_NODE_PORTS)[spec.sourcePorts] : "*",
      ...source,
      destinationAddressPrefix: spec.destination,
      ...ports,
      description: spec.description,
    });
  }
  return out;
}

/** Load balancer: the 443 rule, its probe, and the per-instance inbound NAT rules v2 (network.md "Load balancer"). */
export const LOAD_BALANCER = {
  rule: { name: "https-443", protocol: "Tcp", frontendPort: 443, backendPort: 443, idleTimeoutInMinutes: 4 },
  probe: { name: "https-443-probe", protocol: "Tcp", port: 443, intervalInSeconds: 5, numberOfProbes: 2 },
  natRules: [
    { name: "teams-signalling-10100", protocol: "Tcp", frontendPortRangeStart: 10000, frontendPortRangeEnd: 10399, backendPort: 10100, flow: 10 },
    { name: "teams-signalling-20100", protocol: "Tcp", frontendPortRangeStart: 11000, frontendPortRangeEnd: 11399, backendPort: 20100, flow: 11 },
    { name: "rdp-3389", protocol: "Tcp", frontendPortRangeStart: 50000, frontendPortRangeEnd: 50399, backendPort: 3389, flow: 13, onlyWhenRdpAllowed: true },
  ],
} as const;

/** Upper bound of instances: each NAT range has 400 frontend ports, one per instance (the config allows 1-100). */
export const MAX_INSTANCES = 100;

/** Parse `443`, `50000-54999` or `*` into an inclusive range; undefined when malformed. */
export function parsePortRange(spec: string): { from: number; to: number } | undefined {
  const s = spec.trim();
  if (s === "*") return { from: 0, to: 65535 };
  const m = /^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$/.exec(s);
  if (!m) return undefined;
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  if (from > 65535 || to > 65535 || from > to) return undefined;
  return { from, to };
}
