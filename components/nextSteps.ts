/**
 * The next steps the seed's install script printed at the end, and the Teams and Pexip Infinity settings the guide
 * walks through by hand, as stack outputs: the DNS record, the capacity and vCPU quota, the
 * `New-CsVideoInteropServiceProvider` command ("Defining the app behavior") and what to enter in Pexip Infinity
 * (Teams Connector, Virtual Reception, Call Routing Rule). Pure functions; no resources.
 */
import * as pulumi from "@pulumi/pulumi";
import { CALLS_PER_INSTANCE, instancesFor, MAX_CALLS_PER_INSTANCE, quotaNeed } from "./capacity";
import { isIpv4 } from "./addresses";
import { isFqdn } from "./naming";
import { DEFAULT_VM_SIZE } from "./vmSizes";

/** What builds the InstructionUri (the seed's "Defining the app behavior"). */
export interface DialInstructions {
  /** Conferencing Node pool name, FQDN or IPv4 address. */
  nodeAddress: string;
  /** Name part of the Virtual Reception alias. */
  ivr: string;
  /** SIP domain. */
  domain: string;
  /** Optional IP alias. */
  ip?: string;
  /** Optional test-call alias name part. */
  test?: string;
  /** Optional dial prefix. */
  prefix?: string;
  /** Offer the browser join link. */
  browser: boolean;
}

/** The Teams Connector's listening port (the load balancer rule, and what Pexip Infinity dials). */
export const CONNECTOR_PORT = 443;
/** Teams conference IDs are 9 to 12 digits (seed: "Call Routing Rules for direct and indirect routing"). */
export const CONFERENCE_ID_PATTERN = "(\\d{9,12})";

/** The DNS A record to create, or, with `dnsZone`, the one this stack creates in that Azure DNS zone. */
export function dnsRecord(cfg: { connectorFqdn: string; dnsZone?: { resourceGroup: string; name: string } }, ip: pulumi.Input<string>): pulumi.Output<string> {
  const record = pulumi.interpolate`${cfg.connectorFqdn}. IN A ${ip}`;
  if (!cfg.dnsZone) return pulumi.interpolate`Create this externally resolvable DNS record: ${record}`;
  return pulumi.interpolate`${record} (created by this stack in the Azure DNS zone ${cfg.dnsZone.name}, resource group ${cfg.dnsZone.resourceGroup})`;
}

/** Capacity of the configured scale set, the regional quota it uses at its peak, and what `expectedConcurrentCalls` would need. */
export interface Capacity {
  instances: number;
  /** CALLS_PER_INSTANCE (15, Pexip's planning figure) calls per instance. */
  approximateConcurrentCalls: number;
  /** MAX_CALLS_PER_INSTANCE (16) calls per instance: the ceiling, not a planning figure. */
  maxConcurrentCalls: number;
  vcpusPerInstance: number;
  /** The size's regional vCPU quota (`az vm list-usage`), e.g. standardFSFamily; "unknown" for a size outside the table. */
  vcpuQuotaFamily: string;
  /** Instances a rolling upgrade creates on top of `instances` (MaxSurge: one batch). */
  surgeBatch: number;
  /** vCPUs of that family in use at the peak of a rolling upgrade: (instances + surge batch) x vCPUs. */
  vcpuQuota: number;
  /** Standard public IPs at that peak: one per instance and surge instance, plus the static one. */
  standardPublicIps: number;
  /** What happens when the quota is short. */
  quotaNote: string;
  expectedConcurrentCalls?: number;
  instancesForExpectedCalls?: number;
  /** vCPUs (surge included) for the instances expectedConcurrentCalls needs. */
  vcpuQuotaForExpectedCalls?: number;
  /** Set when instanceCount is below what expectedConcurrentCalls needs. */
  shortfall?: string;
}

/** Without the surge quota, Azure upgrades the batch in place: those instances stop serving while they install. */
export const QUOTA_NOTE = "A rolling upgrade creates one batch of new instances before it removes the old ones (MaxSurge); without quota for that batch Azure upgrades in place and the batch stops serving while it installs.";

export function capacity(cfg: { instanceCount: number; expectedConcurrentCalls?: number; vmSize?: string }): Capacity {
  const vmSize = cfg.vmSize ?? DEFAULT_VM_SIZE;
  const need = quotaNeed(cfg.instanceCount, vmSize);
  const out: Capacity = {
    instances: cfg.instanceCount,
    approximateConcurrentCalls: cfg.instanceCount * CALLS_PER_INSTANCE,
    maxConcurrentCalls: cfg.instanceCount * MAX_CALLS_PER_INSTANCE,
    vcpusPerInstance: need.vcpusPerInstance,
    vcpuQuotaFamily: need.vcpuQuotaFamily ?? "unknown",
    surgeBatch: need.surgeBatch,
    vcpuQuota: need.vcpus,
    standardPublicIps: need.standardPublicIps,
    quotaNote: QUOTA_NOTE,
  };
  if (cfg.expectedConcurrentCalls !== undefined) {
    const needed = instancesFor(cfg.expectedConcurrentCalls);
    out.expectedConcurrentCalls = cfg.expectedConcurrentCalls;
    out.instancesForExpectedCalls = needed;
    out.vcpuQuotaForExpectedCalls = quotaNeed(needed, vmSize).vcpus;
    if (cfg.instanceCount < needed) {
      out.shortfall = `${cfg.expectedConcurrentCalls} concurrent calls need ${needed} instances (about ${CALLS_PER_INSTANCE} calls each); instanceCount is ${cfg.instanceCount}`;
    }
  }
  return out;
}

const NAME_PART = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

/** Checks dial instructions the way config.ts does, so the functions below never build a broken command. */
export function dialInstructionsProblems(d: DialInstructions): string[] {
  const problems: string[] = [];
  if (!isFqdn(d.nodeAddress, false) && !isIpv4(d.nodeAddress)) problems.push(`nodeAddress "${d.nodeAddress}" must be the Conferencing Node pool name, an FQDN or an IPv4 address`);
  if (!NAME_PART.test(d.ivr)) problems.push(`ivr "${d.ivr}" must be the name part of the Virtual Reception alias, without @ or domain (e.g. teams)`);
  if (!isFqdn(d.domain, false)) problems.push(`domain "${d.domain}" must be a domain name such as example.com`);
  if (d.ip !== undefined && !isIpv4(d.ip)) problems.push(`ip "${d.ip}" must be one IPv4 address`);
  if (d.test !== undefined && !NAME_PART.test(d.test)) problems.push(`test "${d.test}" must be the name part of the test call alias, without @ or domain (e.g. test_call)`);
  if (d.prefix !== undefined && !/^[A-Za-z0-9._-]+$/.test(d.prefix)) problems.push(`prefix "${d.prefix}" must be a dial prefix of letters, digits, . _ - (e.g. teams.)`);
  return problems;
}

function checked(d: DialInstructions): DialInstructions {
  const problems = dialInstructionsProblems(d);
  if (problems.length > 0) throw new Error(`dialInstructions: ${problems.join("; ")}`);
  return d;
}

/** The Virtual Reception alias Teams shows as the IVR address (`-TenantKey`): `<ivr>@<domain>`. */
export function tenantKey(d: DialInstructions): string {
  checked(d);
  return `${d.ivr}@${d.domain}`;
}

/**
 * The "Alternate VTC dialing instructions" link, parameters in the seed's order:
 * `https://<node>/teams/?conf={ConfId}&ivr=<ivr>&d=<domain>[&ip=<ip>][&test=<test>][&prefix=<prefix>][&w]`.
 * Values are validated name parts, so they go in as written (the seed's examples are not percent-encoded).
 */
export function instructionUri(d: DialInstructions): string {
  checked(d);
  let uri = `https://${d.nodeAddress}/teams/?conf={ConfId}&ivr=${d.ivr}&d=${d.domain}`;
  if (d.ip !== undefined) uri += `&ip=${d.ip}`;
  if (d.test !== undefined) uri += `&test=${d.test}`;
  if (d.prefix !== undefined) uri += `&prefix=${d.prefix}`;
  if (d.browser) uri += "&w";
  return uri;
}

/** Pexip's guide: "The following commands may take up to 6 hours to come into effect." */
export const TEAMS_PROPAGATION = "up to 6 hours";

/** The provider command, one parameter group per line (PowerShell's backtick continues a line), as `-Name` or `-Identity`. */
function providerCommand(verb: "New" | "Set", tenantKeyValue: string, uri: string, appId: string, prefix = ""): string[] {
  const who = verb === "New" ? "-Name Pexip" : "-Identity Pexip";
  return [
    `${prefix}${verb}-CsVideoInteropServiceProvider ${who} -TenantKey "${tenantKeyValue}" \``,
    `${prefix}  -InstructionUri "${uri}" \``,
    `${prefix}  -AllowAppGuestJoinsAsAuthenticated $true -AadApplicationIds "${appId}"`,
  ];
}

/**
 * The Teams step as a PowerShell script to paste (the `teamsPowerShell` output), always: who runs it, the MicrosoftTeams
 * module and sign-in, `New-CsVideoInteropServiceProvider` and the policy grant (Pexip's guide: "Authorize CVI app to
 * bypass Teams lobby and configure dialing instructions"), how long it takes, and the `Set-` form for later changes.
 * Without dial instructions it says what is missing and keeps the commands as comments with `<...>` for the missing parts.
 * A region after the first (`appStack`) shares the tenant's one interop provider: it says so.
 */
export function teamsPowerShell(d: DialInstructions | undefined, appId: pulumi.Input<string>, tenantId: pulumi.Input<string>, opts: { appStack?: string } = {}): pulumi.Output<string> {
  const key = d ? tenantKey(d) : "<ivr>@<domain>";
  const uri = d ? instructionUri(d) : "https://<nodeAddress>/teams/?conf={ConfId}&ivr=<ivr>&d=<domain>&w";
  return pulumi.all([appId, tenantId]).apply(([id, tenant]) => {
    // Microsoft's Teams cmdlets need a Teams Administrator; Pexip's guide names the Global Administrator.
    // The MicrosoftTeams module, installed and connected by a Teams Administrator https://learn.microsoft.com/en-us/microsoftteams/teams-powershell-install
    const lines = ["# Microsoft Teams, once per tenant. Run in PowerShell as a Teams Administrator of the tenant",
      "# (Pexip's guide asks for a Global Administrator)."];
    if (opts.appStack) {
      lines.push("# The tenant has one Pexip interop provider for all regions: it was set up with the stack",
        `# ${opts.appStack}. Run this only to replace it (with the Set- form at the end).`);
    }
    const commented = d === undefined ? "# " : "";
    if (d === undefined) {
      lines.push("# Missing: pexip-teams-connector:dialInstructions is not set (nodeAddress, ivr, domain; optionally",
        "# ip, test, prefix, browser), so the lobby-bypass and dialing-instructions command cannot be written.",
        "# Set it, then plan again:",
        "#   pulumi config set --path dialInstructions.nodeAddress <Conferencing Node pool name>",
        "#   pulumi config set --path dialInstructions.ivr <Virtual Reception alias name part, e.g. teams>",
        "#   pulumi config set --path dialInstructions.domain <SIP domain, e.g. example.com>");
    }
    lines.push("# The MicrosoftTeams module, once per machine (Update-Module MicrosoftTeams if it is installed already):",
      "Install-Module -Name MicrosoftTeams -Scope CurrentUser",
      `Connect-MicrosoftTeams -TenantId "${tenant}"`,
      ...providerCommand("New", key, uri, id, commented),
      `${commented}Grant-CsTeamsVideoInteropServicePolicy -PolicyName PexipServiceProviderEnabled -Global`,
      `# These take ${TEAMS_PROPAGATION} to come into effect. Later changes (another alias or InstructionUri, a new app ID):`,
      ...providerCommand("Set", key, uri, id, "# "));
    return lines.join("\n");
  });
}

/** A regex matching `s` literally. */
export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The Call Routing Rule into Teams meetings (and the Virtual Reception post-lookup transform when `prefix` is set). */
export function callRoutingRule(d?: Pick<DialInstructions, "domain" | "prefix">) {
  if (!d) {
    return {
      destinationAliasRegexMatch: CONFERENCE_ID_PATTERN,
      destinationAliasRegexReplaceString: "\\1",
      note: "set dialInstructions.domain to get the (@<domain>)? form of this rule",
    };
  }
  if (d.prefix === undefined) {
    return { destinationAliasRegexMatch: `${CONFERENCE_ID_PATTERN}(@${escapeRegex(d.domain)})?`, destinationAliasRegexReplaceString: "\\1" };
  }
  // The seed's "teams." variant: the Virtual Reception turns the typed ID into <prefix><id>@<domain>, which the rule matches.
  return {
    destinationAliasRegexMatch: `${escapeRegex(d.prefix)}${CONFERENCE_ID_PATTERN}@${escapeRegex(d.domain)}`,
    destinationAliasRegexReplaceString: "\\1",
    virtualReceptionPostLookupRegexMatch: "(.*)",
    virtualReceptionPostLookupRegexReplaceString: `${d.prefix}\\1@${d.domain}`,
  };
}

/** The Virtual Reception's aliases: `<ivr>@<domain>`, and the IP alias when the InstructionUri carries one. */
export function virtualReceptionAliases(d?: Pick<DialInstructions, "ivr" | "domain" | "ip">): string[] {
  return d ? [`${d.ivr}@${d.domain}`, ...(d.ip !== undefined ? [d.ip] : [])] : [];
}

/** One step in the Pexip Infinity Administrator interface, in the order the interface asks for them. */
export interface InfinityStep {
  /** The menu path (Pexip's guide, "Configuring Pexip Infinity as a Microsoft Teams gateway"). */
  where: string;
  /** How often: once for the platform, once per Teams tenant, or for this region's connector. */
  scope: "once per platform" | "once per tenant" | "this region";
  /** What to do there, in the interface's order: each field as the interface labels it (`do`: a sentence). */
  set: { field: string; value: pulumi.Input<string | number | boolean> }[];
  note?: string;
}

/** The connector's field for the Event Hub (Pexip's guide: its "Connection string-primary key", standard_access_policy). */
const EVENT_HUB_FIELD = "Azure Event Hub connection string";

/**
 * What to enter in Pexip Infinity, step by step in the Administrator interface's order: the Teams licence, the Client
 * API, the Teams tenant, the Teams Connector (address, port, tenant, Event Hub connection string), the locations, the
 * Virtual Reception, and the trusted and untrusted Call Routing Rules with their regex. A region after the first
 * (`appStack`) reuses the platform and tenant steps; with the `infinity` key the tenant, connector, Virtual Reception
 * and rules are the PexipInfinity component's. The Event Hub connection string is a secret output of its own
 * (`eventHubConnectionString`): only whether it exists is used here, never its value.
 */
export function pexipInfinity(
  cfg: { connectorFqdn: string; dialInstructions?: DialInstructions; enhancedStatus: boolean; nodeFqdns: string[]; connectorName: string; appStack: string; infinityManaged: boolean; stack: string },
  tenantId: pulumi.Input<string>,
  eventHubConnectionString?: pulumi.Input<string>,
): { order: string; steps: InfinityStep[] } {
  const d = cfg.dialInstructions ? checked(cfg.dialInstructions) : undefined;
  const rule = callRoutingRule(d);
  const aliases = virtualReceptionAliases(d);
  const nodes = `the location of the Conferencing Nodes ${cfg.nodeFqdns.join(", ")}`;
  const later = cfg.appStack !== "";
  type Fields = Record<string, pulumi.Input<string | number | boolean>>;
  // Object literals keep their insertion order: the fields in the order the interface shows them.
  const step = (where: string, scope: InfinityStep["scope"], set: Fields, note?: string): InfinityStep =>
    ({ where, scope, set: Object.entries(set).map(([field, value]) => ({ field, value })), ...(note ? { note } : {}) });
  const steps: InfinityStep[] = [
    step("Platform > Licenses", "once per platform", { do: "a Microsoft Teams (teams) licence is installed: one per Teams tenant, plus call licences per gateway call" }),
    step("Platform > Global Settings (Connectivity section)", "once per platform", { "Enable support for Pexip Infinity Connect clients and Client API": true }),
  ];
  if (cfg.infinityManaged) {
    steps.push(step("Call Control > Microsoft Teams Tenants and Connectors; Services > Virtual Receptions and Call Routing", "this region", {
      do: `managed by this stack (the infinity key): the PexipInfinity component at pulumi up, or npm run infinity -- apply --stack ${cfg.stack} from a machine that reaches the Management Node`,
    }));
  } else {
    steps.push(later
      ? step("Call Control > Microsoft Teams Tenants", "once per tenant", { do: `the tenant added for the ${cfg.appStack} stack: reuse it`, "Teams tenant ID": tenantId })
      : step("Call Control > Microsoft Teams Tenants > Add Teams Tenant", "once per tenant", { Name: `${cfg.connectorName} tenant`, "Teams tenant ID": tenantId }));
    const connector: Fields = {
      Name: cfg.connectorName,
      "Address of Teams Connector": cfg.connectorFqdn,
      Port: CONNECTOR_PORT,
      "Teams tenant": later ? `the tenant added for the ${cfg.appStack} stack` : `${cfg.connectorName} tenant`,
      "Enable enhanced status information": cfg.enhancedStatus,
    };
    if (cfg.enhancedStatus) {
      connector[EVENT_HUB_FIELD] = eventHubConnectionString !== undefined
        ? "pulumi stack output --show-secrets eventHubConnectionString"
        : "missing: enhancedStatus is true but this stack has no eventHubConnectionString output (check the StaticResources Event Hub)";
    }
    steps.push(step("Call Control > Microsoft Teams Connectors > Add Microsoft Teams Connector", "this region", connector));
  }
  steps.push(step(`Platform > Locations > ${nodes}`, "this region", { "Microsoft Teams Connector": cfg.connectorName }));
  if (!cfg.infinityManaged) {
    const vr: Fields = {
      Name: `${cfg.connectorName} Teams IVR`,
      "Virtual Reception type": "Microsoft Teams",
      "Teams Connector": cfg.connectorName,
      "Lookup location": nodes,
    };
    if (aliases.length === 0) vr["Alias (#1)"] = "missing: set dialInstructions (ivr, domain): the alias is <ivr>@<domain>, the -TenantKey of the Teams step";
    aliases.forEach((a, i) => (vr[`Alias (#${i + 1})`] = a));
    if (rule.virtualReceptionPostLookupRegexMatch !== undefined) {
      vr["Post-lookup regex match"] = rule.virtualReceptionPostLookupRegexMatch;
      vr["Post-lookup regex replace string"] = rule.virtualReceptionPostLookupRegexReplaceString!;
    }
    steps.push(step("Services > Virtual Receptions > Add Virtual Reception", "this region", vr,
      later ? `an alias belongs to one Virtual Reception: if the ${cfg.appStack} stack's already has ${aliases[0] ?? "it"}, give this region its own alias or skip this step` : undefined));
    const routing = (trusted: boolean): Fields => ({
      Name: `${cfg.connectorName} Teams ${trusted ? "trusted" : "untrusted"}`,
      Priority: trusted ? 20 : 60,
      "Incoming gateway calls": true,
      "Calls being handled in location": trusted ? "the location of your trusted (internal) callers, or Match incoming calls from registered devices only" : "Any location",
      "Destination alias regex match": rule.destinationAliasRegexMatch,
      "Destination alias regex replace string": rule.destinationAliasRegexReplaceString,
      "Call target": "Microsoft Teams meeting",
      "Outgoing location": nodes,
      "Treat as trusted": trusted,
    });
    steps.push(step("Services > Call Routing > Add Call Routing Rule (trusted callers: lobby bypass)", "this region", routing(true)));
    steps.push(step("Services > Call Routing > Add Call Routing Rule (everyone else: held in the Teams lobby)", "this region", routing(false),
      rule.note ?? "Teams conference IDs are 9 to 12 digits; rules are matched in ascending priority, so the trusted rule comes first"));
  }
  return { order: "the Pexip Infinity Administrator interface, top to bottom", steps };
}
