/**
 * The stack's `infinity` setting (spec/config.md): the Pexip Infinity side as code. The types below are the contract;
 * `infinitySettingsSchema` (zod 4) validates one value of that key, every problem at once, each message naming its
 * field. Rules that need other keys (`enhancedStatus`, `capacityManagedBy`) are `infinityCrossKeyProblems`, a pure
 * function, so the config loader can feed them into the same problem list.
 */
import { z } from "zod";

export const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Day = (typeof DAYS)[number];

/** The calling protocols a routing rule can match (the API's match_incoming_<protocol> switches). */
export const PROTOCOLS = ["sip", "h323", "mssip", "webrtc"] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/** Pexip's default: it can take up to 20 minutes to start an instance (terraform-provider-infinity resource_infinity_scheduled_scaling.go). */
export const DEFAULT_MINUTES_IN_ADVANCE = 20;

/** One scheduled-scaling window of the Teams Connector (https://docs.pexip.com/admin/teams_scaling.htm). */
export interface ScalingWindow {
  /** Stable key; the policy in Infinity is named `<connector name>/<name>`. */
  name: string;
  /** Days the window applies, `mon`..`sun`, at least one. */
  days: Day[];
  /** Start, `HH:MM` (24-hour) in `timezone`. */
  from: string;
  /** End, `HH:MM`, later than `from` on the same day. */
  to: string;
  /** Instances added above the minimum during the window, 0-100. */
  instancesToAdd: number;
  /** Minutes before `from` that scaling starts (default 20: an instance can take that long to start). */
  minutesInAdvance: number;
  /** IANA time zone of `from`/`to`, e.g. `Europe/Oslo` (default `UTC`). */
  timezone: string;
  /** Whether the policy is active (default true). */
  enabled: boolean;
  /** First day the policy applies, `YYYY-MM-DD`; unset: the day it is created, and left as it is afterwards. */
  startDate?: string;
}

/** A Teams tenant (Call control > Microsoft Teams Tenants); each gets its own Teams Connector object, same address. */
export interface TenantSetting {
  /** Name of the tenant object in Infinity. */
  name: string;
  /** The Microsoft Entra tenant ID (GUID). */
  tenantId: string;
}

/** The Virtual Reception (IVR gateway into Teams meetings). */
export interface VirtualReceptionSetting {
  /** Default true when dialInstructions (or `aliases`) say what to dial; false removes the one this stack made. */
  enabled: boolean;
  /** Name in Infinity (default `<connector name> Teams IVR`). */
  name?: string;
  /** Aliases (default: `<ivr>@<domain>` and `ip` from dialInstructions). */
  aliases?: string[];
  /** System location whose Conferencing Nodes look up the Conference ID (the seed's "Lookup location"). */
  lookupLocation?: string;
}

/** A Call Routing Rule into Teams meetings (seed: "Call Routing Rules for direct and indirect routing"). */
export interface RoutingRuleSetting {
  /** Name in Infinity (the stable key). */
  name: string;
  /** 1-200, lower first: trusted rules before untrusted ones. */
  priority: number;
  /** Admit callers straight into the meeting (lobby bypass); false holds them in the lobby. */
  treatAsTrusted: boolean;
  /** Destination alias regex (default: from dialInstructions, `(\d{9,12})(@<domain>)?`). */
  matchString?: string;
  /** Replace string (default `\1`: the Conference ID). */
  replaceString?: string;
  /** Only calls handled in this system location (default: any location). */
  matchSourceLocation?: string;
  /** Location whose Conferencing Nodes talk to the Teams Connector (the nodes of `nodeFqdns`). */
  outgoingLocation?: string;
  /** Only calls from devices registered to Infinity (default false). */
  registeredDevicesOnly: boolean;
  /** Incoming protocols matched (default all of sip, h323, mssip, webrtc). */
  protocols: Protocol[];
}

/** The `infinity` stack setting, defaults applied. */
export interface InfinitySettings {
  /** The Management Node, `https://<host>[:<port>]` (HTTPS only). */
  managementNode: string;
  /** An administrator account of the management API (HTTP Basic auth). */
  username: string;
  /** Its password: a secret (`pulumi config set --secret --path infinity.password`); `npm run infinity` reads INFINITY_PASSWORD instead. */
  password?: string;
  /** PEM file of a private CA that signed the Management Node's certificate (NODE_EXTRA_CA_CERTS is honoured too). */
  caCertificateFile?: string;
  /** Name of the Teams Connector object (default `<baseName>-<regionCode>`). */
  connectorName?: string;
  /** Minimum instances Infinity keeps running (needs enhancedStatus and capacityManagedBy infinity); unset: not managed. */
  minimumInstances?: number;
  /** Scheduled-scaling windows (same needs as minimumInstances); an entry removed here is deleted in Infinity. */
  scheduledScaling: ScalingWindow[];
  /** Teams tenants (default: the app's home tenant). */
  tenants?: TenantSetting[];
  /** The Virtual Reception. */
  virtualReception?: VirtualReceptionSetting;
  /** Call Routing Rules (default: one untrusted rule built from dialInstructions). */
  routingRules?: RoutingRuleSetting[];
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const HHMM = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/;
const NAME = /^[A-Za-z0-9][A-Za-z0-9 ._()+-]*$/;
const TZ_SHAPE = /^(UTC|[A-Za-z]+(\/[A-Za-z0-9_+-]+)+)$/;

/** Whether `tz` is an IANA time zone this Node's ICU knows (aliases such as Europe/Kiev included). */
export function isTimeZone(tz: string): boolean {
  if (!TZ_SHAPE.test(tz)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Whether `url` is `https://<host>[:<port>][/]` with nothing else (no credentials, path, query). */
export function isManagementNodeUrl(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return u.protocol === "https:" && u.hostname !== "" && u.username === "" && u.password === "" && (u.pathname === "/" || u.pathname === "") && u.search === "" && u.hash === "";
}

const text = (field: string, max: number) =>
  z.string({ error: `${field} must be text` }).min(1, { error: `${field} must not be empty` }).max(max, { error: `${field} must be at most ${max} characters` });
const name = (field: string, max: number) => text(field, max).regex(NAME, { error: `${field} must start with a letter or digit and use letters, digits, spaces and . _ ( ) + -` });
const int = (field: string, min: number, max: number) =>
  z.number({ error: `${field} must be a whole number from ${min} to ${max}` }).int({ error: `${field} must be a whole number from ${min} to ${max}` })
    .min(min, { error: `${field} must be from ${min} to ${max}` }).max(max, { error: `${field} must be from ${min} to ${max}` });
const bool = (field: string) => z.boolean({ error: `${field} must be true or false` });
const strict = <T extends z.ZodRawShape>(what: string, shape: T) =>
  z.strictObject(shape, { error: (iss) => (iss.code === "unrecognized_keys" ? `is not a key of ${what} (${Object.keys(shape).join(", ")})` : `${what} must be an object`) });
const uniqueBy = <T>(items: T[], key: (t: T) => string) => {
  const seen = new Set<string>();
  const dups: number[] = [];
  items.forEach((t, i) => (seen.has(key(t)) ? dups.push(i) : seen.add(key(t))));
  return dups;
};

const scalingWindow = strict("a scheduledScaling entry", {
  name: name("name", 60),
  days: z.array(z.enum(DAYS, { error: `days must be a list of ${DAYS.join(", ")}` }), { error: `days must be a list of ${DAYS.join(", ")}` })
    .min(1, { error: "days must name at least one day" })
    .refine((d) => new Set(d).size === d.length, { error: "days must not repeat a day" }),
  from: z.string({ error: "from must be a time HH:MM" }).regex(HHMM, { error: "from must be a time HH:MM (24-hour, e.g. 07:30)" }),
  to: z.string({ error: "to must be a time HH:MM" }).regex(HHMM, { error: "to must be a time HH:MM (24-hour, e.g. 17:00)" }),
  instancesToAdd: int("instancesToAdd", 0, 100),
  minutesInAdvance: int("minutesInAdvance", 0, 1440).default(DEFAULT_MINUTES_IN_ADVANCE),
  timezone: z.string({ error: "timezone must be an IANA time zone" }).refine(isTimeZone, { error: "timezone must be an IANA time zone such as Europe/Oslo or UTC" }).default("UTC"),
  enabled: bool("enabled").default(true),
  startDate: z.string({ error: "startDate must be a date YYYY-MM-DD" }).regex(DATE, { error: "startDate must be a date YYYY-MM-DD" }).optional(),
}).superRefine((w, ctx) => {
  if (HHMM.test(w.from) && HHMM.test(w.to) && w.to <= w.from) {
    ctx.addIssue({ code: "custom", path: ["to"], message: `to must be later than from (${w.from}): a window ends on the day it starts; split one that crosses midnight into two entries` });
  }
});

const tenant = strict("a tenants entry", {
  name: name("name", 100),
  tenantId: z.string({ error: "tenantId must be a GUID" }).regex(GUID, { error: "tenantId must be a tenant GUID (8-4-4-4-12 hex)" }),
});

const location = (field: string) => text(field, 250);

const virtualReception = strict("virtualReception", {
  enabled: bool("enabled").default(true),
  name: name("name", 250).optional(),
  aliases: z.array(text("aliases entry", 250), { error: "aliases must be a list of aliases" }).min(1, { error: "aliases must not be empty" }).optional(),
  lookupLocation: location("lookupLocation").optional(),
});

const routingRule = strict("a routingRules entry", {
  name: name("name", 250),
  priority: int("priority", 1, 200),
  treatAsTrusted: bool("treatAsTrusted").default(false),
  matchString: text("matchString", 250).refine((s) => { try { new RegExp(s); return true; } catch { return false; } }, { error: "matchString must be a regular expression" }).optional(),
  replaceString: z.string({ error: "replaceString must be text" }).max(250, { error: "replaceString must be at most 250 characters" }).optional(),
  matchSourceLocation: location("matchSourceLocation").optional(),
  outgoingLocation: location("outgoingLocation").optional(),
  registeredDevicesOnly: bool("registeredDevicesOnly").default(false),
  protocols: z.array(z.enum(PROTOCOLS, { error: `protocols must be a list of ${PROTOCOLS.join(", ")}` }), { error: `protocols must be a list of ${PROTOCOLS.join(", ")}` })
    .min(1, { error: "protocols must name at least one protocol" }).default([...PROTOCOLS]),
});

/** The zod schema of the `infinity` key (defaults applied on parse). */
export const infinitySettingsSchema = strict("infinity", {
  managementNode: z.string({ error: "managementNode must be an https:// URL" })
    .refine(isManagementNodeUrl, { error: "managementNode must be https://<host>[:<port>] with no path (HTTPS only: the password travels with every request)" }),
  username: text("username", 100),
  password: z.string({ error: "password must be a secret string" }).min(1, { error: "password must not be empty" }).optional(),
  caCertificateFile: text("caCertificateFile", 4096).optional(),
  connectorName: name("connectorName", 200).optional(),
  minimumInstances: int("minimumInstances", 0, 100).optional(),
  scheduledScaling: z.array(scalingWindow, { error: "scheduledScaling must be a list" }).default([])
    .superRefine((list, ctx) => {
      for (const i of uniqueBy(list, (w) => w.name)) ctx.addIssue({ code: "custom", path: [i, "name"], message: `name "${list[i].name}" is used by an earlier scheduledScaling entry: names must be unique` });
    }),
  tenants: z.array(tenant, { error: "tenants must be a list" }).min(1, { error: "tenants must not be empty (leave it out for the app's home tenant)" })
    .superRefine((list, ctx) => {
      for (const i of uniqueBy(list, (t) => t.name)) ctx.addIssue({ code: "custom", path: [i, "name"], message: `name "${list[i].name}" is used by an earlier tenants entry: names must be unique` });
      for (const i of uniqueBy(list, (t) => t.tenantId.toLowerCase())) ctx.addIssue({ code: "custom", path: [i, "tenantId"], message: "tenantId is listed twice" });
    }).optional(),
  virtualReception: virtualReception.optional(),
  routingRules: z.array(routingRule, { error: "routingRules must be a list" })
    .superRefine((list, ctx) => {
      for (const i of uniqueBy(list, (r) => r.name)) ctx.addIssue({ code: "custom", path: [i, "name"], message: `name "${list[i].name}" is used by an earlier routingRules entry: names must be unique` });
    }).optional(),
});

// Compile-time proof that the schema's output is exactly the documented interface.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _exact: Exact<z.output<typeof infinitySettingsSchema>, InfinitySettings> = true;
void _exact;

/** One problem, shaped like the config loader's issues: dotted path under `infinity`, the masked value, the rule. */
export interface InfinityIssue {
  /** Dotted path inside the `infinity` value (`scheduledScaling.0.from`), "" for the value itself. */
  path: string;
  /** The offending value, `[secret]` for the password. */
  value: string;
  rule: string;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const p of path) v = v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  return v;
}

function show(v: unknown): string {
  if (v === undefined) return "(unset)";
  const s = typeof v === "string" ? v : JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** Validates one `infinity` value: the settings, or every problem (never both). */
export function parseInfinitySettings(input: unknown): { settings?: InfinitySettings; issues: InfinityIssue[] } {
  const r = infinitySettingsSchema.safeParse(input);
  if (r.success) return { settings: r.data, issues: [] };
  const issues = r.error.issues.flatMap((iss): InfinityIssue[] => {
    if (iss.code === "unrecognized_keys") {
      return iss.keys.map((k) => ({ path: [...iss.path, k].join("."), value: show(valueAt(input, [...iss.path, k])), rule: iss.message }));
    }
    const secret = iss.path[0] === "password";
    return [{ path: iss.path.join("."), value: secret ? "[secret]" : show(valueAt(input, iss.path)), rule: iss.message }];
  });
  return { issues };
}

/** What the cross-key rules read, as plain values. */
export interface CrossKeyValues {
  enhancedStatus: boolean;
  capacityManagedBy: "pulumi" | "infinity";
  infinity: Pick<InfinitySettings, "minimumInstances" | "scheduledScaling">;
}

/** Rules between `infinity` and other keys: each problem names the `infinity` field and the key it needs. */
export function infinityCrossKeyProblems(v: CrossKeyValues): InfinityIssue[] {
  const out: InfinityIssue[] = [];
  const needs = (path: string, value: unknown) => {
    if (!v.enhancedStatus) out.push({ path, value: show(value), rule: `${path} needs enhancedStatus: true (Infinity scales the Teams Connector through its Event Hub)` });
    if (v.capacityManagedBy !== "infinity") out.push({ path, value: show(value), rule: `${path} needs capacityManagedBy: infinity (otherwise Pulumi resets the instance count Infinity sets)` });
  };
  if (v.infinity.minimumInstances !== undefined) needs("minimumInstances", v.infinity.minimumInstances);
  if (v.infinity.scheduledScaling.length > 0) needs("scheduledScaling", v.infinity.scheduledScaling.map((w) => w.name));
  return out;
}
