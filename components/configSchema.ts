/**
 * The stack configuration as one declarative schema (zod): one entry per key with its type and rule (the zod schema,
 * whose messages are the error contract's words), its default, whether it must be a secret, the init-script variable
 * it replaces and its line in the README's config reference. The loader (config.ts), the README table, the known and
 * must-be-secret keys and the init-script importer's map all read this file; cross-key rules, file reads and
 * certificate checks are the loader's second phase.
 */
import { z } from "zod";
import { prefixProblem } from "./addresses";
import {
  BASE_NAME_PATTERN,
  BOT_NAME_PATTERN,
  EVENT_HUB_NAMESPACE_PATTERN,
  isFqdn,
  KEY_VAULT_NAME_PATTERN,
  PUBLIC_IP_NAME_PATTERN,
  REGION_CODE_PATTERN,
  STORAGE_ACCOUNT_NAME_PATTERN,
} from "./naming";
import { MAX_INSTANCES, parsePortRange } from "./network";
import { isIpv4 } from "./addresses";
import { infinitySettingsSchema } from "./infinity/settings";
import { DEFAULT_VM_IMAGE, DEFAULT_VM_SIZE } from "./vmSizes";
import type { VmImageReference } from "./teamsConnectorVmss";

/** A config value known to be set but encrypted (`secure: v1:...`) and not readable offline. */
export class EncryptedValue {
  toString(): string {
    return "[secret]";
  }
}

/** How the init-script importer converts a variable's PowerShell value. */
export type MappingKind = "string" | "list" | "int" | "bool" | "path" | "map" | "secret";

/** One key (or one field of an object key) of the contract. */
export interface KeyDef<S extends z.ZodType = z.ZodType> {
  /** Type and rule; its messages are the error contract's. Defaults are the schema's own (`.default`). */
  schema: S;
  /** Must be stored as a secret (`pulumi config set --secret`); a plaintext value is an error. */
  secret?: boolean;
  /** Paths inside this key's value that must be stored as secrets (`infinity.password`). */
  secretPaths?: string[];
  /** The init-script variable this key replaces, and how the importer reads it. */
  init?: { variable: string; kind: MappingKind };
  /** The README's config reference: type, rule and default as people read them. */
  doc: { type: string; rule: string; default?: string };
}

/** An object key whose fields are keys of their own (documented, imported and checked one by one). */
export interface GroupDef<F extends Record<string, KeyDef> = Record<string, KeyDef>> {
  fields: F;
  /** The object itself may be absent (then every field takes its default). */
  optional: boolean;
}

const key = <S extends z.ZodType>(d: KeyDef<S>): KeyDef<S> => d;
const group = <F extends Record<string, KeyDef>>(g: GroupDef<F>): GroupDef<F> => g;

// ---- primitives with the contract's messages

const missing = (v: unknown) => v === undefined;

/** A string (numbers accepted, as YAML and the runtime give them); "" counts as unset. */
function text(requiredMessage = "is required") {
  return z.preprocess(
    (v) => (typeof v === "number" ? String(v) : v === "" || v === null ? undefined : v),
    z.string({ error: (i) => (missing(i.input) ? requiredMessage : "must be a string") }),
  );
}

/** A string matching `re` (numbers accepted); "" counts as unset. */
function pattern(re: RegExp, rule: string, requiredMessage = "is required") {
  return z.preprocess(
    (v) => (typeof v === "number" ? String(v) : v === "" || v === null ? undefined : v),
    z.string({ error: (i) => (missing(i.input) ? requiredMessage : "must be a string") }).regex(re, rule),
  );
}

/** true/false, or the strings "true"/"false" (the runtime passes scalars as text). */
function flag(requiredMessage = "must be set explicitly to true or false") {
  return z.preprocess(
    (v) => (v === "true" ? true : v === "false" ? false : v === "" || v === null ? undefined : v),
    z.boolean({ error: (i) => (missing(i.input) ? requiredMessage : "must be true or false") }),
  );
}

/** A whole number in [min, max]; "3" is accepted. */
function whole(min: number, max: number) {
  const rule = `must be a whole number from ${min} to ${max}`;
  return z.preprocess(
    (v) => (typeof v === "string" && /^-?\d+$/.test(v.trim()) ? Number(v.trim()) : v === "" || v === null ? undefined : v),
    z.number({ error: (i) => (missing(i.input) ? "is required" : rule) }).int(rule).min(min, rule).max(max, rule),
  );
}

/** A list of strings, or one comma-separated string. */
function strings(requiredMessage = "is required") {
  return z.preprocess(
    (v) => (typeof v === "string" ? (v === "" ? undefined : v.split(",").map((s) => s.trim()).filter((s) => s !== "")) : v === null ? undefined : Array.isArray(v) ? v.map((s) => (typeof s === "string" ? s.trim() : s)) : v),
    z.array(z.string({ error: "must be a list of strings (or a comma-separated string)" }), { error: (i) => (missing(i.input) ? requiredMessage : "must be a list of strings (or a comma-separated string)") }),
  );
}

/** A secret string; EncryptedValue (set, unreadable offline) passes and its rules are skipped. */
function secretText() {
  return z.union([z.instanceof(EncryptedValue), z.string({ error: "must be a string" })], { error: "must be a string" });
}

/** A list of IPv4 addresses or CIDRs, each without host bits. */
function prefixList() {
  return strings().superRefine((items, ctx) => {
    for (const p of items) {
      const problem = prefixProblem(p);
      if (problem) ctx.addIssue({ code: "custom", message: problem, input: p });
    }
  });
}

function portRange() {
  return text().refine((v) => {
    const r = parsePortRange(v);
    return r !== undefined && v.trim() !== "*" && r.from >= 1024;
  }, "must be a port range a-b within 1024-65535").transform((v) => {
    const r = parsePortRange(v)!;
    return `${r.from}-${r.to}`;
  });
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const NAME_PART = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

/** The Windows admin user names Azure disallows (the seed's list; compared case-insensitively; adminUsername's rule). */
export const DISALLOWED_ADMIN_USERS = [
  "administrator", "admin", "user", "user1", "test", "user2", "test1", "user3", "admin1", "1", "123", "a", "actuser",
  "adm", "admin2", "aspnet", "backup", "console", "david", "guest", "john", "owner", "root", "server", "sql", "support",
  "support_388945a0", "sys", "test2", "test3", "user4", "user5",
];

/** The Windows admin passwords Azure disallows (the seed's list; adminPassword's rule). */
export const RESERVED_PASSWORDS = [
  "abc@123", "P@$$w0rd", "P@ssw0rd", "P@ssword123", "Pa$$word", "pass@word1", "Password!", "Password1", "Password22", "iloveyou!",
];


/** A marketplace image, or a gallery image by ID. */
export type VmImage = VmImageReference | { id: string };

// ---- the contract (shared config.md): top-level keys, and object keys with their fields

export const KEYS = {
  baseName: key({
    schema: pattern(BASE_NAME_PATTERN, "must match ^[a-z][a-z0-9]{0,8}$ (1-9 chars, starts with a letter, a-z0-9 only)"),
    init: { variable: "$PxBaseConnName", kind: "string" },
    doc: { type: "string", rule: "`^[a-z][a-z0-9]{0,8}$`", default: "required" },
  }),
  regionCode: key({
    schema: pattern(REGION_CODE_PATTERN, "must match ^[a-z0-9]+$ (a-z0-9 only)"),
    init: { variable: "$PxVmssRegion", kind: "string" },
    doc: { type: "string", rule: "`^[a-z0-9]+$`; `baseName`+`regionCode` 3-14 chars (2-4 recommended: warning)", default: "required" },
  }),
  connectorFqdn: key({
    schema: text().refine((v) => isFqdn(v), "must be a lower-case FQDN with at least two labels (RFC 1123: a-z, 0-9, hyphens, 1-63 chars per label)"),
    init: { variable: "$PxTeamsConnFqdn", kind: "string" },
    doc: { type: "string", rule: "lower-case FQDN, RFC 1123 labels, two or more; covered by the certificate (RFC 6125)", default: "required" },
  }),
  nodeFqdns: key({
    schema: strings("is required (one or more Conferencing Node FQDNs or pool names)").superRefine((items, ctx) => {
      if (items.length === 0) ctx.addIssue({ code: "custom", message: "is required (one or more Conferencing Node FQDNs or pool names)" });
      for (const n of items) {
        if (n.includes("*")) ctx.addIssue({ code: "custom", message: "must not contain wildcards (*)", input: n });
        else if (!isFqdn(n, false)) ctx.addIssue({ code: "custom", message: "must be a valid FQDN (RFC 1123 labels, at least two)", input: n });
      }
    }),
    init: { variable: "$PxNodeFqdns", kind: "list" },
    doc: { type: "list (or comma-separated string)", rule: "each a valid FQDN, no `*`", default: "required" },
  }),
  "azure-native:subscriptionId": key({
    schema: pattern(GUID, "must be a GUID (8-4-4-4-12 hex digits)"),
    init: { variable: "$PxSubscriptionId", kind: "string" },
    doc: { type: "GUID", rule: "8-4-4-4-12 hex", default: "required" },
  }),
  "azure-native:location": key({
    schema: text(),
    init: { variable: "$PxAzureLocation", kind: "string" },
    doc: { type: "string", rule: "a region with Fs-series VMs and Automation (`components/regions.ts`, the table of Pexip's guide)", default: "required" },
  }),
  // Windows usernames: at most 20 characters, not ending in ".", none of the disallowed names https://learn.microsoft.com/en-us/azure/virtual-machines/windows/faq#what-are-the-username-requirements-when-creating-a-vm-
  adminUsername: key({
    schema: text().default("pexadmin").superRefine((u, ctx) => {
      const fail = (message: string) => ctx.addIssue({ code: "custom", message });
      if (u.length < 1 || u.length > 20) fail("must be 1-20 characters");
      if (u.endsWith(".")) fail('must not end in "."');
      if (DISALLOWED_ADMIN_USERS.includes(u.toLowerCase())) fail("is one of the names Azure disallows for Windows VMs");
      if (/[\\/"[\]:|<>+=;,?*@&\s]/.test(u)) fail('must not contain spaces or any of \\ / " [ ] : | < > + = ; , ? * @ &');
    }),
    init: { variable: "$PxWinAdminUser", kind: "string" },
    doc: { type: "string", rule: "1-20 chars, not ending in `.`, none of Azure's disallowed names (case-insensitive), no `\\ / \" [ ] : \\| < > + = ; , ? * @ &` or spaces" },
  }),
  // adminPassword (Windows): 8-123 characters, 3 of lower/upper/digit/special, not a disallowed value https://learn.microsoft.com/en-us/rest/api/compute/virtual-machine-scale-sets/create-or-update#virtualmachinescalesetosprofile
  adminPassword: key({
    schema: secretText().optional().superRefine((p, ctx) => {
      if (typeof p !== "string") return;
      const fail = (message: string) => ctx.addIssue({ code: "custom", message });
      if (p.length < 8 || p.length > 123) fail("must be 8-123 characters");
      const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(p)).length;
      if (classes < 3) fail("must contain at least 3 of: a lower-case letter, an upper-case letter, a digit, a special character");
      if (RESERVED_PASSWORDS.includes(p)) fail("is one of the passwords Azure reserves (abc@123, P@$$w0rd, ...)");
    }),
    secret: true,
    init: { variable: "$PxWinAdminPassword", kind: "secret" },
    doc: { type: "secret", rule: "8-123 chars, 3 of lower/upper/digit/special, not a reserved password; must be a secret", default: "generated (24 chars), kept in Key Vault" },
  }),
  instanceCount: key({
    schema: whole(1, MAX_INSTANCES).default(3),
    init: { variable: "$PxTeamsConnInstanceCount", kind: "int" },
    doc: { type: "integer (`\"3\"` accepted)", rule: `1-${MAX_INSTANCES}` },
  }),
  incidentReporting: key({
    schema: flag().default(true),
    init: { variable: "$PxTeamsConnIncidentReporting", kind: "bool" },
    doc: { type: "boolean", rule: "" },
  }),
  certificate: group({
    optional: true,
    fields: {
      pfxFile: key({
        schema: text().optional(),
        init: { variable: "$PxPfxCertFileName", kind: "path" },
        doc: { type: "path", rule: "readable PKCS#12 (at most 1 MiB); RSA (ECDSA is an error); EKU serverAuth + clientAuth; subject/SAN covers `connectorFqdn`; not expired; intermediates present", default: "one of pfxFile / pfxBase64 / selfSigned" },
      }),
      password: key({
        schema: secretText().optional(),
        secret: true,
        doc: { type: "secret", rule: "opens the PFX (PBES2 files take it as UTF-8)", default: "" },
      }),
      pfxBase64: key({
        schema: secretText().optional(),
        secret: true,
        doc: { type: "secret", rule: "the PFX itself, base64, for pipelines without files", default: "" },
      }),
      selfSigned: key({
        schema: flag().default(false),
        doc: { type: "boolean", rule: "lab stacks: an RSA certificate for `connectorFqdn` is generated (`@pulumi/tls`); warning: Teams will not trust it" },
      }),
    },
  }),
  managementSourcePrefixes: key({
    schema: prefixList().default([]),
    init: { variable: "$PxMgmtSrcAddrPrefixes", kind: "list" },
    doc: { type: "list of IPv4/CIDR", rule: "valid, no host bits (`91.90.42.96/26` is an error)", default: "`[]`: RDP denied" },
  }),
  nodeSourcePrefixes: key({
    schema: prefixList().default([]),
    init: { variable: "$PxNodesSourceAddressPrefixes", kind: "list" },
    doc: { type: "list of IPv4/CIDR", rule: "same", default: "`[]`: 443 and media from any source" },
  }),
  consentSourcePrefixes: key({
    schema: prefixList().default([]),
    init: { variable: "$PxConsentSourceAddressPrefixes", kind: "list" },
    doc: { type: "list of IPv4/CIDR", rule: "same", default: "`[]`: consent page public (warning)" },
  }),
  windowsUpdate: group({
    optional: true,
    fields: {
      installDay: key({ schema: whole(0, 7).default(1), init: { variable: "$PxWupdScheduledInstallDay", kind: "int" }, doc: { type: "integer", rule: "0-7 (0 every day, 1 Sunday ... 7 Saturday)" } }),
      installHour: key({ schema: whole(0, 23).default(22), init: { variable: "$PxWupdScheduledInstallTime", kind: "int" }, doc: { type: "integer", rule: "0-23 (UTC)" } }),
      activeHoursStart: key({ schema: whole(0, 23).default(6), init: { variable: "$PxWupdActiveHoursStart", kind: "int" }, doc: { type: "integer", rule: "0-23" } }),
      activeHoursEnd: key({ schema: whole(0, 23).default(22), init: { variable: "$PxWupdActiveHoursEnd", kind: "int" }, doc: { type: "integer", rule: "0-23; start to end (mod 24) at most 18 hours" } }),
    },
  }),
  customerUsageAttribution: key({
    schema: flag(),
    init: { variable: "$PxCustomerUsageAttribution", kind: "bool" },
    doc: { type: "boolean", rule: "must be set explicitly", default: "required" },
  }),
  usageAttributionId: key({
    schema: pattern(GUID, "must be a GUID").optional(),
    doc: { type: "GUID", rule: "required when `customerUsageAttribution` is true; becomes the provider's `partnerId`. When false, no partner ID at all is sent (`disablePulumiPartnerId`)", default: "unset" },
  }),
  tags: key({
    // Azure's limits per taggable type are a phase-2 rule (components/tagLimits.ts); here only the shape.
    schema: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()], { error: "tag values must be strings" }), { error: "must be an object" }).default({})
      .transform((t) => Object.fromEntries(Object.entries(t).map(([k, v]) => [k, String(v)]))),
    init: { variable: "$tags", kind: "map" },
    doc: { type: "map", rule: "Azure's tag limits of every taggable type the program creates (`components/tagLimits.ts`): at most 50; names at most 128 chars (storage accounts) without `< > % & \\ ? /`, case-insensitive; values at most 256 chars", default: "`{}`" },
  }),

  // ---- keys the PowerShell flow did not have
  connectorVersion: key({
    schema: pattern(/^[0-9][0-9A-Za-z._-]{0,31}$/, "must be a version such as 26.2 (starts with a digit; letters, digits, . _ -; at most 32 chars)"),
    doc: { type: "string", rule: "Teams Connector version (e.g. `26.2`); changing it is a rolling in-place upgrade", default: "required" },
  }),
  connectorPackage: key({
    schema: pattern(/\.zip$/i, "must be the Teams Connector ZIP file").optional(),
    doc: { type: "path", rule: "the Teams Connector ZIP for that version, uploaded as `teams-connector-<version>.zip`", default: "required for `pulumi up`; optional offline" },
  }),
  vmSize: key({
    schema: pattern(/^Standard_[A-Za-z0-9_]+$/, "must be an Azure VM size such as Standard_F4s").default(DEFAULT_VM_SIZE),
    doc: { type: "string", rule: "scale-set VM size, 4+ vCPU per instance; one of `components/vmSizes.ts` (F4s, F8s, F16s, their `_v2`, D4s_v5, D8s_v5, D4ds_v5), which decides accelerated networking, Premium SSD and the Hyper-V generations it runs; another size is a warning" },
  }),
  vmImage: key({
    schema: z.unknown().transform((v, ctx): VmImage => {
      const rule = "must be a gallery image ID (/subscriptions/.../providers/Microsoft.Compute/galleries/...) or { publisher, offer, sku, version }";
      if (v === undefined || v === null || v === "") return { ...DEFAULT_VM_IMAGE };
      if (typeof v === "string") {
        if (/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Compute\/galleries\/.+/i.test(v)) return { id: v };
        ctx.addIssue({ code: "custom", message: rule });
        return z.NEVER;
      }
      if (typeof v !== "object" || Array.isArray(v)) {
        ctx.addIssue({ code: "custom", message: rule });
        return z.NEVER;
      }
      const o = v as Record<string, unknown>;
      const parts = ["publisher", "offer", "sku", "version"] as const;
      const extra = Object.keys(o).filter((k) => !(parts as readonly string[]).includes(k));
      if (extra.length > 0) ctx.addIssue({ code: "custom", message: `has keys that are not vmImage keys (${extra.join(", ")}); use publisher, offer, sku, version` });
      const lacking = parts.filter((k) => typeof o[k] !== "string" || o[k] === "");
      if (lacking.length > 0) ctx.addIssue({ code: "custom", message: `needs ${lacking.join(", ")} (strings)` });
      if (extra.length > 0 || lacking.length > 0) return z.NEVER;
      return { publisher: String(o.publisher), offer: String(o.offer), sku: String(o.sku), version: String(o.version) };
    }),
    doc: { type: "`{ publisher, offer, sku, version }` or gallery image ID", rule: "instance OS image; its Hyper-V generation must be one the size runs: a SKU ending in `-g2`, `-gen2` or `-gensecond` is Gen2, the plain Windows Server SKUs are Gen1 (`Standard_F4s` runs Gen1 only)", default: `\`${Object.values(DEFAULT_VM_IMAGE).join("/")}\` (Gen1)` },
  }),
  enhancedStatus: key({
    schema: flag().default(true),
    doc: { type: "boolean", rule: "Event Hub for enhanced status; `eventHubConnectionString` output" },
  }),
  appStack: key({
    schema: pattern(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, "must be a fully qualified stack name <organization>/<project>/<stack>").optional().transform((v) => v ?? ""),
    doc: { type: "string", rule: "`<organization>/<project>/<stack>` owning the app, bot and consent site (every region after the first)", default: "`\"\"` (this stack owns them)" },
  }),
  expectedConcurrentCalls: key({
    schema: whole(1, 100000).optional(),
    doc: { type: "integer", rule: "capacity input: instances needed and vCPU quota; warning when `instanceCount` is lower", default: "unset" },
  }),
  capacityManagedBy: key({
    schema: z.enum(["pulumi", "infinity"], { error: "must be pulumi or infinity" }).default("pulumi"),
    doc: { type: "`pulumi` or `infinity`", rule: "who owns the instance count; `infinity` (needs `enhancedStatus: true`): Pexip Infinity's minimum instances and scheduled scaling set it, `instanceCount` is the initial count and the scale set ignores capacity changes (`ignoreChanges: sku.capacity`)" },
  }),
  infinity: key({
    // The password is checked for secrecy by the loader and handed over apart (an encrypted one is unreadable offline).
    schema: z.preprocess((v) => {
      if (v === undefined || v === null || v === "") return undefined;
      if (typeof v !== "object" || Array.isArray(v) || !("password" in v)) return v;
      const { password, ...rest } = v as Record<string, unknown>;
      return typeof password === "string" ? { ...rest, password } : rest;
    }, infinitySettingsSchema.optional()),
    secretPaths: ["password"],
    doc: { type: "`{ managementNode, username, password (secret), caCertificateFile?, minimumInstances?, scheduledScaling?, tenants?, virtualReception?, routingRules?, connectorName? }`", rule: "the Pexip Infinity side as code through its management API (PexipInfinity component, `npm run infinity`); `minimumInstances` and `scheduledScaling` need `capacityManagedBy: infinity`", default: "unset: the plan prints the Infinity settings as next steps" },
  }),
  dialInstructions: key({
    schema: z.strictObject({
      nodeAddress: text().refine((v) => isFqdn(v, false) || isIpv4(v), "must be the Conferencing Node pool name, an FQDN or an IPv4 address"),
      ivr: text().refine((v) => NAME_PART.test(v) && !v.includes("@"), "must be the name part of the Virtual Reception alias, without @ or domain (e.g. teams)"),
      domain: text().refine((v) => isFqdn(v, false), "must be a domain name such as example.com"),
      ip: text().refine(isIpv4, "must be one IPv4 address").optional(),
      test: text().refine((v) => NAME_PART.test(v) && !v.includes("@"), "must be the name part of the test call alias, without @ or domain (e.g. test_call)").optional(),
      prefix: pattern(/^[A-Za-z0-9._-]+$/, "must be a dial prefix of letters, digits, . _ - (e.g. teams.)").optional(),
      browser: flag().default(false),
    }, { error: (i) => (i.code === "unrecognized_keys" ? undefined : "must be an object") }).optional(),
    doc: { type: "`{ nodeAddress, ivr, domain, ip?, test?, prefix?, browser? }`", rule: "builds the InstructionUri and `New-CsVideoInteropServiceProvider` (`teamsPowerShell` output); `ivr`/`test` are name parts without a domain, `ip` one IPv4 address", default: "unset" },
  }),
  dnsZone: key({
    schema: z.strictObject({
      resourceGroup: text(),
      name: text().refine((v) => isFqdn(v, false), "must be a DNS zone name such as teams.example.com").transform((v: string) => v.toLowerCase()),
    }, { error: (i) => (i.code === "unrecognized_keys" ? undefined : "must be an object") }).optional(),
    doc: { type: "`{ resourceGroup, name }`", rule: "Azure DNS zone (a parent of `connectorFqdn`) in which to create the A record", default: "unset: printed as a next step" },
  }),
  protectStaticResources: key({
    schema: flag().default(true),
    doc: { type: "boolean", rule: "`protect` the static resource group, Key Vault and public IP, and (in the stack that owns it) the app registration and its service principal" },
  }),
  botName: key({
    schema: pattern(BOT_NAME_PATTERN, "must be 2-64 characters: letters, digits, _ . -, starting with a letter or digit").optional(),
    doc: { type: "string", rule: "override of the globally unique Azure Bot name (2-64 chars)", default: "`<baseName>TeamsBot`" },
  }),
  appPasswordRotation: key({
    schema: text().default("1"),
    doc: { type: "string", rule: "any label (e.g. `2026-11`); changing it issues a new app password; a date label's two-year end date must not have passed", default: "`\"1\"`" },
  }),
  appPasswordPrevious: key({
    schema: text().optional(),
    doc: { type: "string", rule: "during a rotation: the previous `appPasswordRotation` label, whose password stays valid until every region has rolled to the new one; remove it to retire that password (docs/upgrading.md)", default: "unset" },
  }),
  grantPropagationSeconds: key({
    schema: whole(0, 3600).default(600),
    doc: { type: "integer", rule: "seconds to wait after role assignments before their consumers (disk encryption set, scale set, consent site) use them: Azure RBAC changes take minutes to propagate" },
  }),
  consentSiteEnabled: key({
    schema: flag().default(true),
    doc: { type: "boolean", rule: "keep the consent web app running; false stops it after consent" },
  }),
  existingStatic: key({
    schema: z.strictObject({
      keyVaultName: pattern(KEY_VAULT_NAME_PATTERN, "must be a Key Vault name (3-24 letters, digits, single hyphens, starting with a letter)").optional(),
      publicIpName: pattern(PUBLIC_IP_NAME_PATTERN, "must be a public IP name (1-80 letters, digits, _ . -)").optional(),
      storageAccountName: pattern(STORAGE_ACCOUNT_NAME_PATTERN, "must be a storage account name (3-24 lower-case letters and digits)").optional(),
      eventHubNamespace: pattern(EVENT_HUB_NAMESPACE_PATTERN, "must be an Event Hubs namespace name (6-50 letters, digits, hyphens)").optional(),
    }, { error: (i) => (i.code === "unrecognized_keys" ? undefined : "must be an object") }).default({}),
    doc: { type: "`{ keyVaultName?, publicIpName?, storageAccountName?, eventHubNamespace? }`", rule: "names of static resources adopted from a PowerShell deployment (`npm run import-static`)", default: "unset" },
  }),
  nodeSignallingPorts: key({
    schema: portRange().default("33000-39999"),
    doc: { type: "`a-b`", rule: "Conferencing Node signalling source ports (the \"configurable\" range of Pexip's guide): the source ports of the `MCU-signalling-endpoint` rule" },
  }),
  nodeMediaPorts: key({
    schema: portRange().default("40000-49999"),
    doc: { type: "`a-b`", rule: "Conferencing Node media source ports: the source ports of the inbound media rule" },
  }),
  installer: key({
    schema: z.strictObject({
      entryPoint: text().refine((v) => /^[A-Za-z0-9_.\\/ -]+\.(ps1|exe|cmd)$/i.test(v) && !v.includes(".."), "must be a relative path to a .ps1, .exe or .cmd inside the package").optional(),
      parameters: z.record(z.string(), z.unknown(), { error: "must be an object" }).superRefine((p, ctx) => {
        for (const [k, v] of Object.entries(p)) {
          if (!/^[A-Za-z][A-Za-z0-9]*$/.test(k)) ctx.addIssue({ code: "custom", message: "parameter names must be letters and digits", path: [k], input: k });
          else if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") ctx.addIssue({ code: "custom", message: "must be a string", path: [k], input: v });
        }
      }).transform((p) => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, String(v)]))).optional(),
    }, { error: (i) => (i.code === "unrecognized_keys" ? undefined : "must be an object") }).default({}),
    doc: { type: "`{ entryPoint?, parameters? }`", rule: "overrides of the Pexip installer's entry point and parameter names inside the ZIP (see \"Assumptions\")", default: "documented defaults" },
  }),
} as const;

export type KeyName = keyof typeof KEYS;

/** Whether a KEYS entry is an object key with fields of its own. */
export function isGroup(d: KeyDef | GroupDef): d is GroupDef {
  return (d as GroupDef).fields !== undefined;
}

/** The zod schema of a top-level key: a group's is a strict object of its fields' schemas. */
export function schemaOf(name: KeyName): z.ZodType {
  const d = KEYS[name] as KeyDef | GroupDef;
  if (!isGroup(d)) return d.schema;
  const shape = Object.fromEntries(Object.entries(d.fields).map(([k, f]) => [k, f.schema]));
  const obj = z.strictObject(shape, { error: (i) => (i.code === "unrecognized_keys" ? undefined : "must be an object") });
  return d.optional ? z.preprocess((v) => (v === undefined || v === null || v === "" ? {} : v), obj) : obj;
}

/** Every leaf of the contract: `baseName`, `certificate.pfxFile`, `windowsUpdate.installDay`, ... in table order. */
export function leaves(): { key: string; def: KeyDef }[] {
  const out: { key: string; def: KeyDef }[] = [];
  for (const [name, d] of Object.entries(KEYS) as [string, KeyDef | GroupDef][]) {
    if (isGroup(d)) for (const [f, def] of Object.entries(d.fields)) out.push({ key: `${name}.${f}`, def });
    else out.push({ key: name, def: d });
  }
  return out;
}

/** Keys of the project namespace (top level), for the unknown-key check. */
export const KNOWN_KEYS: readonly string[] = Object.keys(KEYS).filter((k) => !k.includes(":"));

/** Leaves that must be stored as secrets. */
export const MUST_BE_SECRET: readonly string[] = leaves().flatMap((l) => [...(l.def.secret ? [l.key] : []), ...(l.def.secretPaths ?? []).map((p) => `${l.key}.${p}`)]);

/** Init-script variable -> stack key, for the importer (the config.md table). */
export const INIT_SCRIPT_MAP: readonly { variable: string; key: string; kind: MappingKind }[] = leaves()
  .filter((l) => l.def.init)
  .map((l) => ({ variable: l.def.init!.variable.replace(/^\$/, ""), key: l.key, kind: l.def.init!.kind }));

/** The parsed value of every top-level key (defaults applied). */
export type ParsedKeys = {
  [K in KeyName]: (typeof KEYS)[K] extends GroupDef<infer F> ? { [P in keyof F]: z.output<F[P]["schema"]> } : (typeof KEYS)[K] extends KeyDef<infer S> ? z.output<S> : never;
};

/** The default a schema gives an absent value, for the docs (undefined when it has none). */
function defaultOf(schema: z.ZodType): unknown {
  const r = schema.safeParse(undefined);
  return r.success ? r.data : undefined;
}

function docDefault(def: KeyDef): string {
  if (def.doc.default !== undefined) return def.doc.default;
  const v = defaultOf(def.schema);
  return v === undefined ? "" : `\`${typeof v === "string" ? v : JSON.stringify(v)}\``;
}

/** Rows the seed's derived variables get in the first table. */
const DERIVED_ROWS = [
  ["$PxTeamsConnResourceGroupName", "`<baseName>-TeamsConn-<regionCode>-RG`"],
  ["$PxTeamsConnStaticResourceGroupName", "`<baseName>-TeamsConn-<regionCode>-static-RG`"],
  ["$BotChanResourceGroupName", "`<baseName>-TeamsBotChan-RG`"],
] as const;

/** Keys whose first-table row has no init-script variable: what stands in its place. */
const NO_VARIABLE: Record<string, string> = {
  "certificate.password": "(PFX password prompt)",
  "certificate.pfxBase64": "(new)",
  "certificate.selfSigned": "(new)",
  usageAttributionId: "(the ID behind it)",
};

/** The README's config reference (both tables), generated from KEYS. */
export function configReferenceMarkdown(): string {
  const row = (...cells: string[]) => `| ${cells.join(" | ")} |`.replace(/\|  \|/g, "| |").replace(/\|  \|/g, "| |");
  const esc = (s: string) => s.replace(/\|/g, "\\|").replace(/\\\\\|/g, "\\|");
  const first: string[] = ["| init-script variable | stack key | type | rule (violations are errors) | default |", "|---|---|---|---|---|"];
  const second: string[] = ["| stack key | type | meaning | default |", "|---|---|---|---|"];
  const firstTable = new Set(["baseName", "regionCode", "connectorFqdn", "nodeFqdns", "azure-native:subscriptionId", "azure-native:location", "adminUsername", "adminPassword", "instanceCount", "incidentReporting", "certificate", "managementSourcePrefixes", "nodeSourcePrefixes", "consentSourcePrefixes", "windowsUpdate", "customerUsageAttribution", "usageAttributionId", "tags"]);
  for (const { key: k, def } of leaves()) {
    const top = k.split(".")[0];
    const cell = (s: string) => (s.includes("|") && !s.includes("\\|") ? esc(s) : s);
    if (firstTable.has(top)) {
      const variable = def.init ? `\`${def.init.variable}\`` : NO_VARIABLE[k] ?? "";
      first.push(row(variable, `\`${k}\``, def.doc.type, cell(def.doc.rule), docDefault(def)));
      if (k === "instanceCount") for (const [v, pattern] of DERIVED_ROWS) first.push(`| \`${v}\` | derived | | ${pattern} | |`);
    } else {
      second.push(row(`\`${k}\``, def.doc.type, cell(def.doc.rule), docDefault(def)));
    }
  }
  return [...first, "", "Keys the PowerShell flow did not have:", "", ...second].join("\n");
}
