/**
 * The plan for people, read top to bottom: config summary (each warning beside the key it is about), resources by
 * component with the few inputs that matter, the NSG rules, policy verdicts, then the next steps from the stack
 * outputs. Lines fit WIDTH columns (a URL or a PowerShell line is never broken); values the mocks made up are shown as
 * their `<label>` (placeholders). Everything here is already masked; the caller scrubs the text once more.
 */
import { EncryptedValue, MASK } from "../../components/config";
import { ROLES, roleOfDefinitionId } from "../../components/roles";
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

/** Terminal width every line of the text plan keeps to (test/plan.test.ts checks the shipped stacks). */
export const WIDTH = 120;

/** Singular labels of ARM ID segments, for scopes people read. */
const SCOPE_LABELS: Record<string, string> = {
  storageaccounts: "storage account",
  containers: "container",
  vaults: "Key Vault",
  keys: "key",
  secrets: "secret",
  namespaces: "Event Hubs namespace",
  eventhubs: "event hub",
  diskencryptionsets: "disk encryption set",
  sites: "web app",
  userassignedidentities: "identity",
};

/** An ARM scope as a person reads it: `container logs of storage account x`, `Key Vault y`, `resource group z`. */
export function shortScope(id: string): string {
  const parts = id.split("/");
  if (parts[1]?.toLowerCase() !== "subscriptions") return id;
  if (parts.length <= 3) return `subscription ${parts[2]}`;
  if (parts.length <= 5) return `resource group ${parts[4]}`;
  const pairs: [string, string][] = [];
  for (let i = 7; i + 1 < parts.length; i += 2) if (parts[i] && parts[i + 1]) pairs.push([parts[i], parts[i + 1]]);
  const named = pairs.filter(([t, n]) => !(t.toLowerCase() === "blobservices" && n === "default"));
  const label = ([t, n]: [string, string]) => `${SCOPE_LABELS[t.toLowerCase()] ?? t} ${n}`;
  if (named.length === 0) return id;
  const last = named[named.length - 1];
  return named.length === 1 ? label(last) : `${label(last)} of ${label(named[0])}`;
}

/** A role assignment as a sentence: the role's name, where, and to whom (components/roles.ts has the names). */
function roleAssignmentParts(r: PlanResource): string[] {
  const def = String(r.inputs.roleDefinitionId ?? "");
  const role = roleOfDefinitionId(def);
  const parts = [`role=${role ? ROLES[role].name : def.split("/").pop() || "(none)"}`];
  if (typeof r.inputs.scope === "string") parts.push(`scope=${shortScope(r.inputs.scope)}`);
  if (r.inputs.principalId !== undefined) parts.push(`to=${brief(r.inputs.principalId)}${r.inputs.principalType ? ` (${String(r.inputs.principalType)})` : ""}`);
  return parts;
}

/** The inputs worth a glance, as `path=value` parts. */
export function keyInputParts(r: PlanResource): string[] {
  if (unversionedType(r.type) === "azure-native:authorization:RoleAssignment") return roleAssignmentParts(r);
  const paths = KEY_INPUTS[unversionedType(r.type)] ?? (r.type.startsWith("pexip:teams:") ? [] : GENERIC_INPUTS);
  const parts: string[] = [];
  for (const p of paths) {
    const v = at(r.inputs, p);
    if (v === undefined) continue;
    parts.push(`${p}=${brief(v)}`);
  }
  return parts;
}

/**
 * A line cut at spaces into lines of at most `width`, the rest indented by `cont`. A word longer than the width (a URL)
 * stays whole on its own line.
 */
export function fit(line: string, cont: string, width = WIDTH): string[] {
  const out: string[] = [];
  let rest = line;
  let first = true;
  while (rest.length > width) {
    const lead = first ? 0 : cont.length;
    let cut = rest.lastIndexOf(" ", width);
    while (cut > lead && rest[cut - 1] === " ") cut--;
    if (cut <= lead) {
      const next = rest.indexOf(" ", width);
      if (next < 0) break;
      cut = next;
    }
    out.push(rest.slice(0, cut).trimEnd());
    rest = cont + rest.slice(cut).trimStart();
    first = false;
  }
  out.push(rest);
  return out;
}

/** Parts joined by `sep` into lines of at most `width`: the first after `head`, the others after `cont`. */
export function fitParts(head: string, parts: string[], cont: string, sep = "  ", width = WIDTH): string[] {
  const out: string[] = [];
  let line = head;
  let empty = true;
  for (const p of parts) {
    const candidate = empty ? `${line}${p}` : `${line}${sep}${p}`;
    if (candidate.length <= width || empty) {
      line = candidate;
      empty = false;
      continue;
    }
    out.push(line);
    line = `${cont}${p}`;
  }
  out.push(line);
  return out.flatMap((l) => fit(l, cont));
}

/** Each made-up value replaced by its label (longest first), so that a person never takes a mock value for a real one. */
export function markPlaceholders(text: string, placeholders: ReadonlyMap<string, string>): string {
  let out = text;
  for (const [value, label] of [...placeholders].sort((a, b) => b[0].length - a[0].length)) out = out.split(value).join(label);
  return out;
}

/** The config key (short name, as the summary shows it) a warning is about, or undefined. */
export function warningKey(message: string, keys: string[], project: string): string | undefined {
  const text = message.replace(/^(warning|notice): /, "").replace(`${project}:`, "");
  return [...keys].sort((a, b) => b.length - a.length).find((k) => text.startsWith(k) && /^[ .:=]/.test(text.slice(k.length)));
}

/** Config keys as set in the stack file (secrets masked), in the project namespace by their short names. */
export function configSummary(sf: StackFile, project: string, warnings: string[] = []): string[] {
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
  const short = keys.map((k) => k.replace(`${project}:`, ""));
  const width = Math.max(0, ...short.map((k) => k.length));
  const byKey = new Map<string, string[]>();
  for (const w of warnings) {
    const k = warningKey(w, short, project);
    if (k !== undefined) byKey.set(k, [...(byKey.get(k) ?? []), w]);
  }
  return keys.flatMap((k, i) => {
    const e = sf.entries.get(k)!;
    const masked = e.secret && (!e.secretPaths || e.secretPaths.length === 0) ? MASK : show(e.value, e.secretPaths ?? []);
    const text = typeof masked === "string" ? masked : JSON.stringify(masked);
    const cont = " ".repeat(width + 4);
    // A long JSON value breaks after its commas.
    const pieces = text.match(/[^,]*,?/g)!.filter((x) => x !== "");
    const lines = fitParts(`  ${short[i].padEnd(width)}  `, pieces, cont, "");
    for (const w of byKey.get(short[i]) ?? []) lines.push(...fit(`    ! ${w}`, "        "));
    return lines;
  });
}

/** Warnings no config key line shows (the program's own, a secret that lost its marking). */
export function looseWarnings(warnings: string[], sf: StackFile, project: string): string[] {
  const short = [...sf.entries.keys()].map((k) => k.replace(`${project}:`, ""));
  return warnings.filter((w) => warningKey(w, short, project) === undefined);
}

/**
 * Resources grouped by their `pexip:teams:*` component, nested as the program nests them (NetworkSecurity inside
 * TeamsConnectorVmss); the rest (provider, stack reference) under "stack-level". One count: what `pulumi preview`
 * will show, the stack and the components included.
 */
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
  const reads = resources.filter((r) => r.type === "pulumi:pulumi:StackReference").length;
  const creates = resources.length - reads;
  const own = resources.filter((r) => r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith("pexip:teams:")).length - reads;
  const stackRow = resources.some((r) => r.type === "pulumi:pulumi:Stack") ? "the stack, " : "";
  const lines = fit(`Resources: pulumi preview would show ${creates} to create (${stackRow}${components.length} components and the ${own} resources below)` +
    (reads > 0 ? ` and ${reads} to read (the stack reference)` : ""), "  ");
  const list = (items: PlanResource[], indent: string) => {
    const rows = items.map((r) => ({
      type: shortType(r.type),
      name: r.name + (r.protect ? " [protected]" : "") + (r.ignoreChanges.length > 0 ? ` [ignores changes to ${r.ignoreChanges.join(", ")}]` : ""),
      parts: keyInputParts(r),
    }));
    const w0 = Math.min(40, Math.max(0, ...rows.map((x) => x.type.length)));
    const w1 = Math.min(44, Math.max(0, ...rows.map((x) => x.name.length)));
    for (const row of rows) {
      const one = `${indent}${row.type.padEnd(w0)}  ${row.name.padEnd(w1)}  ${row.parts.join("  ")}`.trimEnd();
      if (one.length <= WIDTH) {
        lines.push(one);
        continue;
      }
      const head = `${indent}${row.type.padEnd(w0)}  ${row.name}`;
      const cont = `${indent}    `;
      lines.push(...fit(head, cont));
      if (row.parts.length > 0) lines.push(...fitParts(cont, row.parts, cont));
    }
  };
  const outer = (c: PlanResource) => {
    const p = c.parent ? byUrn.get(c.parent) : undefined;
    return p ? componentOf(p, byUrn) : undefined;
  };
  const emit = (c: PlanResource, indent: string) => {
    lines.push(`${indent}${c.type.slice("pexip:teams:".length)} "${c.name}"`);
    const items = groups.get(c.urn) ?? [];
    const inner = components.filter((x) => outer(x)?.urn === c.urn);
    if (items.length === 0 && inner.length === 0) lines.push(`${indent}  (none yet)`);
    list(items, `${indent}  `);
    for (const x of inner) emit(x, `${indent}  `);
  };
  for (const c of components.filter((x) => outer(x) === undefined)) emit(c, "  ");
  const loose = groups.get("") ?? [];
  if (loose.length > 0) {
    lines.push(`  stack-level`);
    list(loose, "    ");
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
  const widthsOf = (t: string[][]) => header.map((h, i) => Math.max(h.length, ...t.map((row) => row[i].length)));
  let widths = widthsOf(table);
  let physical = table;
  // Too wide (long prefix lists): one source prefix (and port range) per line, the other cells on the first.
  if (widths.reduce((a, b) => a + b + 2, 0) > WIDTH) {
    physical = table.flatMap((row) => {
      const src = row[6].split(",");
      const ports = row[7].split(",");
      return Array.from({ length: Math.max(src.length, ports.length) }, (_, i) =>
        i === 0 ? [...row.slice(0, 6), src[0], ports[0], row[8]] : ["", "", "", "", "", "", src[i] ?? "", ports[i] ?? "", ""]);
    });
    widths = widthsOf(physical);
  }
  const fmt = (row: string[]) => `  ${row.map((c, i) => c.padEnd(widths[i])).join("  ")}`.trimEnd();
  return [`Network security rules (${rows.length})`, fmt(header), fmt(widths.map((w) => "-".repeat(w))), ...physical.map(fmt)];
}

export function policySection(violations: Violation[], available: boolean): string[] {
  if (!available) return ["Policy: the policy pack (policy/runner.ts) is not there yet; no verdicts"];
  if (violations.length === 0) return ["Policy: no violations"];
  const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
  const lines = [`Policy: ${mandatory} mandatory, ${violations.length - mandatory} advisory violation${violations.length === 1 ? "" : "s"}`];
  for (const v of violations) {
    lines.push(...fit(`  ${v.enforcementLevel === "mandatory" ? "BLOCK" : "warn "} ${v.policy}  ${shortType(v.type)} ${v.name}`, "        "));
    lines.push(...fit(`        ${v.message}`, "        "));
  }
  return lines;
}

function block(v: unknown, indent: string): string[] {
  const cont = " ".repeat(indent.length + 2);
  if (v === null || v === undefined) return [`${indent}(not set)`];
  if (typeof v === "string") return v === "" ? [`${indent}(empty)`] : v.split("\n").flatMap((l) => fit(`${indent}${l}`, cont));
  if (typeof v !== "object") return [`${indent}${String(v)}`];
  if (Array.isArray(v)) return v.flatMap((x) => block(x, `${indent}- `));
  const rec = v as Record<string, unknown>;
  const out: string[] = [];
  for (const k of Object.keys(rec)) {
    const x = rec[k];
    if (x !== null && typeof x === "object") out.push(`${indent}${k}:`, ...block(x, `${indent}  `));
    else out.push(...fit(`${indent}${k}: ${x === null || x === undefined ? "(not set)" : x === "" ? "(empty)" : String(x)}`, `${cont}  `));
  }
  return out;
}

/** One Pexip Infinity step of the `pexipInfinity` output (components/nextSteps.ts InfinityStep). */
interface ShownStep {
  where: string;
  scope: string;
  set: { field: string; value: unknown }[];
  note?: string;
}

function isStepList(v: unknown): v is { steps: ShownStep[] } {
  return typeof v === "object" && v !== null && Array.isArray((v as { steps?: unknown }).steps) &&
    (v as { steps: unknown[] }).steps.every((x) => typeof x === "object" && x !== null && typeof (x as ShownStep).where === "string");
}

/** The Pexip Infinity steps as the Administrator interface asks for them: a., b., ... with each field on its line. */
function infinitySteps(p: { steps: ShownStep[] }): string[] {
  const lines: string[] = [];
  p.steps.forEach((st, i) => {
    lines.push(...fit(`     ${String.fromCharCode(97 + i)}. ${st.where}  (${st.scope})`, "          "));
    for (const { field, value: v } of Array.isArray(st.set) ? st.set : []) {
      const shown = v === true ? "selected" : v === false ? "not selected" : typeof v === "string" || typeof v === "number" ? String(v) : JSON.stringify(v);
      lines.push(...fit(field === "do" ? `        ${shown}` : `        ${field}: ${shown}`, "          "));
    }
    if (st.note) lines.push(...fit(`        (${st.note})`, "          "));
  });
  return lines;
}

/** The next steps the Teams Connector's install script printed, from the stack outputs; unknown outputs are listed after. */
export function nextSteps(outputs: Record<string, unknown>, appStack: string): string[] {
  const lines = ["Next steps"];
  const used = new Set<string>();
  let n = 0;
  const step = (title: string, keys: string[], body: (vals: unknown[]) => string[]) => {
    if (!keys.some((k) => k in outputs)) return;
    keys.forEach((k) => used.add(k));
    lines.push(...fit(`  ${++n}. ${title}`, "     "), ...body(keys.map((k) => outputs[k])));
  };
  step("DNS: point the connector's name at its public IP", ["dnsRecord", "connectorFqdn", "connectorPublicIp"], ([rec, fqdn, ip]) =>
    rec !== undefined ? block(rec, "     ") : block(`${String(fqdn ?? "")} -> ${String(ip ?? "")}`, "     "));
  step("Consent: a Global Administrator opens the consent page once per tenant", ["consentUrl"], ([url]) => block(url, "     "));
  if (!("consentUrl" in outputs) && appStack !== "") {
    lines.push(...fit(`  ${++n}. Consent: given once per tenant from the ${appStack} stack's consent page (its consentUrl output)`, "     "));
  }
  // A script to paste: its lines are PowerShell and are never re-wrapped.
  if ("teamsPowerShell" in outputs) {
    step("Microsoft Teams: paste into PowerShell (pulumi stack output teamsPowerShell)", ["teamsPowerShell"], ([ps]) =>
      typeof ps === "string" ? ps.split("\n").map((l) => `     ${l}`) : block(ps, "     "));
  } else {
    lines.push(`  ${++n}. Microsoft Teams: this plan has no teamsPowerShell output (a plan of an older program)`);
  }
  step("Pexip Infinity, in the order of its Administrator interface (pulumi stack output pexipInfinity)", ["pexipInfinity"], ([p]) =>
    isStepList(p) ? infinitySteps(p) : block(p, "     "));
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
  /** Warnings and notices of the config and the program: each beside the config key it names, the others on top. */
  warnings?: string[];
  /** Made-up values and their labels (the mock monitor's placeholders). */
  placeholders?: ReadonlyMap<string, string>;
  /** The diff's lines, when --diff was given. */
  diff?: string[];
}

export const PLACEHOLDER_LEGEND = "Values in <angle brackets> are placeholders: Azure and Entra ID assign them at pulumi up.";

export function renderText(t: TextInputs): string {
  const warnings = t.warnings ?? [];
  const loose = looseWarnings(warnings, t.stackFile, t.project);
  const mark = (lines: string[]) => (t.placeholders ? lines.map((l) => markPlaceholders(l, t.placeholders!)) : lines);
  const out = [
    ...fit(`Offline plan for stack "${t.doc.stack}" (${t.configFile}): what \`pulumi up --stack ${t.doc.stack}\` would register. Nothing is created.`, "  "),
    ...(t.placeholders && t.placeholders.size > 0 ? [PLACEHOLDER_LEGEND] : []),
    ...(loose.length > 0 ? ["", "Warnings", ...loose.flatMap((w) => fit(`  ! ${w}`, "      "))] : []),
    "",
    "Config",
    // The user's own values: never taken for placeholders.
    ...configSummary(t.stackFile, t.project, warnings),
    "",
    ...mark(resourceSection(t.doc.resources)),
    "",
    ...mark(nsgSection(t.doc.resources)),
    "",
    ...mark(policySection(t.doc.policy.violations, t.policyAvailable)),
    "",
    ...mark(nextSteps(t.doc.outputs, t.appStack)),
    ...(t.diff && t.diff.length > 0 ? ["", ...mark(t.diff)] : []),
  ];
  return out.join("\n") + "\n";
}
