/**
 * `--format mermaid`: a `flowchart LR` of the components (subgraphs), their resources, and the network flows of
 * spec/network.md with their ports (read from `flows()`, never restated). GitHub renders it in the README.
 */
import { createHash } from "crypto";
import { Endpoint, Flow } from "../../components/network";
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

/** `azure-native:network:LoadBalancer` -> `network:LoadBalancer`; `azuread:index/application:Application` -> `azuread:Application`. */
export function shortType(type: string): string {
  const parts = type.split(":");
  if (parts.length === 3 && parts[0] === "azure-native") return `${parts[1]}:${parts[2]}`;
  if (parts.length === 3 && parts[1].startsWith("index/")) return `${parts[0]}:${parts[2]}`;
  return type;
}

export interface MermaidOptions {
  /** Flows that apply to this stack (already filtered by `when`). */
  flows: Flow[];
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
  for (const f of o.flows) {
    const from = endpointId(f.from);
    const to = endpointId(f.to);
    const ports = f.ports === "*" ? "any port" : f.ports;
    const arrow = f.external ? "-.->" : "-->";
    lines.push(`  ${from} ${arrow}|"${label(`${f.id}: ${ports} ${f.protocol} ${f.purpose}`)}"| ${to}`);
  }
  return lines.join("\n") + "\n";
}
