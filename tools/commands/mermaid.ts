/**
 * `--format mermaid`: a `flowchart LR` of the components (subgraphs), their resources, how they hang together (thick
 * arrows: the public IP in front of the load balancer, the NSG on the subnet and the scale set, the Key Vault feeding
 * the scale set and the disk encryption set, each identity to its grants), and every flow of the port table with its
 * number and ports (read from `flows()`, never restated; a flow the stack turns off is dashed and says why). GitHub
 * renders it in the README.
 */
import { createHash } from "crypto";
import { Endpoint, Flow } from "../../components/network";
import { unversionedType } from "../../components/typeTokens";
import { componentOf, PlanResource } from "../engine/model";

/** Where a flow endpoint lands in the diagram: the first resource of one of these types, else a node of its own. */
const ENDPOINT_TYPES: Partial<Record<Endpoint, string[]>> = {
  "connector load balancer": ["azure-native:network:LoadBalancer"],
  "connector instance": ["azure-native:compute:VirtualMachineScaleSet"],
  "Event Hub": ["azure-native:eventhub:Namespace", "azure-native:eventhub:EventHub"],
};

/** Types left out of the diagram: the engine's own bookkeeping, not infrastructure. */
const HIDDEN = (type: string) => type === "pulumi:pulumi:Stack" || type.startsWith("pulumi:providers:");

/** Mermaid-safe node id: a letter prefix and hex, so no keyword (`end`, `graph`) and no punctuation. */
export function nodeId(prefix: string, key: string): string {
  return `${prefix}_${createHash("sha256").update(key).digest("hex").slice(0, 10)}`;
}

/** Label text for a quoted Mermaid label: no double quotes, no markup but the line breaks this module adds. */
export function label(text: string): string {
  return text.replace(/"/g, "'").replace(/[<>]/g, "").replace(/[\r\n]+/g, " ");
}

/**
 * `azure-native:network:LoadBalancer` -> `network:LoadBalancer`; `azuread:index/application:Application` ->
 * `azuread:Application`; `pulumi-nodejs:dynamic/pexip:RolePropagationWait` -> `dynamic:RolePropagationWait`.
 */
export function shortType(type: string): string {
  const parts = type.split(":");
  if (parts.length === 3 && parts[0] === "pulumi-nodejs" && parts[1].startsWith("dynamic/")) return `dynamic:${parts[2]}`;
  if (parts.length === 3 && parts[0] === "azure-native") return `${parts[1]}:${parts[2]}`;
  if (parts.length === 3 && parts[1].startsWith("index/")) return `${parts[0]}:${parts[2]}`;
  return type;
}

/**
 * The structure drawn between resources: an edge wherever a resource of `to` depends on one of `from` (the plan's
 * dependencies, so only what the program really wires); `reverse` draws it from the dependent (a grant to its scope).
 */
export const STRUCTURE: readonly { from: string; to: string; label: string; reverse?: boolean }[] = [
  { from: "azure-native:network:PublicIPAddress", to: "azure-native:network:LoadBalancer", label: "static IP: the frontend" },
  { from: "azure-native:network:NetworkSecurityGroup", to: "azure-native:network:VirtualNetwork", label: "NSG of the subnet" },
  { from: "azure-native:network:NetworkSecurityGroup", to: "azure-native:compute:VirtualMachineScaleSet", label: "NSG of the NICs" },
  { from: "azure-native:network:LoadBalancer", to: "azure-native:compute:VirtualMachineScaleSet", label: "backend pool, NAT" },
  { from: "azure-native:keyvault:Vault", to: "azure-native:compute:VirtualMachineScaleSet", label: "certificate" },
  { from: "azure-native:keyvault:Vault", to: "azure-native:compute:DiskEncryptionSet", label: "disk key" },
  { from: "azure-native:compute:DiskEncryptionSet", to: "azure-native:compute:VirtualMachineScaleSet", label: "disk encryption" },
  { from: "azure-native:managedidentity:UserAssignedIdentity", to: "azure-native:authorization:RoleAssignment", label: "granted" },
  { from: "azure-native:authorization:RoleAssignment", to: "azure-native:storage:BlobContainer", label: "on", reverse: true },
  { from: "azure-native:authorization:RoleAssignment", to: "azure-native:keyvault:Vault", label: "on", reverse: true },
  { from: "azure-native:managedidentity:UserAssignedIdentity", to: "azure-native:compute:VirtualMachineScaleSet", label: "identity" },
  { from: "azure-native:managedidentity:UserAssignedIdentity", to: "azure-native:compute:DiskEncryptionSet", label: "identity" },
  { from: "azure-native:managedidentity:UserAssignedIdentity", to: "azure-native:web:WebApp", label: "identity" },
];

export interface MermaidOptions {
  /** Every flow of the port table (`flows()`). */
  flows: Flow[];
  /** Flows this stack turns off, with why (e.g. RDP without managementSourcePrefixes): drawn dashed. */
  off?: ReadonlyMap<number, string>;
}

export function renderMermaid(resources: PlanResource[], o: MermaidOptions): string {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const lines = ["flowchart LR"];
  const groups = new Map<string, PlanResource[]>();
  const loose: PlanResource[] = [];
  for (const r of resources) {
    if (HIDDEN(r.type) || r.type.startsWith("pexip:teams:")) continue;
    const c = componentOf(r, byUrn);
    if (c) groups.set(c.urn, [...(groups.get(c.urn) ?? []), r]);
    else loose.push(r);
  }
  const node = (r: PlanResource) => `${nodeId("r", r.urn)}["${label(shortType(r.type))}<br/>${label(r.name)}"]`;
  // Components nest as they do in the program (NetworkSecurity inside TeamsConnectorVmss).
  const components = resources.filter((r) => r.type.startsWith("pexip:teams:"));
  const outer = (c: PlanResource) => {
    const p = c.parent ? byUrn.get(c.parent) : undefined;
    return p ? componentOf(p, byUrn) : undefined;
  };
  const emit = (c: PlanResource, indent: string) => {
    lines.push(`${indent}subgraph ${nodeId("c", c.urn)}["${label(`${c.type.slice("pexip:teams:".length)} ${c.name}`)}"]`);
    for (const r of groups.get(c.urn) ?? []) lines.push(`${indent}  ${node(r)}`);
    for (const inner of components.filter((x) => outer(x)?.urn === c.urn)) emit(inner, `${indent}  `);
    lines.push(`${indent}end`);
  };
  for (const c of components.filter((x) => outer(x) === undefined)) emit(c, "  ");
  for (const r of loose) lines.push(`  ${node(r)}`);

  const endpoints = new Map<string, string>();
  const endpointId = (e: Endpoint): string => {
    const found = (ENDPOINT_TYPES[e] ?? []).map((t) => resources.find((r) => r.type === t)).find((r) => r !== undefined);
    if (found) return nodeId("r", found.urn);
    const id = nodeId("x", e);
    if (!endpoints.has(id)) {
      endpoints.set(id, e);
      lines.push(`  ${id}(["${label(e)}"])`);
    }
    return id;
  };
  // How the resources hang together: only where the plan has the dependency (a grant depends on its identity...).
  const ofType = (t: string) => resources.filter((r) => unversionedType(r.type) === t);
  const drawn = new Set<string>();
  for (const e of STRUCTURE) {
    for (const dependent of ofType(e.reverse ? e.from : e.to)) {
      for (const dep of dependent.dependencies) {
        const d = byUrn.get(dep);
        if (!d || unversionedType(d.type) !== (e.reverse ? e.to : e.from)) continue;
        const [a, b] = e.reverse ? [dependent, d] : [d, dependent];
        const key = `${a.urn}>${b.urn}`;
        if (drawn.has(key)) continue;
        drawn.add(key);
        lines.push(`  ${nodeId("r", a.urn)} ==>|"${label(e.label)}"| ${nodeId("r", b.urn)}`);
      }
    }
  }
  for (const f of o.flows) {
    const from = endpointId(f.from);
    const to = endpointId(f.to);
    const ports = f.ports === "*" ? "any port" : f.ports;
    const off = o.off?.get(f.id);
    const arrow = f.external || off !== undefined ? "-.->" : "-->";
    lines.push(`  ${from} ${arrow}|"${label(`${f.id}: ${ports} ${f.protocol} ${f.purpose}${off !== undefined ? ` (off: ${off})` : ""}`)}"| ${to}`);
  }
  return lines.join("\n") + "\n";
}
