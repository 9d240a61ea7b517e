/**
 * Maps the static resource group of a PowerShell deployment (the output of `az resource list --resource-group
 * <static RG> -o json`) onto the program's StaticResources component, as a file for `pulumi import --file`
 * plus the `existingStatic.*` stack keys that make the program use the names the PowerShell scripts chose.
 * Pure: JSON in, plan out; the CLI is tools/migration/importStatic.ts.
 */
import { Document } from "yaml";
import { ExistingStaticNames, PROJECT } from "../../components/config";
import { AZURE_PROVIDER_NAME, BASE_NAME_PATTERN, COMPONENT_NAMES, deriveNames, REGION_CODE_PATTERN } from "../../components/naming";
import { EVENT_HUB, STATIC_CHILDREN, STATIC_RESOURCES_TYPE } from "../../components/staticResources";
import { parseYaml } from "../engine/stackFile";

/** The program's static component (its type and the name index.ts gives it): the parent of every imported resource. */
export const STATIC_COMPONENT = { type: STATIC_RESOURCES_TYPE, name: COMPONENT_NAMES.static } as const;

/** Type token and logical name the program gives a static child (components/staticResources.ts STATIC_CHILDREN). */
const child = (k: keyof typeof STATIC_CHILDREN) => ({ pulumiType: STATIC_CHILDREN[k].type, logicalName: `${STATIC_COMPONENT.name}-${STATIC_CHILDREN[k].suffix}` });

/** A static child, by its key in STATIC_CHILDREN. */
export type StaticRole = keyof typeof STATIC_CHILDREN;

export interface StaticImportEntry {
  role: StaticRole;
  /** Azure resource type as `az` prints it (compared case-insensitively). */
  azureType: string;
  /** Pulumi type token of the program's resource. */
  pulumiType: string;
  /** Logical name of the program's resource (child of STATIC_COMPONENT). */
  logicalName: string;
  /** The existingStatic key that carries the adopted name, when the program derives that name otherwise. */
  existingKey?: keyof ExistingStaticNames;
  /** The fixed name the seed gives it (event hub and its rule), when it has one. */
  seedName?: string;
  /** What it is, for people. */
  what: string;
}

/**
 * THE mapping, in import order (parents in Azure before children): the Azure side is this table's, the Pulumi side
 * StaticResources' own (STATIC_CHILDREN); a test of the program checks that it registers exactly these.
 */
export const STATIC_IMPORT_TABLE: readonly StaticImportEntry[] = [
  { role: "resourceGroup", azureType: "Microsoft.Resources/resourceGroups", ...child("resourceGroup"), what: "static resource group" },
  { role: "publicIp", azureType: "Microsoft.Network/publicIPAddresses", ...child("publicIp"), existingKey: "publicIpName", what: "static public IP" },
  { role: "keyVault", azureType: "Microsoft.KeyVault/vaults", ...child("keyVault"), existingKey: "keyVaultName", what: "Key Vault" },
  { role: "storageAccount", azureType: "Microsoft.Storage/storageAccounts", ...child("storageAccount"), existingKey: "storageAccountName", what: "storage account for logs" },
  { role: "eventHubNamespace", azureType: "Microsoft.EventHub/namespaces", ...child("eventHubNamespace"), existingKey: "eventHubNamespace", what: "Event Hubs namespace" },
  { role: "eventHub", azureType: "Microsoft.EventHub/namespaces/eventhubs", ...child("eventHub"), seedName: EVENT_HUB.name, what: "event hub" },
  { role: "eventHubRule", azureType: "Microsoft.EventHub/namespaces/eventhubs/authorizationRules", ...child("eventHubRule"), seedName: EVENT_HUB.rule, what: "event hub access policy" },
];

/** One item of `az resource list -o json` (and of `az eventhubs eventhub [authorization-rule] list`, `az group show`). */
export interface AzResource {
  id: string;
  name: string;
  type: string;
  location?: string | null;
  resourceGroup?: string | null;
  sku?: { name?: string | null; tier?: string | null } | null;
  kind?: string | null;
  tags?: Record<string, string> | null;
  [other: string]: unknown;
}

/** `pulumi import --file` format (pulumi import --help; pkg/cmd/pulumi/operations/import.go `importFile`). */
export interface PulumiImportResource {
  type: string;
  name: string;
  id?: string;
  parent?: string;
  /** A name in nameTable: the explicit provider the resource is managed with. */
  provider?: string;
  version?: string;
  logicalName?: string;
  component?: boolean;
}
export interface PulumiImportFile {
  nameTable?: Record<string, string>;
  resources: PulumiImportResource[];
}

export interface StaticImportOptions {
  /** Stack name (for URNs and printed commands). */
  stack: string;
  /** From the stack's config when it exists; otherwise read from the resource group's name. */
  baseName?: string;
  regionCode?: string;
  subscriptionId?: string;
  location?: string;
  /** Explicit picks by name when a type has several candidates. */
  choose?: Partial<Record<"publicIp" | "keyVault" | "storageAccount" | "eventHubNamespace", string>>;
  /** The StaticResources component is already in the stack's state: refer to it through nameTable instead of creating it. */
  componentInState?: boolean;
  /** azure-native provider version to import with (the program's). */
  providerVersion?: string;
}

export interface StaticSelection {
  entry: StaticImportEntry;
  /** Azure name. */
  name: string;
  /** Azure resource ID. */
  id: string;
  urn: string;
}

export interface StaticImportPlan {
  /** The static resource group as found (name as Azure printed it). */
  resourceGroup?: { name: string; id: string; subscriptionId: string };
  /** baseName/regionCode used for naming checks, and where they came from. */
  naming?: { baseName: string; regionCode: string; from: "stack config" | "resource group name" };
  selections: StaticSelection[];
  importFile: PulumiImportFile;
  existingStatic: ExistingStaticNames;
  /** `pulumi config set --path existingStatic.* ...` commands. */
  configCommands: string[];
  /** Problems that make the import wrong or impossible: nothing is to be written. */
  errors: string[];
  /** Things to know (unmapped resources, missing optional ones). */
  warnings: string[];
  /** What only the live deployment can confirm, with the command that shows it. */
  checks: string[];
}

// ---------------------------------------------------------------------------------------------------------

/** The program's explicit provider (index.ts), a direct child of the stack: every imported resource is bound to it. */
export const PROGRAM_PROVIDER = { type: "pulumi:providers:azure-native", name: AZURE_PROVIDER_NAME } as const;

/** URN of the program's explicit provider in a stack. */
export function providerUrn(stack: string): string {
  return `urn:pulumi:${stack}::${PROJECT}::${PROGRAM_PROVIDER.type}::${PROGRAM_PROVIDER.name}`;
}

/** An ARM ID with its resource group segment spelled as given (Azure upper-cases it in some IDs it returns). */
export function withResourceGroup(id: string, resourceGroup: string): string {
  const parts = id.split("/");
  if (parts.length < 5 || parts[3]?.toLowerCase() !== "resourcegroups") return id;
  parts[4] = resourceGroup;
  return parts.join("/");
}

/** URN of the component or of one of its children (StaticResources is a direct child of the stack). */
export function staticUrn(stack: string, child?: Pick<StaticImportEntry, "pulumiType" | "logicalName">): string {
  const prefix = `urn:pulumi:${stack}::${PROJECT}::${STATIC_COMPONENT.type}`;
  return child ? `${prefix}$${child.pulumiType}::${child.logicalName}` : `${prefix}::${STATIC_COMPONENT.name}`;
}

export interface ArmId {
  subscriptionId: string;
  resourceGroup: string;
  /** `Microsoft.X/a/b` (empty for a resource group). */
  type: string;
  /** The resource's own name (last segment). */
  name: string;
}

/** Parses `/subscriptions/<s>/resourceGroups/<rg>[/providers/<ns>/<type>/<name>[/<type>/<name>...]]`. */
export function parseArmId(id: string): ArmId | undefined {
  const parts = id.split("/");
  if (parts[0] !== "" || parts[1]?.toLowerCase() !== "subscriptions" || !parts[2] || parts[3]?.toLowerCase() !== "resourcegroups" || !parts[4]) return undefined;
  const subscriptionId = parts[2];
  const resourceGroup = parts[4];
  if (parts.length === 5) return { subscriptionId, resourceGroup, type: "Microsoft.Resources/resourceGroups", name: resourceGroup };
  if (parts[5]?.toLowerCase() !== "providers" || parts.length < 9 || (parts.length - 7) % 2 !== 0) return undefined;
  const types: string[] = [];
  const names: string[] = [];
  for (let i = 7; i < parts.length; i += 2) {
    if (!parts[i] || !parts[i + 1]) return undefined;
    types.push(parts[i]);
    names.push(parts[i + 1]);
  }
  return { subscriptionId, resourceGroup, type: `${parts[6]}/${types.join("/")}`, name: names[names.length - 1] };
}

/** Validates parsed JSON as az output: an array of resources (or `{ value: [...] }`); several files concatenated. */
export function readAzResources(docs: unknown[]): { resources: AzResource[]; errors: string[] } {
  const resources: AzResource[] = [];
  const errors: string[] = [];
  docs.forEach((doc, d) => {
    const list = Array.isArray(doc) ? doc : doc && typeof doc === "object" && Array.isArray((doc as { value?: unknown }).value) ? (doc as { value: unknown[] }).value : doc && typeof doc === "object" && "id" in doc ? [doc] : undefined;
    if (!list) {
      errors.push(`input ${d + 1}: not the output of az resource list -o json (expected a JSON array of resources)`);
      return;
    }
    list.forEach((r, i) => {
      const o = r as Record<string, unknown>;
      if (!o || typeof o !== "object" || typeof o.id !== "string" || typeof o.name !== "string" || typeof o.type !== "string") {
        errors.push(`input ${d + 1}, item ${i + 1}: not an Azure resource (needs id, name and type)`);
        return;
      }
      if (!parseArmId(o.id)) {
        errors.push(`input ${d + 1}, item ${i + 1} (${o.name}): "${o.id}" is not an Azure resource ID`);
        return;
      }
      resources.push(o as AzResource);
    });
  });
  return { resources, errors };
}

const lc = (s: string) => s.toLowerCase();
const normLocation = (s: string) => s.toLowerCase().replace(/\s+/g, "");

/** What to tell about a resource of the static group that the program does not manage. */
function unmappedAdvice(r: AzResource): string {
  const t = lc(r.type);
  if (t.startsWith("microsoft.automation/")) {
    return "an Azure Automation item: this program neither creates nor uses Azure Automation. Leave it while the PowerShell deployment runs; afterwards delete it yourself if nothing else uses it";
  }
  if (t === "microsoft.managedidentity/userassignedidentities") return "a managed identity: the program creates its own identity for the instances; this one is not adopted";
  if (t === "microsoft.compute/diskencryptionsets") return "a disk encryption set: the program creates its own; this one is not adopted";
  if (t.startsWith("microsoft.eventhub/namespaces/")) return "an event hub item the program does not manage: it stays as it is";
  return "not managed by this program: it stays as it is (delete it yourself once nothing uses it)";
}

/**
 * Plans the import. Never throws for bad input: `errors` non-empty means no file should be written
 * (ambiguous candidates, foreign subscription, a resource group the program cannot adopt under its name).
 */
export function planStaticImport(input: AzResource[], opts: StaticImportOptions): StaticImportPlan {
  const errors: string[] = [];
  const warnings: string[] = [];
  const checks: string[] = [];
  const plan: StaticImportPlan = { selections: [], importFile: { resources: [] }, existingStatic: {}, configCommands: [], errors, warnings, checks };
  if (input.length === 0) {
    errors.push("the input lists no resources: pass the output of az resource list --resource-group <static RG> -o json");
    return plan;
  }
  const rgOf = (r: AzResource) => parseArmId(r.id)!.resourceGroup;

  // --- which resource group
  const expectedFromConfig = opts.baseName !== undefined && opts.regionCode !== undefined ? deriveNames(opts.baseName, opts.regionCode).staticResourceGroup : undefined;
  const groups = new Map<string, AzResource[]>();
  for (const r of input) groups.set(lc(rgOf(r)), [...(groups.get(lc(rgOf(r))) ?? []), r]);
  let rgKey: string;
  if (groups.size === 1) rgKey = [...groups.keys()][0];
  else {
    const byExpected = expectedFromConfig !== undefined && groups.has(lc(expectedFromConfig)) ? lc(expectedFromConfig) : undefined;
    const statics = [...groups.keys()].filter((k) => k.endsWith("-static-rg"));
    const pick = byExpected ?? (statics.length === 1 ? statics[0] : undefined);
    if (pick === undefined) {
      errors.push(`the input spans ${groups.size} resource groups (${[...groups.values()].map((g) => rgOf(g[0])).join(", ")}) and none is clearly the static one: list one group, az resource list --resource-group <static RG> -o json`);
      return plan;
    }
    rgKey = pick;
    for (const [k, g] of groups) if (k !== rgKey) warnings.push(`${g.length} resource(s) of another resource group (${rgOf(g[0])}) were ignored`);
  }
  const inRg = groups.get(rgKey)!;
  const rgEntry = inRg.find((r) => lc(r.type) === "microsoft.resources/resourcegroups");
  // Azure sometimes prints a resource group's name upper-cased inside IDs; prefer what `az group show` says, else the commonest spelling.
  const spellings = new Map<string, number>();
  for (const r of inRg) {
    for (const s of [rgOf(r), typeof r.resourceGroup === "string" ? r.resourceGroup : undefined]) if (s && lc(s) === rgKey) spellings.set(s, (spellings.get(s) ?? 0) + 1);
  }
  const ranked = [...spellings.entries()].sort((a, b) => b[1] - a[1] || Number(a[0] === a[0].toUpperCase()) - Number(b[0] === b[0].toUpperCase()));
  const rgName = rgEntry?.name ?? (expectedFromConfig !== undefined && spellings.has(expectedFromConfig) ? expectedFromConfig : ranked[0][0]);
  if (!rgEntry && spellings.size > 1) {
    warnings.push(`the resource group is spelled ${[...spellings.keys()].map((s) => `"${s}"`).join(" and ")} in the input; "${rgName}" was used. Confirm with the check below`);
  }

  // --- subscription
  const subs = new Set(inRg.map((r) => lc(parseArmId(r.id)!.subscriptionId)));
  if (subs.size > 1) {
    errors.push(`the resources are in ${subs.size} subscriptions (${[...subs].join(", ")}); a static resource group lives in one`);
    return plan;
  }
  const subscriptionId = parseArmId(inRg[0].id)!.subscriptionId;
  if (opts.subscriptionId !== undefined && lc(opts.subscriptionId) !== lc(subscriptionId)) {
    errors.push(`the resources are in subscription ${subscriptionId} but the stack's azure-native:subscriptionId is ${opts.subscriptionId}: the import would look in the wrong subscription`);
  }
  plan.resourceGroup = { name: rgName, id: `/subscriptions/${subscriptionId}/resourceGroups/${rgName}`, subscriptionId };

  // --- naming: the resource group must be the one the program derives
  if (opts.baseName !== undefined && opts.regionCode !== undefined) {
    plan.naming = { baseName: opts.baseName, regionCode: opts.regionCode, from: "stack config" };
    const expected = expectedFromConfig!;
    if (expected !== rgName) {
      if (lc(expected) === lc(rgName)) {
        warnings.push(
          `the resource group is "${rgName}"; the program names it "${expected}". Azure treats the two as the same group, but Pulumi compares names exactly: after the import, pulumi preview must show no replacement of ${STATIC_IMPORT_TABLE[0].logicalName}`,
        );
      } else {
        errors.push(
          `this static resource group is "${rgName}" but with baseName "${opts.baseName}" and regionCode "${opts.regionCode}" the program uses "${expected}", and it has no key for another name: ` +
            "set baseName/regionCode to the values that derive this group's name (the PowerShell deployment's $PxBaseConnName and $PxVmssRegion), or keep this region on the PowerShell deployment",
        );
      }
    }
  } else {
    const m = /^(.+)-TeamsConn-(.+)-static-RG$/i.exec(rgName);
    if (!m) {
      errors.push(`"${rgName}" is not named <baseName>-TeamsConn-<regionCode>-static-RG, so the program cannot adopt it under its own naming; create the stack file first (npm run import-init-script) so that the check can name what differs`);
    } else if (!BASE_NAME_PATTERN.test(m[1]) || !REGION_CODE_PATTERN.test(m[2])) {
      errors.push(`"${rgName}" gives baseName "${m[1]}" and regionCode "${m[2]}", which the program's rules reject (baseName ^[a-z][a-z0-9]{0,8}$, regionCode ^[a-z0-9]+$): it cannot be adopted under the program's naming`);
    } else {
      plan.naming = { baseName: m[1], regionCode: m[2], from: "resource group name" };
      warnings.push(`no stack config was read: baseName "${m[1]}" and regionCode "${m[2]}" were taken from the resource group's name; the stack must use exactly these`);
    }
  }
  const vmssName = plan.naming ? deriveNames(plan.naming.baseName, plan.naming.regionCode).vmss : undefined;

  // --- top-level resources, one per role
  const selected = new Set<AzResource>();
  const byType = (azureType: string) => inRg.filter((r) => lc(r.type) === lc(azureType));
  // Every import ID spells the group as Azure names it (rgName), whatever case the listing used in that ID.
  const select = (entry: StaticImportEntry, r: AzResource) => {
    selected.add(r);
    plan.selections.push({ entry, name: r.name, id: withResourceGroup(r.id, rgName), urn: staticUrn(opts.stack, entry) });
  };
  if (rgEntry) selected.add(rgEntry);
  plan.selections.push({ entry: STATIC_IMPORT_TABLE[0], name: rgName, id: plan.resourceGroup.id, urn: staticUrn(opts.stack, STATIC_IMPORT_TABLE[0]) });

  const topLevel = STATIC_IMPORT_TABLE.filter((e) => e.existingKey !== undefined);
  for (const entry of topLevel) {
    const role = entry.role as keyof NonNullable<StaticImportOptions["choose"]>;
    const candidates = byType(entry.azureType);
    const chosenName = opts.choose?.[role];
    if (chosenName !== undefined) {
      const hit = candidates.find((r) => lc(r.name) === lc(chosenName));
      if (!hit) errors.push(`the ${entry.what} "${chosenName}" you chose is not in ${rgName} (there: ${candidates.map((r) => r.name).join(", ") || "none"})`);
      else select(entry, hit);
      continue;
    }
    if (candidates.length === 0) {
      const consequence =
        entry.role === "publicIp"
          ? "the program will create a new public IP, so the Teams Connector's address (and its DNS A record) will change. Is this the static resource group?"
          : entry.role === "keyVault"
            ? "the program will create a new Key Vault. Is this the static resource group?"
            : entry.role === "eventHubNamespace"
              ? "the program will create one when enhancedStatus is true (the PowerShell deployment may not have used enhanced status)"
              : "the program will create a new one";
      warnings.push(`no ${entry.what} (${entry.azureType}) in ${rgName}: ${consequence}`);
      continue;
    }
    if (candidates.length === 1) {
      select(entry, candidates[0]);
      continue;
    }
    // The seed's conventions: its names start with the scale set's name <baseName><regionCode> (e.g. the event hub namespace examplevmss-tzfk6222uoehn).
    const conventional = vmssName ? candidates.filter((r) => lc(r.name).startsWith(lc(vmssName))) : [];
    if (conventional.length === 1) {
      select(entry, conventional[0]);
      warnings.push(`${candidates.length} ${entry.what}s in ${rgName}: took "${conventional[0].name}" (its name starts with the scale set's name ${vmssName}, as the PowerShell scripts name theirs); the others are not adopted`);
    } else {
      const flag = `--${entry.role.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      errors.push(`${candidates.length} ${entry.what}s in ${rgName} (${candidates.map((r) => r.name).join(", ")}) and no rule tells which one the Teams Connector uses: choose with ${flag} <name>`);
    }
  }

  // --- the event hub and its rule (child resources: az resource list does not show them)
  const ns = plan.selections.find((s) => s.entry.role === "eventHubNamespace");
  if (ns) {
    const hubEntry = STATIC_IMPORT_TABLE.find((e) => e.role === "eventHub")!;
    const ruleEntry = STATIC_IMPORT_TABLE.find((e) => e.role === "eventHubRule")!;
    const hubs = byType(hubEntry.azureType).filter((r) => lc(r.id).startsWith(`${lc(ns.id)}/eventhubs/`));
    const hub = hubs.find((r) => lc(r.name) === lc(hubEntry.seedName!));
    if (hubs.length === 0) {
      checks.push(
        `az resource list does not list event hubs. If enhanced status was on, list them and run this tool again with the file added: ` +
          `az eventhubs eventhub list --resource-group ${rgName} --namespace-name ${ns.name} -o json > eventhubs.json; ` +
          `az eventhubs eventhub authorization-rule list --resource-group ${rgName} --namespace-name ${ns.name} --eventhub-name ${hubEntry.seedName} -o json > eventhub-rules.json. ` +
          `Without them, pulumi up tries to create ${hubEntry.seedName} and azure-native stops with "cannot create already existing resource" if it exists`,
      );
    } else if (!hub) {
      warnings.push(`${ns.name} has no event hub named ${hubEntry.seedName} (it has ${hubs.map((r) => r.name).join(", ")}): the program will create ${hubEntry.seedName}`);
    } else {
      if (hub.name !== hubEntry.seedName) warnings.push(`the event hub is spelled "${hub.name}"; the program names it "${hubEntry.seedName}": check that pulumi preview shows no replacement of ${hubEntry.logicalName}`);
      select(hubEntry, hub);
      const rules = byType(ruleEntry.azureType).filter((r) => lc(r.id).startsWith(`${lc(hub.id)}/authorizationrules/`));
      const rule = rules.find((r) => lc(r.name) === lc(ruleEntry.seedName!));
      if (rules.length === 0) {
        checks.push(
          `authorization rules are not in the input: az eventhubs eventhub authorization-rule list --resource-group ${rgName} --namespace-name ${ns.name} --eventhub-name ${hub.name} -o json > eventhub-rules.json, then run this tool again with it added`,
        );
      } else if (!rule) {
        warnings.push(`${hub.name} has no access policy named ${ruleEntry.seedName} (it has ${rules.map((r) => r.name).join(", ")}): the program will create ${ruleEntry.seedName}`);
      } else select(ruleEntry, rule);
    }
  }

  // --- everything else in the group
  for (const r of inRg) {
    if (selected.has(r)) continue;
    warnings.push(`not adopted: ${r.type} "${r.name}": ${unmappedAdvice(r)}`);
  }

  // --- locations and SKUs that would make the program replace what it imported
  const located = plan.selections.map((s) => inRg.find((r) => lc(r.id) === lc(s.id))).filter((r): r is AzResource => !!r && typeof r.location === "string" && r.location !== "");
  const rgLocation = rgEntry?.location ?? undefined;
  if (opts.location !== undefined) {
    const wrong = [...(rgLocation ? [{ name: rgName, location: rgLocation }] : []), ...located.filter((r) => lc(r.location!) !== "global")].filter(
      (r) => normLocation(r.location!) !== normLocation(opts.location!),
    );
    if (wrong.length > 0) {
      errors.push(
        `${wrong.map((r) => `${r.name} is in ${r.location}`).join("; ")} but the stack's azure-native:location is ${opts.location}: the program would replace them; set azure-native:location to their region`,
      );
    }
  }
  const pip = plan.selections.find((s) => s.entry.role === "publicIp");
  const pipRes = pip ? inRg.find((r) => lc(r.id) === lc(pip.id)) : undefined;
  const pipSku = pipRes?.sku?.name;
  if (pipRes && typeof pipSku === "string" && lc(pipSku) !== "standard") {
    warnings.push(
      `the public IP ${pipRes.name} has the ${pipSku} SKU; the program's is Standard and static. Azure announced the retirement of Basic public IPs (30 September 2025). ` +
        "Changing the SKU through Pulumi would replace the address (imported resources are protected, so pulumi up stops instead): upgrade it in Azure first, keeping the address",
    );
  }

  // --- import file and stack keys
  const version = opts.providerVersion;
  // The provider must be in the state before the import (docs/migration.md: a targeted pulumi up creates it alone).
  plan.importFile.nameTable = { [PROGRAM_PROVIDER.name]: providerUrn(opts.stack) };
  if (!opts.componentInState) plan.importFile.resources.push({ type: STATIC_COMPONENT.type, name: STATIC_COMPONENT.name, component: true });
  else plan.importFile.nameTable[STATIC_COMPONENT.name] = staticUrn(opts.stack);
  const order = new Map(STATIC_IMPORT_TABLE.map((e, i) => [e.role, i]));
  plan.selections.sort((a, b) => order.get(a.entry.role)! - order.get(b.entry.role)!);
  for (const s of plan.selections) {
    plan.importFile.resources.push({
      type: s.entry.pulumiType,
      name: s.entry.logicalName,
      logicalName: s.entry.logicalName,
      id: s.id,
      parent: STATIC_COMPONENT.name,
      provider: PROGRAM_PROVIDER.name,
      ...(version ? { version } : {}),
    });
    if (s.entry.existingKey) plan.existingStatic[s.entry.existingKey] = s.name;
  }
  for (const [k, v] of Object.entries(plan.existingStatic)) {
    // `pulumi config set --path` turns all-digit values into numbers; --type string keeps a name a name.
    const typed = /^\d+$/.test(v!) ? " --type string" : "";
    plan.configCommands.push(`pulumi config set --stack ${opts.stack} --path${typed} existingStatic.${k} ${v}`);
  }

  // --- what only the live deployment can confirm
  if (!rgEntry) checks.push(`the resource group's exact name and region: az group show --name ${rgName} --query "{name:name, location:location}" -o json`);
  if (pipRes) {
    checks.push(
      `the public IP: az network public-ip show --resource-group ${rgName} --name ${pipRes.name} --query "{ip:ipAddress, sku:sku.name, allocation:publicIPAllocationMethod, zones:zones, dnsLabel:dnsSettings.domainNameLabel, usedBy:ipConfiguration.id}" -o json. ` +
        "It must be Standard and Static. If it has a DNS label and your DNS has a CNAME to it (older guides recommended one), keep the label or move DNS to an A record first",
    );
  }
  const kv = plan.selections.find((s) => s.entry.role === "keyVault");
  if (kv) {
    checks.push(
      `the Key Vault: az keyvault show --name ${kv.name} --query "{rbac:properties.enableRbacAuthorization, softDelete:properties.enableSoftDelete, purgeProtection:properties.enablePurgeProtection}" -o json. ` +
        "The program uses Azure RBAC and purge protection: switching the vault from access policies to RBAC cuts off whatever still reads it through access policies (the old scale set), and purge protection cannot be switched off again. Let pulumi up change the vault only in the cut-over window (docs/migration.md)",
    );
  }
  checks.push(`after pulumi import: pulumi preview --diff --stack ${opts.stack} must show no replacement (+-) of any ${STATIC_COMPONENT.name}-* resource; updates in place are expected where the program's settings differ`);
  return plan;
}

/** Sets `existingStatic.*` in stack-file YAML (comments and every other key kept); creates the file's text when there is none. */
export function mergeExistingStatic(yamlText: string | undefined, names: ExistingStaticNames): string {
  // parseYaml: the problem by line and kind; the library's own message would quote the file (secrets included).
  const doc = yamlText && yamlText.trim() !== "" ? parseYaml(yamlText, "the stack file") : new Document({ config: {} });
  for (const [k, v] of Object.entries(names)) {
    if (v !== undefined) doc.setIn(["config", `${PROJECT}:existingStatic`, k], v);
  }
  return doc.toString();
}

/** The import file as written to disk. */
export function importFileText(plan: StaticImportPlan): string {
  return `${JSON.stringify(plan.importFile, null, 2)}\n`;
}
