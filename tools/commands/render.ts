/**
 * The plan for people, read top to bottom: config summary, resources by component with the few inputs that matter,
 * the NSG rules, policy verdicts, then the next steps from the stack outputs. Everything here is already masked;
 * the caller scrubs the final text once more against every known secret.
 */
import { EncryptedValue, MASK } from "../../components/config";
import { unversionedType } from "../../components/typeTokens";
import type { StackFile } from "../engine/stackFile";
import { at, componentOf, PlanDoc, PlanResource, Violation } from "../engine/model";
import { shortType } from "./mermaid";

/** The inputs worth a glance, by type; other types fall back to GENERIC_INPUTS. Paths are dotted. */
export const KEY_INPUTS: Readonly<Record<string, readonly string[]>> = {
  "pulumi:providers:azure-native": ["location", "subscriptionId", "partnerId"],
  "pulumi:pulumi:StackReference": ["name"],
  "azure-native:resources:ResourceGroup": ["resourceGroupName", "location"],
  "azure-native:compute:VirtualMachineScaleSet": ["vmScaleSetName", "sku.name", "sku.capacity", "zones", "upgradePolicy.mode", "virtualMachineProfile.storageProfile.imageReference.sku"],
  "azure-native:compute:VirtualMachineScaleSetExtension": ["vmssExtensionName", "publisher", "type", "typeHandlerVersion"],
  "azure-native:compute:DiskEncryptionSet": ["diskEncryptionSetName", "encryptionType"],
  "azure-native:network:NetworkSecurityGroup": ["networkSecurityGroupName", "securityRules"],
  "azure-native:network:SecurityRule": ["securityRuleName", "priority", "access", "destinationPortRange"],
  "azure-native:network:PublicIPAddress": ["publicIpAddressName", "sku.name", "publicIPAllocationMethod", "zones"],
  "azure-native:network:LoadBalancer": ["loadBalancerName", "sku.name", "loadBalancingRules", "inboundNatRules"],
  "azure-native:network:VirtualNetwork": ["virtualNetworkName", "addressSpace.addressPrefixes", "subnets"],
  "azure-native:network:Subnet": ["subnetName", "addressPrefix"],
  "azure-native:keyvault:Vault": ["vaultName", "properties.sku.name", "properties.enableRbacAuthorization", "properties.enablePurgeProtection"],
  "azure-native:keyvault:Secret": ["secretName", "vaultName"],
  "azure-native:keyvault:Key": ["keyName", "properties.kty", "properties.keySize"],
  "azure-native:storage:StorageAccount": ["accountName", "sku.name", "kind", "minimumTlsVersion", "allowBlobPublicAccess"],
  "azure-native:storage:BlobContainer": ["containerName", "publicAccess"],
  "azure-native:storage:Blob": ["blobName", "containerName"],
  "azure-native:eventhub:Namespace": ["namespaceName", "sku.name"],
  "azure-native:eventhub:EventHub": ["eventHubName", "namespaceName"],
  "azure-native:eventhub:EventHubAuthorizationRule": ["authorizationRuleName", "rights"],
  "azure-native:managedidentity:UserAssignedIdentity": ["resourceName"],
  "azure-native:authorization:RoleAssignment": ["roleDefinitionId", "principalType"],
  "azure-native:dns:RecordSet": ["relativeRecordSetName", "zoneName", "recordType"],
  "azure-native:web:AppServicePlan": ["name", "sku.name", "kind"],
  "azure-native:web:WebApp": ["name", "httpsOnly", "siteConfig.ipSecurityRestrictions"],
  "azure-native:botservice:Bot": ["resourceName", "kind", "properties.endpoint", "properties.msaAppType"],
  "azure-native:botservice:Channel": ["channelName", "properties.channelName"],
  "azuread:index/application:Application": ["displayName", "signInAudience"],
  "azuread:index/servicePrincipal:ServicePrincipal": ["clientId"],
  "random:index/randomString:RandomString": ["length"],
  "random:index/randomPassword:RandomPassword": ["length"],
  "tls:index/privateKey:PrivateKey": ["algorithm", "rsaBits"],
  "tls:index/selfSignedCert:SelfSignedCert": ["subject.commonName", "dnsNames", "validityPeriodHours"],
  "pulumi-nodejs:dynamic/pexip:InfinityObject": ["objectType", "objectName", "fields"],
};

/** For types without an entry: the name-like inputs Azure resources usually carry. */
export const GENERIC_INPUTS: readonly string[] = ["name", "location", "sku.name", "kind"];

/** A short rendering of one plan value (lists of scalars joined, other lists counted, objects as compact JSON). */
export function brief(v: unknown, max = 70): string {
  if (v === null || v === undefined) return "(none)";
  if (typeof v === "string") return v.length > max ? `${v.slice(0, max - 3)}...` : v;
  if (typeof v !== "object") return String(v);
  if (Array.isArray(v)) {
    if (v.every((x) => x === null || typeof x !== "object")) return brief(`[${v.join(", ")}]`, max);
    return `${v.length} item${v.length === 1 ? "" : "s"}`;
  }
  return brief(JSON.stringify(v), max);
}

export function keyInputs(r: PlanResource): string {
  const paths = KEY_INPUTS[unversionedType(r.type)] ?? (r.type.startsWith("pexip:teams:") ? [] : GENERIC_INPUTS);
  const parts: string[] = [];
  for (const p of paths) {
    const v = at(r.inputs, p);
    if (v === undefined) continue;
    parts.push(`${p}=${brief(v)}`);
  }
  return parts.join("  ");
}

/** Config keys as set in the stack file (secrets masked), in the project namespace by their short names. */
export function configSummary(sf: StackFile, project: string): string[] {
  const show = (v: unknown, secretPaths: string[], here = ""): unknown => {
    if (v instanceof EncryptedValue) return MASK;
    if (secretPaths.includes(here)) return MASK;
    if (Array.isArray(v)) return v.map((x, i) => show(x, secretPaths, here === "" ? String(i) : `${here}.${i}`));
    if (typeof v === "object" && v !== null) {
      return Object.fromEntries(Object.keys(v).sort().map((k) => [k, show((v as Record<string, unknown>)[k], secretPaths, here === "" ? k : `${here}.${k}`)]));
    }
    return v;
  };
  const keys = [...sf.entries.keys()].sort((a, b) => {
    const pa = a.startsWith(`${project}:`) ? 1 : 0;
    const pb = b.startsWith(`${project}:`) ? 1 : 0;
    return pa - pb || a.localeCompare(b);
  });
  const width = Math.max(0, ...keys.map((k) => k.replace(`${project}:`, "").length));
  return keys.map((k) => {
    const e = sf.entries.get(k)!;
    const masked = e.secret && (!e.secretPaths || e.secretPaths.length === 0) ? MASK : show(e.value, e.secretPaths ?? []);
    const text = typeof masked === "string" ? masked : JSON.stringify(masked);
    return `  ${k.replace(`${project}:`, "").padEnd(width)}  ${text}`;
  });
}

/** Resources grouped by their `pexip:teams:*` component; the rest (provider, stack reference) under "stack". */
export function resourceSection(resources: PlanResource[]): string[] {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const groups = new Map<string, PlanResource[]>();
  for (const r of resources) {
    if (r.type === "pulumi:pulumi:Stack" || r.type.startsWith("pexip:teams:")) continue;
    const c = componentOf(r, byUrn);
    const key = c ? c.urn : "";
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const components = resources.filter((r) => r.type.startsWith("pexip:teams:"));
  const count = resources.filter((r) => r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith("pexip:teams:")).length;
  const lines = [`Resources: ${count} in ${components.length} components (plus the stack itself)`];
  const list = (items: PlanResource[]) => {
    const rows = items.map((r) => [shortType(r.type), r.name + (r.protect ? " [protected]" : "") + (r.ignoreChanges.length > 0 ? ` [ignores changes to ${r.ignoreChanges.join(", ")}]` : ""), keyInputs(r)]);
    const w0 = Math.max(0, ...rows.map((x) => x[0].length));
    const w1 = Math.max(0, ...rows.map((x) => x[1].length));
    for (const [t, n, k] of rows) lines.push(`    ${t.padEnd(w0)}  ${n.padEnd(w1)}  ${k}`.trimEnd());
  };
  for (const c of components) {
    const items = groups.get(c.urn) ?? [];
    lines.push(`  ${c.type.slice("pexip:teams:".length)} "${c.name}"  (${items.length} resource${items.length === 1 ? "" : "s"})`);
    if (items.length === 0) lines.push("    (none yet)");
    list(items);
  }
  const loose = groups.get("") ?? [];
  if (loose.length > 0) {
    lines.push(`  stack-level`);
    list(loose);
  }
  return lines;
}

interface RuleRow {
  nsg: string;
  name: string;
  priority: number;
  direction: string;
  access: string;
  protocol: string;
  source: string;
  ports: string;
  destination: string;
}

function ruleRow(nsg: string, r: Record<string, unknown>): RuleRow {
  const join = (one: unknown, many: unknown) => (Array.isArray(many) && many.length > 0 ? many.join(",") : one === undefined || one === null ? "" : String(one));
  return {
    nsg,
    name: String(r.name ?? r.securityRuleName ?? ""),
    priority: Number(r.priority ?? 0),
    direction: String(r.direction ?? ""),
    access: String(r.access ?? ""),
    protocol: String(r.protocol ?? ""),
    source: join(r.sourceAddressPrefix, r.sourceAddressPrefixes),
    ports: join(r.destinationPortRange, r.destinationPortRanges),
    destination: join(r.destinationAddressPrefix, r.destinationAddressPrefixes),
  };
}

/** The NSG rules as a table: inline `securityRules` of every NSG, plus standalone SecurityRule resources. */
export function nsgSection(resources: PlanResource[]): string[] {
  const rows: RuleRow[] = [];
  for (const r of resources) {
    if (r.type === "azure-native:network:NetworkSecurityGroup") {
      const nsg = String(r.inputs.networkSecurityGroupName ?? r.name);
      const rules = Array.isArray(r.inputs.securityRules) ? r.inputs.securityRules : [];
      for (const x of rules) if (typeof x === "object" && x !== null) rows.push(ruleRow(nsg, x as Record<string, unknown>));
    }
    if (r.type === "azure-native:network:SecurityRule") rows.push(ruleRow(String(r.inputs.networkSecurityGroupName ?? ""), r.inputs));
  }
  if (rows.length === 0) return ["Network security rules: none registered"];
  rows.sort((a, b) => a.nsg.localeCompare(b.nsg) || a.direction.localeCompare(b.direction) || a.priority - b.priority);
  const header = ["NSG", "Priority", "Name", "Direction", "Access", "Protocol", "Source", "Dest ports", "Destination"];
  const table = rows.map((x) => [x.nsg, String(x.priority), x.name, x.direction, x.access, x.protocol, x.source, x.ports, x.destination]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const fmt = (row: string[]) => `  ${row.map((c, i) => c.padEnd(widths[i])).join("  ")}`.trimEnd();
  return [`Network security rules (${rows.length})`, fmt(header), fmt(widths.map((w) => "-".repeat(w))), ...table.map(fmt)];
}

export function policySection(violations: Violation[], available: boolean): string[] {
  if (!available) return ["Policy: the policy pack (policy/runner.ts) is not there yet; no verdicts"];
  if (violations.length === 0) return ["Policy: no violations"];
  const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
  const lines = [`Policy: ${mandatory} mandatory, ${violations.length - mandatory} advisory violation${violations.length === 1 ? "" : "s"}`];
  for (const v of violations) lines.push(`  ${v.enforcementLevel === "mandatory" ? "BLOCK" : "warn "} ${v.policy}  ${v.type} ${v.name}: ${v.message}`);
  return lines;
}

function block(v: unknown, indent: string): string[] {
  if (v === null || v === undefined) return [`${indent}(not set)`];
  if (typeof v === "string") return v === "" ? [`${indent}(empty)`] : v.split("\n").map((l) => `${indent}${l}`);
  if (typeof v !== "object") return [`${indent}${String(v)}`];
  if (Array.isArray(v)) return v.flatMap((x) => block(x, `${indent}- `));
  const rec = v as Record<string, unknown>;
  const out: string[] = [];
  for (const k of Object.keys(rec)) {
    const x = rec[k];
    if (x !== null && typeof x === "object") out.push(`${indent}${k}:`, ...block(x, `${indent}  `));
    else out.push(`${indent}${k}: ${x === null || x === undefined ? "(not set)" : x === "" ? "(empty)" : String(x)}`);
  }
  return out;
}

/** The next steps the seed's install script printed, from the stack outputs; unknown outputs are listed after. */
export function nextSteps(outputs: Record<string, unknown>, appStack: string): string[] {
  const lines = ["Next steps"];
  const used = new Set<string>();
  let n = 0;
  const step = (title: string, keys: string[], body: (vals: unknown[]) => string[]) => {
    if (!keys.some((k) => k in outputs)) return;
    keys.forEach((k) => used.add(k));
    lines.push(`  ${++n}. ${title}`, ...body(keys.map((k) => outputs[k])));
  };
  step("DNS: point the connector's name at its public IP", ["dnsRecord", "connectorFqdn", "connectorPublicIp"], ([rec, fqdn, ip]) =>
    rec !== undefined ? block(rec, "     ") : block(`${String(fqdn ?? "")} -> ${String(ip ?? "")}`, "     "));
  step("Consent: a Global Administrator opens the consent page once per tenant", ["consentUrl"], ([url]) => block(url, "     "));
  if (!("consentUrl" in outputs) && appStack !== "") {
    lines.push(`  ${++n}. Consent: given once per tenant from the ${appStack} stack's consent page (its consentUrl output)`);
  }
  step("Teams PowerShell (run as a Teams administrator)", ["teamsPowerShell"], ([ps]) => block(ps, "     "));
  step("Pexip Infinity: Call control > Microsoft Teams Connectors", ["pexipInfinity"], ([p]) => block(p, "     "));
  step("Capacity and quota (the size's vCPU family and Standard public IPs in this region, a rolling upgrade's surge included)", ["capacity"], ([c]) => block(c, "     "));
  const rest = Object.keys(outputs).filter((k) => !used.has(k)).sort();
  if (rest.length > 0) {
    lines.push("  Other outputs");
    for (const k of rest) {
      const v = outputs[k];
      if (v !== null && typeof v === "object") lines.push(`     ${k}:`, ...block(v, "       "));
      else lines.push(...block(v, `     ${k}: `));
    }
  }
  return lines;
}

export interface TextInputs {
  doc: PlanDoc;
  stackFile: StackFile;
  project: string;
  configFile: string;
  appStack: string;
  policyAvailable: boolean;
}

export function renderText(t: TextInputs): string {
  const out = [
    `Offline plan for stack "${t.doc.stack}" (${t.configFile}): what \`pulumi up --stack ${t.doc.stack}\` would register. Nothing is created.`,
    "",
    "Config",
    ...configSummary(t.stackFile, t.project),
    "",
    ...resourceSection(t.doc.resources),
    "",
    ...nsgSection(t.doc.resources),
    "",
    ...policySection(t.doc.policy.violations, t.policyAvailable),
    "",
    ...nextSteps(t.doc.outputs, t.appStack),
  ];
  return out.join("\n") + "\n";
}
