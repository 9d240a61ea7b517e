/**
 * The stack configuration contract (shared/spec/config.md): one typed loader that reads every key,
 * applies defaults and checks every rule, collecting all problems before any resource is registered.
 * It reads from a ConfigSource so that the Pulumi runtime, the offline plan and the tests share it.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { appPasswordEndDate, appPasswordEndDateProblem } from "./appPassword";
import { checkPfx, CertificateInfo } from "./certificate";
import {
  BASE_NAME_PATTERN,
  BOT_NAME_PATTERN,
  COMBINED_NAME_LENGTH,
  DerivedNames,
  deriveNames,
  EVENT_HUB_NAMESPACE_PATTERN,
  isFqdn,
  KEY_VAULT_NAME_PATTERN,
  PUBLIC_IP_NAME_PATTERN,
  REGION_CODE_PATTERN,
  REGION_CODE_RECOMMENDED_LENGTH,
  STORAGE_ACCOUNT_NAME_PATTERN,
} from "./naming";
import { DEFAULT_NODE_PORTS, MAX_INSTANCES, parsePortRange } from "./network";
import { findRegion, SupportedRegion } from "./regions";

/** The Pulumi project name: the namespace of every key below. */
export const PROJECT = "pexip-teams-connector";
export const MASK = "[secret]";

/** A config value known to be set but encrypted (`secure: v1:...`) and not readable offline. */
export class EncryptedValue {
  toString(): string {
    return MASK;
  }
}

/** What a source knows of one top-level key. */
export interface ConfigEntry {
  /** Parsed value: string, number, boolean, array, object; EncryptedValue for unreadable secrets (also nested). */
  value: unknown;
  /** The key (or anything nested in it) is stored as a secret. */
  secret: boolean;
  /** Dotted paths below the key that are stored as secrets, when the source knows them (stack YAML does; the runtime only knows `secret`). */
  secretPaths?: string[];
}

/** Looks up a fully qualified key (`pexip-teams-connector:baseName`, `azure-native:location`). */
export interface ConfigSource {
  get(key: string): ConfigEntry | undefined;
  /** Every key in the project namespace (to report unknown ones). */
  projectKeys(): string[];
}

export interface ConfigIssue {
  /** Fully qualified key, with a dotted path for nested values. */
  key: string;
  /** The offending value, masked when secret. */
  value: string;
  /** The rule that was broken. */
  rule: string;
}

export class ConfigError extends pulumi.RunError {
  constructor(public readonly issues: ConfigIssue[]) {
    super(
      `The stack configuration has ${issues.length} problem${issues.length === 1 ? "" : "s"} (nothing was created):\n` +
        issues.map((i) => `  - ${formatIssue(i)}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}

export function formatIssue(i: ConfigIssue): string {
  return `${i.key} = ${i.value}: ${i.rule}`;
}

export interface VmImageReference {
  publisher: string;
  offer: string;
  sku: string;
  version: string;
}

export type CertificateConfig =
  | {
      kind: "pfx";
      /** The PKCS#12 file, base64 (secret). */
      pfxBase64: pulumi.Output<string>;
      /** Its password (secret). */
      password: pulumi.Output<string>;
      /** Where it came from, for people (`certificate.pfxFile` path, or `certificate.pfxBase64`). */
      origin: string;
      /** What the checks read from it; undefined when the offline plan could not decrypt it. */
      info?: CertificateInfo;
    }
  | { kind: "selfSigned" };

export interface DialInstructions {
  nodeAddress: string;
  ivr: string;
  domain: string;
  ip?: string;
  test?: string;
  prefix?: string;
  browser: boolean;
}

export interface WindowsUpdateConfig {
  installDay: number;
  installHour: number;
  activeHoursStart: number;
  activeHoursEnd: number;
}

export interface ExistingStaticNames {
  keyVaultName?: string;
  publicIpName?: string;
  storageAccountName?: string;
  eventHubNamespace?: string;
}

export interface InstallerConfig {
  /** Path of the installer script inside Pexip's ZIP, relative to its root. */
  entryPoint?: string;
  /** Extra or renamed installer parameters (name -> value); merged over the documented defaults. */
  parameters?: Record<string, string>;
}

/** The validated configuration of one regional stack. */
export interface StackConfig {
  project: string;
  stack: string;
  baseName: string;
  regionCode: string;
  connectorFqdn: string;
  nodeFqdns: string[];
  subscriptionId: string;
  location: string;
  region: SupportedRegion;
  adminUsername: string;
  /** Secret; undefined means "generate one and keep it in Key Vault". */
  adminPassword?: pulumi.Output<string>;
  instanceCount: number;
  incidentReporting: boolean;
  certificate: CertificateConfig;
  managementSourcePrefixes: string[];
  nodeSourcePrefixes: string[];
  consentSourcePrefixes: string[];
  windowsUpdate: WindowsUpdateConfig;
  customerUsageAttribution: boolean;
  usageAttributionId?: string;
  tags: Record<string, string>;
  connectorVersion: string;
  /** Absolute path of the connector ZIP; undefined only in offline evaluation. */
  connectorPackage?: string;
  vmSize: string;
  vmImage: VmImageReference | { id: string };
  enhancedStatus: boolean;
  appStack: string;
  expectedConcurrentCalls?: number;
  dialInstructions?: DialInstructions;
  dnsZone?: { resourceGroup: string; name: string };
  protectStaticResources: boolean;
  botName: string;
  appPasswordRotation: string;
  consentSiteEnabled: boolean;
  existingStatic: ExistingStaticNames;
  nodeSignallingPorts: string;
  nodeMediaPorts: string;
  installer: InstallerConfig;
  names: DerivedNames;
}

export interface LoadOptions {
  /** Stack name (`pulumi stack`), for messages and outputs. */
  stack: string;
  /** Directory that relative paths (`certificate.pfxFile`, `connectorPackage`) are resolved from. */
  projectDir: string;
  /** Offline evaluation (plan, tests): `connectorPackage` may be missing. */
  offline: boolean;
  /** "Now", the program's one clock: certificate validity and the app password's end date are judged against it. */
  now: Date;
}

export interface LoadResult {
  config?: StackConfig;
  errors: ConfigIssue[];
  warnings: string[];
  /** Things not checked (for example, encrypted values the offline plan cannot read). */
  notices: string[];
}

/** Keys of the contract (and the ones this project added), with their defaults, for docs and unknown-key checks. */
export const KNOWN_KEYS = [
  "baseName", "regionCode", "connectorFqdn", "nodeFqdns", "adminUsername", "adminPassword", "instanceCount",
  "incidentReporting", "certificate", "managementSourcePrefixes", "nodeSourcePrefixes", "consentSourcePrefixes",
  "windowsUpdate", "customerUsageAttribution", "usageAttributionId", "tags", "connectorVersion", "connectorPackage",
  "vmSize", "vmImage", "enhancedStatus", "appStack", "expectedConcurrentCalls", "dialInstructions", "dnsZone",
  "protectStaticResources", "botName", "appPasswordRotation", "consentSiteEnabled", "existingStatic",
  "nodeSignallingPorts", "nodeMediaPorts", "installer",
] as const;

export const DEFAULTS = {
  adminUsername: "pexadmin",
  instanceCount: 3,
  incidentReporting: true,
  windowsUpdate: { installDay: 1, installHour: 22, activeHoursStart: 6, activeHoursEnd: 22 },
  vmSize: "Standard_F4s",
  // Windows Server 2016 (the seed's) leaves extended support in January 2027; match this to what Pexip supports.
  vmImage: { publisher: "MicrosoftWindowsServer", offer: "WindowsServer", sku: "2022-datacenter-g2", version: "latest" },
  enhancedStatus: true,
  appStack: "",
  protectStaticResources: true,
  appPasswordRotation: "1",
  consentSiteEnabled: true,
} as const;

/** The seed's disallowed Windows admin user names (compared case-insensitively). */
export const DISALLOWED_ADMIN_USERS = [
  "administrator", "admin", "user", "user1", "test", "user2", "test1", "user3", "admin1", "1", "123", "a", "actuser",
  "adm", "admin2", "aspnet", "backup", "console", "david", "guest", "john", "owner", "root", "server", "sql", "support",
  "support_388945a0", "sys", "test2", "test3", "user4", "user5",
];

/** The seed's reserved Windows admin passwords. */
export const RESERVED_PASSWORDS = [
  "abc@123", "P@$$w0rd", "P@ssw0rd", "P@ssword123", "Pa$$word", "pass@word1", "Password!", "Password1", "Password22", "iloveyou!",
];

/** Approximate calls per instance (the seed: "approximately 14-15 VTC connections"); planning uses the lower bound. */
export const CALLS_PER_INSTANCE = 14;
/** vCPUs per instance (the seed: "Each Teams Connector instance will use 4 vCPU of type Fs-series"). */
export const VCPUS_PER_INSTANCE = 4;

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const NAME_PART = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;
const TAG_NAME_FORBIDDEN = /[<>%&\\?/]/;


/** Dotted-quad IPv4 address, no leading zeros. */
export function isIpv4(s: string): boolean {
  const parts = s.split(".");
  return parts.length === 4 && parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

function ipv4ToInt(s: string): number {
  return s.split(".").reduce((acc, p) => acc * 256 + Number(p), 0);
}

/** Checks an IPv4 address or CIDR; returns the rule it breaks, or undefined. */
export function prefixProblem(s: string): string | undefined {
  const m = /^([^/]+)(?:\/(\d{1,2}))?$/.exec(s);
  if (!m || !isIpv4(m[1])) return "must be an IPv4 address or CIDR (a.b.c.d or a.b.c.d/n)";
  if (m[2] === undefined) return undefined;
  const bits = Number(m[2]);
  if (bits > 32 || String(bits) !== m[2]) return "the prefix length must be 0-32";
  const hostMask = bits === 32 ? 0 : 2 ** (32 - bits) - 1;
  if ((ipv4ToInt(m[1]) & hostMask) >>> 0 !== 0) {
    const network = ((ipv4ToInt(m[1]) - (ipv4ToInt(m[1]) % (hostMask + 1))) >>> 0);
    const dotted = [24, 16, 8, 0].map((sh) => (network >>> sh) & 255).join(".");
    return `has host bits set (Azure rejects it as an invalid address prefix; did you mean ${dotted}/${bits}?)`;
  }
  return undefined;
}

/** Span of Windows Update active hours in hours, start -> end modulo 24. */
export function activeHoursSpan(start: number, end: number): number {
  return (end - start + 24) % 24;
}

/** Instances needed for a number of concurrent calls. */
export function instancesFor(calls: number): number {
  return Math.max(1, Math.ceil(calls / CALLS_PER_INSTANCE));
}

/** Secret-bearing leaves of the contract: a plaintext value for any of these is an error. */
const MUST_BE_SECRET = ["adminPassword", "certificate.password", "certificate.pfxBase64"];

/** Reads and validates a stack's configuration. Never throws for bad input: problems come back in `errors`. */
export function loadConfig(source: ConfigSource, opts: LoadOptions): LoadResult {
  const errors: ConfigIssue[] = [];
  const warnings: string[] = [];
  const notices: string[] = [];
  const q = (key: string) => (key.includes(":") ? key : `${PROJECT}:${key}`);

  const entry = (key: string): ConfigEntry | undefined => {
    const [top] = key.split(".");
    return source.get(q(top));
  };
  const isSecretPath = (key: string): boolean => {
    const [top, ...rest] = key.split(".");
    const e = source.get(q(top));
    if (!e) return false;
    if (rest.length === 0 || !e.secretPaths) return e.secret;
    return e.secretPaths.includes(rest.join("."));
  };
  const show = (key: string, value: unknown): string => {
    if (value instanceof EncryptedValue || isSecretPath(key) || MUST_BE_SECRET.includes(key)) return MASK;
    return JSON.stringify(value) ?? "(unset)";
  };
  const fail = (key: string, value: unknown, rule: string) => errors.push({ key: q(key), value: show(key, value), rule });
  /** Raw value of a key or dotted path. */
  const raw = (key: string): unknown => {
    const [top, ...rest] = key.split(".");
    let v: unknown = source.get(q(top))?.value;
    for (const part of rest) {
      if (v === undefined || v === null || typeof v !== "object" || v instanceof EncryptedValue) return undefined;
      v = (v as Record<string, unknown>)[part];
    }
    return v;
  };
  const isEncrypted = (v: unknown) => v instanceof EncryptedValue;

  const str = (key: string, required: boolean): string | undefined => {
    const v = raw(key);
    if (v === undefined || v === null || v === "") {
      if (required) fail(key, v, "is required");
      return undefined;
    }
    if (isEncrypted(v)) return undefined;
    if (typeof v !== "string" && typeof v !== "number") {
      fail(key, v, "must be a string");
      return undefined;
    }
    return String(v);
  };
  const bool = (key: string, def: boolean | undefined): boolean | undefined => {
    const v = raw(key);
    if (v === undefined || v === null || v === "") {
      if (def === undefined) fail(key, v, "must be set explicitly to true or false");
      return def;
    }
    if (v === true || v === "true") return true;
    if (v === false || v === "false") return false;
    fail(key, v, "must be true or false");
    return def;
  };
  const int = (key: string, def: number | undefined, min: number, max: number): number | undefined => {
    const v = raw(key);
    if (v === undefined || v === null || v === "") return def;
    const n = typeof v === "number" ? v : typeof v === "string" && /^-?\d+$/.test(v.trim()) ? Number(v.trim()) : NaN;
    if (!Number.isInteger(n) || n < min || n > max) {
      fail(key, v, `must be a whole number from ${min} to ${max}`);
      return def;
    }
    return n;
  };
  const list = (key: string): string[] | undefined => {
    const v = raw(key);
    if (v === undefined || v === null || v === "") return undefined;
    if (typeof v === "string") return v.split(",").map((s) => s.trim()).filter((s) => s !== "");
    if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v.map((s) => s.trim());
    fail(key, v, "must be a list of strings (or a comma-separated string)");
    return undefined;
  };
  const obj = (key: string): Record<string, unknown> | undefined => {
    const v = raw(key);
    if (v === undefined || v === null || v === "") return undefined;
    if (typeof v === "object" && !Array.isArray(v) && !isEncrypted(v)) return v as Record<string, unknown>;
    fail(key, v, "must be an object");
    return undefined;
  };
  /** A secret string: must be stored as a secret; returns the plaintext, or EncryptedValue when unreadable. */
  const secret = (key: string): string | EncryptedValue | undefined => {
    const v = raw(key);
    if (v === undefined || v === null || v === "") return undefined;
    if (!isSecretPath(key)) {
      fail(key, MASK, `must be stored as a secret (pulumi config set --secret${key.includes(".") ? " --path" : ""} ${key} ...); a plaintext value in the stack file is not allowed`);
      return undefined;
    }
    if (isEncrypted(v)) return v as EncryptedValue;
    if (typeof v !== "string") {
      fail(key, MASK, "must be a string");
      return undefined;
    }
    return v;
  };
  const prefixes = (key: string): string[] => {
    const items = list(key) ?? [];
    for (const p of items) {
      const problem = prefixProblem(p);
      if (problem) fail(key, p, problem);
    }
    return items;
  };

  // Unknown keys are most often typos of real ones: silently ignoring them would deploy defaults.
  const known = new Set<string>(KNOWN_KEYS);
  for (const k of source.projectKeys()) {
    const short = k.startsWith(`${PROJECT}:`) ? k.slice(PROJECT.length + 1) : k;
    if (!known.has(short)) fail(short, "", `is not a key of this project (known keys: see the README's config reference)`);
  }

  // --- identity and naming
  const baseName = str("baseName", true);
  if (baseName !== undefined && !BASE_NAME_PATTERN.test(baseName)) {
    fail("baseName", baseName, "must match ^[a-z][a-z0-9]{0,8}$ (1-9 chars, starts with a letter, a-z0-9 only)");
  }
  const regionCode = str("regionCode", true);
  if (regionCode !== undefined) {
    if (!REGION_CODE_PATTERN.test(regionCode)) fail("regionCode", regionCode, "must match ^[a-z0-9]+$ (a-z0-9 only)");
    else if (regionCode.length < REGION_CODE_RECOMMENDED_LENGTH.min || regionCode.length > REGION_CODE_RECOMMENDED_LENGTH.max) {
      warnings.push(`${q("regionCode")} "${regionCode}" is ${regionCode.length} characters; 2-4 are recommended.`);
    }
    if (baseName !== undefined) {
      const len = baseName.length + regionCode.length;
      if (len < COMBINED_NAME_LENGTH.min || len > COMBINED_NAME_LENGTH.max) {
        fail("regionCode", regionCode, `baseName + regionCode must be 3-14 characters combined (is ${len})`);
      }
    }
  }

  const connectorFqdn = str("connectorFqdn", true);
  if (connectorFqdn !== undefined && !isFqdn(connectorFqdn)) {
    fail("connectorFqdn", connectorFqdn, "must be a lower-case FQDN with at least two labels (RFC 1123: a-z, 0-9, hyphens, 1-63 chars per label)");
  }

  const nodeFqdns = list("nodeFqdns");
  if (!nodeFqdns || nodeFqdns.length === 0) fail("nodeFqdns", raw("nodeFqdns"), "is required (one or more Conferencing Node FQDNs or pool names)");
  for (const n of nodeFqdns ?? []) {
    if (n.includes("*")) fail("nodeFqdns", n, "must not contain wildcards (*)");
    else if (!isFqdn(n, false)) fail("nodeFqdns", n, "must be a valid FQDN (RFC 1123 labels, at least two)");
  }

  const subscriptionId = str("azure-native:subscriptionId", true);
  if (subscriptionId !== undefined && !GUID.test(subscriptionId)) fail("azure-native:subscriptionId", subscriptionId, "must be a GUID (8-4-4-4-12 hex digits)");

  const location = str("azure-native:location", true);
  const region = location !== undefined ? findRegion(location) : undefined;
  if (location !== undefined && !region) {
    fail("azure-native:location", location, "must be an Azure region with Fs-series VMs and Azure Automation (see components/regions.ts)");
  }

  // --- Windows admin
  const adminUsername = str("adminUsername", false) ?? DEFAULTS.adminUsername;
  if (adminUsername.length < 1 || adminUsername.length > 20) fail("adminUsername", adminUsername, "must be 1-20 characters");
  if (adminUsername.endsWith(".")) fail("adminUsername", adminUsername, 'must not end in "."');
  if (DISALLOWED_ADMIN_USERS.includes(adminUsername.toLowerCase())) fail("adminUsername", adminUsername, "is one of the names Azure disallows for Windows VMs");
  if (/[\\/"\[\]:|<>+=;,?*@&\s]/.test(adminUsername)) fail("adminUsername", adminUsername, 'must not contain spaces or any of \\ / " [ ] : | < > + = ; , ? * @ &');

  const adminPasswordRaw = secret("adminPassword");
  let adminPassword: pulumi.Output<string> | undefined;
  if (adminPasswordRaw instanceof EncryptedValue) {
    notices.push(`${q("adminPassword")} is encrypted in the stack file; its rules were not checked offline (pass --secret to check them).`);
  } else if (adminPasswordRaw !== undefined) {
    const p = adminPasswordRaw;
    if (p.length < 8 || p.length > 123) fail("adminPassword", MASK, "must be 8-123 characters");
    const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(p)).length;
    if (classes < 3) fail("adminPassword", MASK, "must contain at least 3 of: a lower-case letter, an upper-case letter, a digit, a special character");
    if (RESERVED_PASSWORDS.includes(p)) fail("adminPassword", MASK, "is one of the passwords Azure reserves (abc@123, P@$$w0rd, ...)");
    adminPassword = pulumi.secret(p);
  }

  const instanceCount = int("instanceCount", DEFAULTS.instanceCount, 1, MAX_INSTANCES) ?? DEFAULTS.instanceCount;
  const incidentReporting = bool("incidentReporting", DEFAULTS.incidentReporting) ?? true;

  // --- certificate
  let certificate: CertificateConfig | undefined;
  const certObj = obj("certificate");
  if (certObj) {
    for (const k of Object.keys(certObj)) {
      if (!["pfxFile", "pfxBase64", "password", "selfSigned"].includes(k)) fail(`certificate.${k}`, "", "is not a certificate key (pfxFile, pfxBase64, password, selfSigned)");
    }
  }
  const selfSigned = bool("certificate.selfSigned", false) ?? false;
  const pfxFile = str("certificate.pfxFile", false);
  const pfxB64 = secret("certificate.pfxBase64");
  const password = secret("certificate.password");
  const sourcesSet = [selfSigned, pfxFile !== undefined, pfxB64 !== undefined].filter(Boolean).length;
  if (sourcesSet === 0) {
    fail("certificate", raw("certificate") === undefined ? undefined : MASK, "one of certificate.pfxFile, certificate.pfxBase64 or certificate.selfSigned: true is required");
  } else if (sourcesSet > 1) {
    fail("certificate", MASK, "set only one of certificate.pfxFile, certificate.pfxBase64 or certificate.selfSigned: true");
  } else if (selfSigned) {
    certificate = { kind: "selfSigned" };
    warnings.push("certificate.selfSigned is true: Microsoft Teams and Pexip Infinity will not trust this certificate (lab stacks only).");
  } else {
    let pfx: Buffer | undefined;
    let pfxText: pulumi.Output<string> | undefined;
    let origin = "certificate.pfxBase64";
    if (pfxFile !== undefined) {
      origin = pfxFile;
      const file = path.resolve(opts.projectDir, pfxFile);
      try {
        pfx = fs.readFileSync(file);
        pfxText = pulumi.secret(pfx.toString("base64"));
      } catch {
        fail("certificate.pfxFile", pfxFile, `must be a readable file (looked for ${file})`);
      }
    } else if (typeof pfxB64 === "string") {
      const clean = pfxB64.replace(/\s+/g, "");
      if (!/^[A-Za-z0-9+/]+={0,2}$/.test(clean) || clean.length % 4 !== 0) fail("certificate.pfxBase64", MASK, "must be base64 (the PFX file's bytes)");
      else {
        pfx = Buffer.from(clean, "base64");
        pfxText = pulumi.secret(clean);
      }
    } else if (pfxB64 instanceof EncryptedValue) {
      pfxText = pulumi.secret("");
      notices.push(`${q("certificate.pfxBase64")} is encrypted in the stack file; the certificate was not checked offline.`);
    }
    if (password === undefined) {
      fail("certificate.password", undefined, "is required with a PFX (store it with pulumi config set --secret --path certificate.password ...)");
    }
    let info: CertificateInfo | undefined;
    if (pfx && typeof password === "string" && connectorFqdn !== undefined) {
      const check = checkPfx(pfx, password, connectorFqdn, opts.now);
      for (const e of check.errors) fail(pfxFile !== undefined ? "certificate.pfxFile" : "certificate.pfxBase64", pfxFile ?? MASK, e);
      info = check.info;
      // Not errors (e.g. expiring within 30 days), but an operator should hear of them at every preview.
      for (const w of check.info?.warnings ?? []) warnings.push(`certificate: ${w}`);
    } else if (pfx && password instanceof EncryptedValue) {
      notices.push(`${q("certificate.password")} is encrypted in the stack file; the PFX was not opened offline (pass --secret to check it).`);
    }
    if (pfxText && password !== undefined) {
      certificate = {
        kind: "pfx",
        pfxBase64: pfxText,
        password: pulumi.secret(typeof password === "string" ? password : ""),
        origin,
        info,
      };
    }
  }

  // --- network
  const managementSourcePrefixes = prefixes("managementSourcePrefixes");
  const nodeSourcePrefixes = prefixes("nodeSourcePrefixes");
  const consentSourcePrefixes = prefixes("consentSourcePrefixes");
  for (const p of managementSourcePrefixes) {
    const bits = p.includes("/") ? Number(p.split("/")[1]) : 32;
    if (!prefixProblem(p) && bits < 24) warnings.push(`RDP is allowed from ${p}, wider than a /24 (managementSourcePrefixes).`);
  }
  const portRange = (key: "nodeSignallingPorts" | "nodeMediaPorts", def: string): string => {
    const v = str(key, false);
    if (v === undefined) return def;
    const r = parsePortRange(v);
    if (!r || v.trim() === "*" || r.from < 1024) {
      fail(key, v, "must be a port range a-b within 1024-65535");
      return def;
    }
    return `${r.from}-${r.to}`;
  };
  const nodeSignallingPorts = portRange("nodeSignallingPorts", DEFAULT_NODE_PORTS.signalling);
  const nodeMediaPorts = portRange("nodeMediaPorts", DEFAULT_NODE_PORTS.media);

  // --- Windows Update (the seed's semantics: day 0 = every day, 1 = Sunday ... 7 = Saturday; hours UTC)
  const windowsUpdate: WindowsUpdateConfig = {
    installDay: int("windowsUpdate.installDay", DEFAULTS.windowsUpdate.installDay, 0, 7) ?? DEFAULTS.windowsUpdate.installDay,
    installHour: int("windowsUpdate.installHour", DEFAULTS.windowsUpdate.installHour, 0, 23) ?? DEFAULTS.windowsUpdate.installHour,
    activeHoursStart: int("windowsUpdate.activeHoursStart", DEFAULTS.windowsUpdate.activeHoursStart, 0, 23) ?? DEFAULTS.windowsUpdate.activeHoursStart,
    activeHoursEnd: int("windowsUpdate.activeHoursEnd", DEFAULTS.windowsUpdate.activeHoursEnd, 0, 23) ?? DEFAULTS.windowsUpdate.activeHoursEnd,
  };
  const wuObj = obj("windowsUpdate");
  for (const k of Object.keys(wuObj ?? {})) {
    if (!["installDay", "installHour", "activeHoursStart", "activeHoursEnd"].includes(k)) fail(`windowsUpdate.${k}`, "", "is not a windowsUpdate key (installDay, installHour, activeHoursStart, activeHoursEnd)");
  }
  const span = activeHoursSpan(windowsUpdate.activeHoursStart, windowsUpdate.activeHoursEnd);
  if (span > 18) {
    fail("windowsUpdate.activeHoursEnd", windowsUpdate.activeHoursEnd, `active hours from ${windowsUpdate.activeHoursStart} to ${windowsUpdate.activeHoursEnd} span ${span} hours; at most 18 are allowed`);
  }

  // --- usage attribution (the seed: "must set ... to either $true or $false otherwise the installation will not complete")
  const customerUsageAttribution = bool("customerUsageAttribution", undefined);
  const usageAttributionId = str("usageAttributionId", false);
  if (usageAttributionId !== undefined && !GUID.test(usageAttributionId)) fail("usageAttributionId", usageAttributionId, "must be a GUID");
  if (customerUsageAttribution === true && usageAttributionId === undefined) {
    fail("usageAttributionId", undefined, "is required when customerUsageAttribution is true (the partner GUID to attribute usage to)");
  }

  // --- tags
  const tags: Record<string, string> = {};
  const tagObj = obj("tags");
  if (tagObj) {
    const names = Object.keys(tagObj);
    if (names.length > 50) fail("tags", `${names.length} tags`, "at most 50 tags per resource");
    for (const [k, v] of Object.entries(tagObj)) {
      if (k.length < 1 || k.length > 512) fail(`tags.${k}`, k, "tag names must be 1-512 characters");
      if (TAG_NAME_FORBIDDEN.test(k)) fail(`tags.${k}`, k, "tag names must not contain < > % & \\ ? /");
      if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") fail(`tags.${k}`, v, "tag values must be strings");
      else if (String(v).length > 256) fail(`tags.${k}`, v, "tag values must be at most 256 characters");
      else tags[k] = String(v);
    }
  }

  // --- software and compute
  const connectorVersion = str("connectorVersion", true);
  if (connectorVersion !== undefined && !/^[0-9][0-9A-Za-z._-]{0,31}$/.test(connectorVersion)) {
    fail("connectorVersion", connectorVersion, "must be a version such as 26.2 (starts with a digit; letters, digits, . _ -; at most 32 chars)");
  }
  const packageRaw = str("connectorPackage", false);
  let connectorPackage: string | undefined;
  if (packageRaw !== undefined) {
    connectorPackage = path.resolve(opts.projectDir, packageRaw);
    if (!/\.zip$/i.test(packageRaw)) fail("connectorPackage", packageRaw, "must be the Teams Connector ZIP file");
    else if (!fs.existsSync(connectorPackage)) {
      if (opts.offline) notices.push(`connectorPackage ${packageRaw} is not on this machine; the offline plan goes on without it.`);
      else fail("connectorPackage", packageRaw, `must be a readable file (looked for ${connectorPackage})`);
    }
  } else if (!opts.offline) {
    fail("connectorPackage", undefined, "is required: the path of Pexip's Teams Connector ZIP for connectorVersion");
  }

  const vmSize = str("vmSize", false) ?? DEFAULTS.vmSize;
  if (!/^Standard_[A-Za-z0-9_]+$/.test(vmSize)) fail("vmSize", vmSize, "must be an Azure VM size such as Standard_F4s");

  let vmImage: VmImageReference | { id: string } = { ...DEFAULTS.vmImage };
  const imgRaw = raw("vmImage");
  if (typeof imgRaw === "string" && imgRaw !== "") {
    if (!/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Compute\/galleries\/.+/i.test(imgRaw)) {
      fail("vmImage", imgRaw, "must be a gallery image ID (/subscriptions/.../providers/Microsoft.Compute/galleries/...) or { publisher, offer, sku, version }");
    } else vmImage = { id: imgRaw };
  } else if (imgRaw !== undefined && imgRaw !== null && imgRaw !== "") {
    const o = obj("vmImage");
    if (o) {
      const parts = ["publisher", "offer", "sku", "version"] as const;
      const missing = parts.filter((p) => typeof o[p] !== "string" || o[p] === "");
      if (missing.length > 0) fail("vmImage", o, `needs ${missing.join(", ")} (strings)`);
      else vmImage = { publisher: String(o.publisher), offer: String(o.offer), sku: String(o.sku), version: String(o.version) };
    }
  }

  const enhancedStatus = bool("enhancedStatus", DEFAULTS.enhancedStatus) ?? true;
  const appStack = str("appStack", false) ?? DEFAULTS.appStack;
  if (appStack !== "" && !/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(appStack)) {
    fail("appStack", appStack, "must be a fully qualified stack name <organization>/<project>/<stack>");
  }

  const expectedConcurrentCalls = int("expectedConcurrentCalls", undefined, 1, 100000);
  if (expectedConcurrentCalls !== undefined && instanceCount < instancesFor(expectedConcurrentCalls)) {
    warnings.push(
      `instanceCount ${instanceCount} is below the ${instancesFor(expectedConcurrentCalls)} instances that ${expectedConcurrentCalls} concurrent calls need (about ${CALLS_PER_INSTANCE} calls each).`,
    );
  }

  // --- dial instructions (seed: "Defining the app behavior")
  let dialInstructions: DialInstructions | undefined;
  const di = obj("dialInstructions");
  if (di) {
    const known = ["nodeAddress", "ivr", "domain", "ip", "test", "prefix", "browser"];
    for (const k of Object.keys(di)) if (!known.includes(k)) fail(`dialInstructions.${k}`, "", `is not a dialInstructions key (${known.join(", ")})`);
    const nodeAddress = str("dialInstructions.nodeAddress", true);
    const ivr = str("dialInstructions.ivr", true);
    const domain = str("dialInstructions.domain", true);
    const ip = str("dialInstructions.ip", false);
    const test = str("dialInstructions.test", false);
    const prefix = str("dialInstructions.prefix", false);
    const browser = bool("dialInstructions.browser", false) ?? false;
    if (nodeAddress !== undefined && !isFqdn(nodeAddress, false) && !isIpv4(nodeAddress)) fail("dialInstructions.nodeAddress", nodeAddress, "must be the Conferencing Node pool name, an FQDN or an IPv4 address");
    if (ivr !== undefined && (!NAME_PART.test(ivr) || ivr.includes("@"))) fail("dialInstructions.ivr", ivr, "must be the name part of the Virtual Reception alias, without @ or domain (e.g. teams)");
    if (domain !== undefined && !isFqdn(domain, false)) fail("dialInstructions.domain", domain, "must be a domain name such as example.com");
    if (ip !== undefined && !isIpv4(ip)) fail("dialInstructions.ip", ip, "must be one IPv4 address");
    if (test !== undefined && (!NAME_PART.test(test) || test.includes("@"))) fail("dialInstructions.test", test, "must be the name part of the test call alias, without @ or domain (e.g. test_call)");
    if (prefix !== undefined && !/^[A-Za-z0-9._-]+$/.test(prefix)) fail("dialInstructions.prefix", prefix, "must be a dial prefix of letters, digits, . _ - (e.g. teams.)");
    if (nodeAddress && ivr && domain) dialInstructions = { nodeAddress, ivr, domain, ip, test, prefix, browser };
  }

  let dnsZone: { resourceGroup: string; name: string } | undefined;
  if (obj("dnsZone")) {
    const rg = str("dnsZone.resourceGroup", true);
    const name = str("dnsZone.name", true);
    if (name !== undefined && !isFqdn(name, false)) fail("dnsZone.name", name, "must be a DNS zone name such as teams.example.com");
    if (name !== undefined && connectorFqdn !== undefined && !connectorFqdn.endsWith(`.${name.toLowerCase()}`)) {
      fail("dnsZone.name", name, `must be a parent zone of connectorFqdn (${connectorFqdn})`);
    }
    if (rg && name) dnsZone = { resourceGroup: rg, name: name.toLowerCase() };
  }

  const protectStaticResources = bool("protectStaticResources", DEFAULTS.protectStaticResources) ?? true;
  const botName = str("botName", false) ?? (baseName !== undefined ? deriveNames(baseName, "").defaultBotName : "");
  if (raw("botName") !== undefined && !BOT_NAME_PATTERN.test(botName)) fail("botName", botName, "must be 2-64 characters: letters, digits, _ . -, starting with a letter or digit");
  const appPasswordRotation = str("appPasswordRotation", false) ?? DEFAULTS.appPasswordRotation;
  // Only the stack that owns the app issues its password, so only it judges the label's end date.
  if (appStack === "") {
    try {
      const endDate = appPasswordEndDate(appPasswordRotation);
      const problem = endDate ? appPasswordEndDateProblem(endDate, opts.now) : {};
      if (problem.error) fail("appPasswordRotation", appPasswordRotation, problem.error);
      if (problem.warning) warnings.push(`${problem.warning} (appPasswordRotation).`);
    } catch (e) {
      fail("appPasswordRotation", appPasswordRotation, (e as Error).message.replace(/^appPasswordRotation "[^"]*" /, ""));
    }
  }
  const consentSiteEnabled = bool("consentSiteEnabled", DEFAULTS.consentSiteEnabled) ?? true;
  if (consentSiteEnabled && appStack === "" && consentSourcePrefixes.length === 0) {
    warnings.push("consentSourcePrefixes is empty: the admin-consent page is public (anyone can read the app ID). Restrict it, or set consentSiteEnabled: false after consent.");
  }

  const existingStatic: ExistingStaticNames = {};
  const ex = obj("existingStatic");
  if (ex) {
    const rules: Record<keyof ExistingStaticNames, [RegExp, string]> = {
      keyVaultName: [KEY_VAULT_NAME_PATTERN, "must be a Key Vault name (3-24 letters, digits, single hyphens, starting with a letter)"],
      publicIpName: [PUBLIC_IP_NAME_PATTERN, "must be a public IP name (1-80 letters, digits, _ . -)"],
      storageAccountName: [STORAGE_ACCOUNT_NAME_PATTERN, "must be a storage account name (3-24 lower-case letters and digits)"],
      eventHubNamespace: [EVENT_HUB_NAMESPACE_PATTERN, "must be an Event Hubs namespace name (6-50 letters, digits, hyphens)"],
    };
    for (const k of Object.keys(ex)) {
      if (!(k in rules)) fail(`existingStatic.${k}`, "", `is not an existingStatic key (${Object.keys(rules).join(", ")})`);
    }
    for (const [k, [re, rule]] of Object.entries(rules) as [keyof ExistingStaticNames, [RegExp, string]][]) {
      const v = str(`existingStatic.${k}`, false);
      if (v === undefined) continue;
      if (!re.test(v)) fail(`existingStatic.${k}`, v, rule);
      else existingStatic[k] = v;
    }
  }

  const installer: InstallerConfig = {};
  const inst = obj("installer");
  if (inst) {
    for (const k of Object.keys(inst)) if (!["entryPoint", "parameters"].includes(k)) fail(`installer.${k}`, "", "is not an installer key (entryPoint, parameters)");
    const entryPoint = str("installer.entryPoint", false);
    if (entryPoint !== undefined) {
      if (!/^[A-Za-z0-9_.\\/ -]+\.(ps1|exe|cmd)$/i.test(entryPoint) || entryPoint.includes("..")) fail("installer.entryPoint", entryPoint, "must be a relative path to a .ps1, .exe or .cmd inside the package");
      else installer.entryPoint = entryPoint;
    }
    const params = obj("installer.parameters");
    if (params) {
      installer.parameters = {};
      for (const [k, v] of Object.entries(params)) {
        if (!/^[A-Za-z][A-Za-z0-9]*$/.test(k)) fail(`installer.parameters.${k}`, k, "parameter names must be letters and digits");
        else if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") fail(`installer.parameters.${k}`, v, "must be a string");
        else installer.parameters[k] = String(v);
      }
    }
  }

  if (errors.length > 0) return { errors, warnings, notices };

  const names = deriveNames(baseName!, regionCode!);
  return {
    errors,
    warnings,
    notices,
    config: {
      project: PROJECT,
      stack: opts.stack,
      baseName: baseName!,
      regionCode: regionCode!,
      connectorFqdn: connectorFqdn!,
      nodeFqdns: nodeFqdns!,
      subscriptionId: subscriptionId!,
      location: location!,
      region: region!,
      adminUsername,
      adminPassword,
      instanceCount,
      incidentReporting,
      certificate: certificate!,
      managementSourcePrefixes,
      nodeSourcePrefixes,
      consentSourcePrefixes,
      windowsUpdate,
      customerUsageAttribution: customerUsageAttribution!,
      usageAttributionId: customerUsageAttribution ? usageAttributionId : undefined,
      tags,
      connectorVersion: connectorVersion!,
      connectorPackage,
      vmSize,
      vmImage,
      enhancedStatus,
      appStack,
      expectedConcurrentCalls,
      dialInstructions,
      dnsZone,
      protectStaticResources,
      botName,
      appPasswordRotation,
      consentSiteEnabled,
      existingStatic,
      nodeSignallingPorts,
      nodeMediaPorts,
      installer,
      names,
    },
  };
}

/** Parses a config string as the runtime stores it: structured values are JSON, scalars are plain text. */
function parseRuntimeValue(v: string): unknown {
  const t = v.trim();
  if (t.startsWith("{") || t.startsWith("[")) {
    try {
      return JSON.parse(t);
    } catch {
      return v;
    }
  }
  return v;
}

/** Whether the engine passed the key as a secret (`isConfigSecret` is exported by the SDK but marked internal). */
function isRuntimeSecret(key: string): boolean {
  const rt = pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean };
  return rt.isConfigSecret?.(key) ?? false;
}

/** The Pulumi runtime's config (what `pulumi up` passes the program), as a ConfigSource. */
export function runtimeConfigSource(): ConfigSource {
  const all = pulumi.runtime.allConfig();
  return {
    get(key) {
      const v = all[key];
      if (v === undefined) return undefined;
      return { value: parseRuntimeValue(v), secret: isRuntimeSecret(key) };
    },
    projectKeys: () => Object.keys(all).filter((k) => k.startsWith(`${PROJECT}:`)),
  };
}

/** Loads the config or throws a ConfigError listing every problem; warnings and notices go to the Pulumi log. */
export function requireConfig(source: ConfigSource, opts: LoadOptions, log: (msg: string) => void = (m) => pulumi.log.warn(m)): StackConfig {
  const result = loadConfig(source, opts);
  if (result.errors.length > 0 || !result.config) throw new ConfigError(result.errors);
  for (const w of result.warnings) log(w);
  for (const n of result.notices) log(n);
  return result.config;
}
