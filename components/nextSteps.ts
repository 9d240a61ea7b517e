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

/** The two Teams PowerShell commands (MicrosoftTeams module, Global Administrator), one per line. */
export function teamsPowerShell(d: DialInstructions, appId: pulumi.Input<string>): pulumi.Output<string> {
  const key = tenantKey(d);
  const uri = instructionUri(d);
  return pulumi.output(appId).apply((id) =>
    `New-CsVideoInteropServiceProvider -Name Pexip -TenantKey "${key}" -InstructionUri "${uri}" -AllowAppGuestJoinsAsAuthenticated $true -AadApplicationIds "${id}"\n` +
    "Grant-CsTeamsVideoInteropServicePolicy -PolicyName PexipServiceProviderEnabled -Global",
  );
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

/**
 * What to enter in Pexip Infinity (Call control > Microsoft Teams Connectors, Services > Virtual Receptions, Call
 * Routing Rules). The Event Hub connection string is a secret output of its own (`eventHubConnectionString`): only
 * whether it exists is used here, never its value.
 */
export function pexipInfinity(
  cfg: { connectorFqdn: string; dialInstructions?: DialInstructions; enhancedStatus: boolean },
  tenantId: pulumi.Input<string>,
  eventHubConnectionString?: pulumi.Input<string>,
) {
  const d = cfg.dialInstructions ? checked(cfg.dialInstructions) : undefined;
  const aliases = virtualReceptionAliases(d);
  return {
    teamsConnector: { address: cfg.connectorFqdn, port: CONNECTOR_PORT },
    tenantId: pulumi.output(tenantId),
    enhancedStatus: !cfg.enhancedStatus
      ? "Enhanced status is off for this stack (enhancedStatus: false): leave the Event Hub connection string empty."
      : eventHubConnectionString !== undefined
        ? "Enter the eventHubConnectionString stack output (pulumi stack output --show-secrets eventHubConnectionString) as the Teams Connector's Azure Event Hub connection string."
        : "enhancedStatus is true but this stack has no Event Hub connection string output: check the StaticResources Event Hub before enabling enhanced status in Pexip Infinity.",
    virtualReception: d
      ? { type: "Microsoft Teams", aliases, note: "the first alias matches -TenantKey; the IP alias matches the ip parameter of the InstructionUri" }
      : { type: "Microsoft Teams", aliases, note: "set dialInstructions to get the Virtual Reception alias (<ivr>@<domain>)" },
    callRoutingRule: callRoutingRule(d),
  };
}
