/**
 * The Infinity objects a stack wants, from its `infinity` settings and what the deployment knows (connector FQDN,
 * tenant ID, Event Hub connection string, dial instructions). Pure: no I/O. Values only a deployment knows are passed
 * through untouched (`S`: a string, a Pulumi Output, or a placeholder), so `pulumi up` and `npm run infinity` build the
 * same list. Objects refer to each other by key (`{ $ref }`), and to system locations by name (`{ $lookup }`).
 */
import { callRoutingRule, CONNECTOR_PORT, virtualReceptionAliases } from "../nextSteps";
import type { Lookup, ManagedType, Ref } from "./model";
export { isLookup, isRef } from "./model";
export type { Lookup, Ref } from "./model";
import type { InfinitySettings, RoutingRuleSetting } from "./settings";
import type { DialInstructions } from "../nextSteps";

/** The stack's `dialInstructions` (one type, beside the Teams next steps built from the same fields). */
export type DialInstructionsShape = DialInstructions;

/** What only the deployment (or its outputs) knows. */
export interface DeploymentValues<S> {
  /** Stack name: part of the ownership marker written into every object this stack manages. */
  stack: string;
  /** Connector object name when `infinity.connectorName` is unset (index.ts passes `<baseName>-<regionCode>`). */
  defaultConnectorName: string;
  /** The Teams Connector's FQDN (`connectorFqdn`). */
  connectorFqdn: string;
  /** The app's home tenant, used when `infinity.tenants` is unset. */
  tenantId: S;
  /** The Event Hub connection string (secret); undefined when enhancedStatus is off. */
  eventHubConnectionString?: S;
  dialInstructions?: DialInstructionsShape;
}

export type FieldValue<S> = S | string | number | boolean | null | string[] | Ref | Lookup;

export interface DesiredObject<S = string> {
  /** Stable key `<type>/<name>`: what state, diffs and references use; never an index. */
  key: string;
  type: ManagedType;
  /** The object's name in Infinity (its `name`, or `policy_name` for scheduled scaling). */
  name: string;
  /** Fields to set (the ownership description is added when written; see client.ts `withMarker`). */
  fields: Record<string, FieldValue<S>>;
}

export const keyOf = (type: ManagedType, name: string) => `${type}/${name}`;

/** The policy name of a scaling window: scoped by the connector, so two stacks' "business-hours" never collide. */
export const scalingPolicyName = (connector: string, window: string) => `${connector}/${window}`;

const DEFAULT_RULE_PRIORITY = 60;

const lookup = (name: string | undefined): Lookup | null => (name === undefined ? null : { $lookup: "system_location", name });

/** The desired objects, in creation order (a referenced object before the objects that refer to it). */
export function desiredObjects<S>(settings: InfinitySettings, values: DeploymentValues<S>): DesiredObject<S>[] {
  const out: DesiredObject<S>[] = [];
  const connector = settings.connectorName ?? values.defaultConnectorName;
  const tenants: { name: string; tenantId: S | string }[] = settings.tenants ?? [{ name: `${connector} tenant`, tenantId: values.tenantId }];
  const d = values.dialInstructions;
  // One source for the pattern: the same rule the plan prints as a next step (nextSteps.ts).
  const rule: { destinationAliasRegexMatch: string; virtualReceptionPostLookupRegexMatch?: string; virtualReceptionPostLookupRegexReplaceString?: string } = callRoutingRule(d);

  const proxies: string[] = [];
  tenants.forEach((t, i) => {
    const tenantKey = keyOf("azure_tenant", t.name);
    out.push({ key: tenantKey, type: "azure_tenant", name: t.name, fields: { name: t.name, tenant_id: t.tenantId } });
    // One connector object per tenant, all with the same address (seed: several tenant IDs can use one Teams Connector).
    const proxyName = i === 0 ? connector : `${connector}-${t.name}`;
    proxies.push(proxyName);
    const fields: Record<string, FieldValue<S>> = {
      name: proxyName,
      address: values.connectorFqdn,
      port: CONNECTOR_PORT,
      azure_tenant: { $ref: tenantKey },
      notifications_enabled: values.eventHubConnectionString !== undefined,
    };
    if (values.eventHubConnectionString !== undefined) fields.notifications_queue = values.eventHubConnectionString;
    if (settings.minimumInstances !== undefined) fields.min_number_of_instances = settings.minimumInstances;
    out.push({ key: keyOf("teams_proxy", proxyName), type: "teams_proxy", name: proxyName, fields });
  });
  const proxyRef: Ref = { $ref: keyOf("teams_proxy", proxies[0]) };

  const vr = settings.virtualReception;
  const aliases = vr?.aliases ?? virtualReceptionAliases(d);
  if ((vr?.enabled ?? true) && aliases.length > 0) {
    const vrName = vr?.name ?? `${connector} Teams IVR`;
    const fields: Record<string, FieldValue<S>> = {
      name: vrName,
      service_type: "two_stage_dialing",
      two_stage_dial_type: "teams",
      aliases,
      teams_proxy: proxyRef,
      system_location: lookup(vr?.lookupLocation),
    };
    // The seed's "teams." variant: the typed ID becomes <prefix><id>@<domain>, which the routing rule matches.
    if (rule.virtualReceptionPostLookupRegexMatch !== undefined) fields.post_match_string = rule.virtualReceptionPostLookupRegexMatch;
    if (rule.virtualReceptionPostLookupRegexReplaceString !== undefined) fields.post_replace_string = rule.virtualReceptionPostLookupRegexReplaceString;
    out.push({ key: keyOf("conference", vrName), type: "conference", name: vrName, fields });
  }

  const rules: RoutingRuleSetting[] = settings.routingRules ?? [{
    name: `${connector} Teams meetings`,
    priority: DEFAULT_RULE_PRIORITY,
    treatAsTrusted: false,
    registeredDevicesOnly: false,
    protocols: ["sip", "h323", "mssip", "webrtc"],
  }];
  for (const r of rules) {
    const p = new Set(r.protocols);
    out.push({
      key: keyOf("gateway_routing_rule", r.name),
      type: "gateway_routing_rule",
      name: r.name,
      fields: {
        name: r.name,
        priority: r.priority,
        enable: true,
        match_string: r.matchString ?? rule.destinationAliasRegexMatch,
        replace_string: r.replaceString ?? "\\1",
        match_string_full: false,
        called_device_type: "teams_conference",
        outgoing_protocol: "teams",
        match_incoming_calls: true,
        match_outgoing_calls: false,
        match_incoming_sip: p.has("sip"),
        match_incoming_h323: p.has("h323"),
        match_incoming_mssip: p.has("mssip"),
        match_incoming_webrtc: p.has("webrtc"),
        match_incoming_teams: false,
        match_incoming_only_if_registered: r.registeredDevicesOnly,
        match_source_location: lookup(r.matchSourceLocation),
        outgoing_location: lookup(r.outgoingLocation),
        teams_proxy: proxyRef,
        treat_as_trusted: r.treatAsTrusted,
        // Teams targets take no live captions (terraform-provider-infinity resource_infinity_gateway_routing_rule.go validator).
        live_captions_enabled: "no",
      },
    });
  }

  for (const w of settings.scheduledScaling) {
    const policy = scalingPolicyName(proxies[0], w.name);
    const days = new Set(w.days);
    const fields: Record<string, FieldValue<S>> = {
      policy_name: policy,
      policy_type: "TeamsConnectorScaling",
      resource_identifier: proxies[0],
      enabled: w.enabled,
      instances_to_add: w.instancesToAdd,
      minutes_in_advance: w.minutesInAdvance,
      local_timezone: w.timezone,
      time_from: `${w.from}:00`,
      time_to: `${w.to}:00`,
      mon: days.has("mon"),
      tue: days.has("tue"),
      wed: days.has("wed"),
      thu: days.has("thu"),
      fri: days.has("fri"),
      sat: days.has("sat"),
      sun: days.has("sun"),
    };
    if (w.startDate !== undefined) fields.start_date = w.startDate;
    out.push({ key: keyOf("scheduled_scaling", policy), type: "scheduled_scaling", name: policy, fields });
  }
  return out;
}
