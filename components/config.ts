/**
 * The stack configuration contract (shared/spec/config.md): the loader of the declarative schema in configSchema.ts.
 * Phase 1 parses every key on its own (so that one bad key never hides another's problems); phase 2 runs the
 * cross-key rules, file reads and certificate checks on what parsed, adding to the same list; all before any
 * resource is registered. It reads from a ConfigSource so that the Pulumi runtime, the offline plan and the tests
 * share it. Components never import this module: index.ts maps the validated config to their Args.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { prefixLength } from "./addresses";
import { appPasswordEndDate, appPasswordEndDateProblem } from "./appPassword";
import { CALLS_PER_INSTANCE, instancesFor } from "./capacity";
import { CertificateInfo, checkPfx } from "./certificate";
import { EncryptedValue, isGroup, KeyDef, KEYS, KeyName, KNOWN_KEYS, leaves, MUST_BE_SECRET, ParsedKeys, schemaOf } from "./configSchema";
import { azureConfigRules } from "./azureConfigRules";
import { cutEcho } from "./echo";
import { internetProblem } from "./internetSources";
import { COMBINED_NAME_LENGTH, DerivedNames, deriveNames, REGION_CODE_RECOMMENDED_LENGTH } from "./naming";
import type { DialInstructions } from "./nextSteps";
export type { DialInstructions } from "./nextSteps";
export type { CertificateConfig, ExistingStaticNames } from "./staticResources";
import { secretsOnCommandLine, unknownInstallerReferences } from "./installer";
import { findRegion, SupportedRegion } from "./regions";
import type { CertificateConfig } from "./staticResources";
import { infinityCrossKeyProblems, InfinitySettings } from "./infinity/settings";

export { EncryptedValue, KNOWN_KEYS, MUST_BE_SECRET } from "./configSchema";

export const PROJECT = "pexip-teams-connector";
export const MASK = "[secret]";


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
  /** Every key of any namespace, where the source can list them (to report keys of other namespaces nothing reads). */
  keys?(): string[];
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

/** The validated configuration of one regional stack: every key's parsed value, plus what phase 2 derives. */
export type StackConfig = Omit<ParsedKeys, "azure-native:subscriptionId" | "azure-native:location" | "adminPassword" | "certificate" | "connectorPackage" | "botName" | "dialInstructions" | "usageAttributionId" | "infinity"> & {
  project: string;
  stack: string;
  subscriptionId: string;
  location: string;
  region: SupportedRegion;
  /** Secret; undefined means "generate one and keep it in Key Vault". */
  adminPassword?: pulumi.Output<string>;
  certificate: CertificateConfig;
  /** Absolute path of the connector ZIP; undefined only in offline evaluation. */
  connectorPackage?: string;
  botName: string;
  dialInstructions?: DialInstructions;
  /** Only when customerUsageAttribution is true. */
  usageAttributionId?: string;
  /** The Pexip Infinity side, when the stack manages it: the settings, the API password (secret) and the private CA's PEM. */
  infinity?: { settings: InfinitySettings; password: pulumi.Output<string>; caCertificate?: string };
  names: DerivedNames;
};

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

/** A PFX is kilobytes; anything near this is not one (and must not be read whole into memory). */
export const MAX_PFX_BYTES = 1024 * 1024;

/** Span of Windows Update active hours in hours, start -> end modulo 24. */
export function activeHoursSpan(start: number, end: number): number {
  return (end - start + 24) % 24;
}

/** Path segments that would reach an object's prototype. */
const FORBIDDEN_SEGMENTS = new Set(["__proto__", "prototype", "constructor"]);

/** A value as one short line for an error (long values cut, never whole). */
function shown(value: unknown): string {
  return cutEcho(JSON.stringify(value, (_k, v) => (v instanceof EncryptedValue ? MASK : v)) ?? "(unset)");
}

/** Reads and validates a stack's configuration. Never throws for bad input: problems come back in `errors`. */
export function loadConfig(source: ConfigSource, opts: LoadOptions): LoadResult {
  const errors: ConfigIssue[] = [];
  const warnings: string[] = [];
  const notices: string[] = [];
  const q = (key: string) => (key.includes(":") ? key : `${PROJECT}:${key}`);

  const isSecretPath = (key: string): boolean => {
    const [top, ...rest] = key.split(".");
    const e = source.get(q(top));
    if (!e) return false;
    if (rest.length === 0 || !e.secretPaths) return e.secret;
    return e.secretPaths.includes(rest.join("."));
  };
  const isSecretLeaf = (key: string) => MUST_BE_SECRET.includes(key) || MUST_BE_SECRET.some((m) => m.startsWith(`${key}.`));
  const show = (key: string, value: unknown): string =>
    value instanceof EncryptedValue || isSecretPath(key) || MUST_BE_SECRET.includes(key) || MUST_BE_SECRET.includes(key.split(".")[0]) ? MASK : shown(value);
  const fail = (key: string, value: unknown, rule: string) => errors.push({ key: q(key), value: show(key, value), rule });
  const raw = (key: string): unknown => {
    const [top, ...rest] = key.split(".");
    let v: unknown = source.get(q(top))?.value;
    for (const part of rest) {
      if (v === undefined || v === null || typeof v !== "object" || v instanceof EncryptedValue) return undefined;
      v = Object.prototype.hasOwnProperty.call(v, part) ? (v as Record<string, unknown>)[part] : undefined;
    }
    return v;
  };

  // Unknown keys are most often typos of real ones: silently ignoring them would deploy defaults.
  for (const k of source.projectKeys()) {
    const short = k.startsWith(`${PROJECT}:`) ? k.slice(PROJECT.length + 1) : k;
    if (!KNOWN_KEYS.includes(short.split(".")[0]) || FORBIDDEN_SEGMENTS.has(short)) {
      // The value is not echoed: an unknown key is often a misspelled secret one (adminPasword).
      fail(short, "", "is not a key of this project (known keys: see the README's config reference)");
    }
  }

  // The program's azuread provider is explicit (index.ts), and an explicit provider reads no stack keys: an
  // `azuread:tenantId` left from the default provider would be ignored, and Graph reached with other credentials.
  for (const k of source.keys?.() ?? []) {
    if (k.startsWith("azuread:")) fail(k, "", "is not read: the program's own azuread provider takes no stack keys; set its credentials as ARM_* environment variables (docs/upgrading.md), and remove this key");
  }

  // ---- phase 1: every key on its own, by its schema
  const parsed: Partial<ParsedKeys> = {};
  for (const name of Object.keys(KEYS) as KeyName[]) {
    const entry = source.get(q(name));
    const value = entry?.value;
    // `pulumi up` passes a secret as its value plus a flag: a non-secret key would be written to Azure in plain text.
    if (entry?.secret === true && !(value instanceof EncryptedValue) && !MUST_BE_SECRET.some((k) => k === name || k.startsWith(`${name}.`))) {
      fail(name, MASK, "is stored as a secret, but it is not one: the program writes it to Azure and the state in plain text (names, tags, settings); set it in plaintext");
      continue;
    }
    if (!checkStorage(name, value)) continue;
    const result = schemaOf(name).safeParse(value, { reportInput: true });
    if (result.success) (parsed as Record<string, unknown>)[name] = result.data;
    else for (const issue of result.error.issues) reportIssue(name, issue);
  }

  /** Secret leaves must be stored as secrets; encrypted values only where the contract keeps a secret. */
  function checkStorage(name: KeyName, value: unknown): boolean {
    let ok = true;
    const d = KEYS[name] as KeyDef | { fields: Record<string, KeyDef> };
    const walk = (v: unknown, at: string): void => {
      if (v instanceof EncryptedValue) {
        if (!isSecretLeaf(at)) {
          fail(at, v, "is encrypted (secure:) in the stack file, but it is not a secret: the program needs its value to name and configure resources; set it in plaintext");
          ok = false;
        }
        return;
      }
      if (v !== null && typeof v === "object" && !Array.isArray(v)) {
        for (const k of Object.keys(v)) {
          if (FORBIDDEN_SEGMENTS.has(k)) {
            fail(`${at}.${k}`, "", "is not allowed as a key (it would reach the object's prototype)");
            ok = false;
          } else walk((v as Record<string, unknown>)[k], `${at}.${k}`);
        }
      }
    };
    walk(value, name);
    const secretLeaves = MUST_BE_SECRET.filter((k) => k === name || k.startsWith(`${name}.`));
    for (const leaf of secretLeaves) {
      const v = raw(leaf);
      if (v === undefined || v === null || v === "" || v instanceof EncryptedValue) continue;
      // Reported, and the key is still parsed: its other problems belong in the same list.
      if (!isSecretPath(leaf)) fail(leaf, MASK, `must be stored as a secret (pulumi config set --secret${leaf.includes(".") ? " --path" : ""} ${leaf} ...); a plaintext value in the stack file is not allowed`);
    }
    return ok;
  }

  function reportIssue(name: KeyName, issue: z.core.$ZodIssue): void {
    const at = [name, ...issue.path.map(String)].join(".");
    if (issue.code === "unrecognized_keys") {
      // A schema that names its own fields says so; otherwise the top-level object's fields are listed.
      const rule = issue.message.startsWith("is not a") ? issue.message : `is not a${/^[aeiou]/.test(name) ? "n" : ""} ${name} key (${objectFields(schemaOf(name)).join(", ")})`;
      for (const k of issue.keys) fail(`${at}.${k}`, "", rule);
      return;
    }
    fail(at, "input" in issue ? issue.input : undefined, issue.message);
  }

  // ---- phase 2: cross-key rules, files and certificates, on what parsed
  const p = parsed;
  if (p.regionCode !== undefined) {
    if (p.regionCode.length < REGION_CODE_RECOMMENDED_LENGTH.min || p.regionCode.length > REGION_CODE_RECOMMENDED_LENGTH.max) {
      warnings.push(`${q("regionCode")} "${p.regionCode}" is ${p.regionCode.length} characters; 2-4 are recommended.`);
    }
    if (p.baseName !== undefined) {
      const len = p.baseName.length + p.regionCode.length;
      if (len < COMBINED_NAME_LENGTH.min || len > COMBINED_NAME_LENGTH.max) fail("regionCode", p.regionCode, `baseName + regionCode must be 3-14 characters combined (is ${len})`);
    }
  }

  const location = p["azure-native:location"];
  const region = location !== undefined ? findRegion(location) : undefined;
  if (location !== undefined && !region) {
    fail("azure-native:location", location, "must be an Azure region with Fs-series VMs and Azure Automation (see components/regions.ts)");
  }

  let adminPassword: pulumi.Output<string> | undefined;
  if (p.adminPassword instanceof EncryptedValue) {
    notices.push(`${q("adminPassword")} is encrypted in the stack file; its rules were not checked offline (pass --secret to check them).`);
  } else if (typeof p.adminPassword === "string") adminPassword = pulumi.secret(p.adminPassword);

  const certificate = checkCertificate();
  function checkCertificate(): CertificateConfig | undefined {
    const c = p.certificate;
    if (!c) return undefined;
    const sources = [c.selfSigned, c.pfxFile !== undefined, c.pfxBase64 !== undefined].filter(Boolean).length;
    if (sources === 0) {
      fail("certificate", raw("certificate") === undefined ? undefined : MASK, "one of certificate.pfxFile, certificate.pfxBase64 or certificate.selfSigned: true is required");
      return undefined;
    }
    if (sources > 1) {
      fail("certificate", MASK, "set only one of certificate.pfxFile, certificate.pfxBase64 or certificate.selfSigned: true");
      return undefined;
    }
    if (c.selfSigned) {
      warnings.push("certificate.selfSigned is true: Microsoft Teams and Pexip Infinity will not trust this certificate (lab stacks only).");
      return { kind: "selfSigned" };
    }
    let pfx: Buffer | undefined;
    let pfxText: pulumi.Output<string> | undefined;
    let origin = "certificate.pfxBase64";
    if (c.pfxFile !== undefined) {
      origin = c.pfxFile;
      pfx = readPfxFile(c.pfxFile);
      if (pfx) pfxText = pulumi.secret(pfx.toString("base64"));
    } else if (typeof c.pfxBase64 === "string") {
      const clean = c.pfxBase64.replace(/\s+/g, "");
      if (clean.length > (MAX_PFX_BYTES * 4) / 3 + 4) fail("certificate.pfxBase64", MASK, `is larger than a PFX can be (at most ${MAX_PFX_BYTES / 1024} KiB)`);
      else if (!/^[A-Za-z0-9+/]+={0,2}$/.test(clean) || clean.length % 4 !== 0) fail("certificate.pfxBase64", MASK, "must be base64 (the PFX file's bytes)");
      else {
        pfx = Buffer.from(clean, "base64");
        pfxText = pulumi.secret(clean);
      }
    } else if (c.pfxBase64 instanceof EncryptedValue) {
      pfxText = pulumi.secret("");
      notices.push(`${q("certificate.pfxBase64")} is encrypted in the stack file; the certificate was not checked offline.`);
    }
    if (c.password === undefined) {
      fail("certificate.password", undefined, "is required with a PFX (store it with pulumi config set --secret --path certificate.password ...)");
      return undefined;
    }
    let info: CertificateInfo | undefined;
    if (pfx && typeof c.password === "string" && p.connectorFqdn !== undefined) {
      const check = checkPfx(pfx, c.password, p.connectorFqdn, opts.now);
      for (const e of check.errors) fail(c.pfxFile !== undefined ? "certificate.pfxFile" : "certificate.pfxBase64", c.pfxFile ?? MASK, e);
      info = check.info;
      // Not errors (e.g. expiring within 30 days), but an operator should hear of them at every preview.
      for (const w of check.info?.warnings ?? []) warnings.push(`certificate: ${w}`);
    } else if (pfx && c.password instanceof EncryptedValue) {
      notices.push(`${q("certificate.password")} is encrypted in the stack file; the PFX was not opened offline (pass --secret to check it).`);
    }
    if (!pfxText) return undefined;
    return { kind: "pfx", pfxBase64: pfxText, password: pulumi.secret(typeof c.password === "string" ? c.password : ""), origin, info };
  }

  /** The PFX file, read only when it is a regular file of PFX size (a device or a huge file is refused unread). */
  function readPfxFile(file: string): Buffer | undefined {
    const full = path.resolve(opts.projectDir, file);
    try {
      const st = fs.statSync(full);
      if (!st.isFile()) {
        fail("certificate.pfxFile", file, `must be a regular file (${full} is not)`);
        return undefined;
      }
      if (st.size > MAX_PFX_BYTES) {
        fail("certificate.pfxFile", file, `is ${st.size} bytes; a PFX is kilobytes (at most ${MAX_PFX_BYTES / 1024} KiB)`);
        return undefined;
      }
      return fs.readFileSync(full);
    } catch {
      fail("certificate.pfxFile", file, `must be a readable file (looked for ${full})`);
      return undefined;
    }
  }

  // Azure's rules on size, image generation and tags, decided by the config alone.
  if (p.vmSize !== undefined && p.vmImage !== undefined && p.tags !== undefined) {
    const azure = azureConfigRules({ vmSize: p.vmSize, vmImage: p.vmImage, tags: p.tags });
    for (const e of azure.errors) fail(e.key, e.value, e.rule);
    warnings.push(...azure.warnings);
  }

  // RDP from a set of prefixes that adds up to the internet is the exposure the mandatory policy refuses: refuse it here too.
  const rdpOpen = p.managementSourcePrefixes ? internetProblem(p.managementSourcePrefixes) : undefined;
  if (rdpOpen) fail("managementSourcePrefixes", p.managementSourcePrefixes, rdpOpen);
  for (const pfx of p.managementSourcePrefixes ?? []) {
    if (prefixLength(pfx) < 24) warnings.push(`RDP is allowed from ${pfx}, wider than a /24 (managementSourcePrefixes).`);
  }

  const wu = p.windowsUpdate;
  if (wu) {
    const span = activeHoursSpan(wu.activeHoursStart, wu.activeHoursEnd);
    if (span > 18) fail("windowsUpdate.activeHoursEnd", wu.activeHoursEnd, `active hours from ${wu.activeHoursStart} to ${wu.activeHoursEnd} span ${span} hours; at most 18 are allowed`);
  }

  // The seed: "must set ... to either $true or $false otherwise the installation will not complete".
  if (p.customerUsageAttribution === true && p.usageAttributionId === undefined && raw("usageAttributionId") === undefined) {
    fail("usageAttributionId", undefined, "is required when customerUsageAttribution is true (the partner GUID to attribute usage to)");
  }

  let connectorPackage: string | undefined;
  if (p.connectorPackage !== undefined) {
    connectorPackage = path.resolve(opts.projectDir, p.connectorPackage);
    if (!fs.existsSync(connectorPackage)) {
      if (opts.offline) notices.push(`connectorPackage ${p.connectorPackage} is not on this machine; the offline plan goes on without it.`);
      else fail("connectorPackage", p.connectorPackage, `must be a readable file (looked for ${connectorPackage})`);
    }
  } else if (!opts.offline && raw("connectorPackage") === undefined) {
    fail("connectorPackage", undefined, "is required: the path of Pexip's Teams Connector ZIP for connectorVersion");
  }

  if (p.expectedConcurrentCalls !== undefined && p.instanceCount !== undefined && p.instanceCount < instancesFor(p.expectedConcurrentCalls)) {
    warnings.push(
      `instanceCount ${p.instanceCount} is below the ${instancesFor(p.expectedConcurrentCalls)} instances that ${p.expectedConcurrentCalls} concurrent calls need (about ${CALLS_PER_INSTANCE} calls each).`,
    );
  }

  for (const u of unknownInstallerReferences(p.installer?.parameters)) fail(`installer.parameters.${u.name}`, p.installer?.parameters?.[u.name], u.rule);
  // A native installer gets its arguments on a command line, which every process on the instance can read.
  const onCommandLine = unknownInstallerReferences(p.installer?.parameters).length === 0 && p.installer ? secretsOnCommandLine(p.installer) : [];
  if (onCommandLine.length > 0) {
    fail("installer.entryPoint", p.installer?.entryPoint, `a .exe or .cmd installer takes its arguments on a command line, where ${onCommandLine.join(" and ")} would be visible to every process; use a PowerShell (.ps1) entry point, or drop them (installer.parameters.<name>: "")`);
  }

  // Infinity scales the connector from the Event Hub's status; without it nothing would own the count.
  if (p.capacityManagedBy === "infinity" && p.enhancedStatus === false) {
    fail("capacityManagedBy", p.capacityManagedBy, "infinity needs enhancedStatus: true (Pexip Infinity manages the instance count through the Event Hub)");
  }

  const infinity = checkInfinity();
  function checkInfinity(): StackConfig["infinity"] {
    const s = p.infinity;
    if (!s) return undefined;
    for (const i of infinityCrossKeyProblems({ enhancedStatus: p.enhancedStatus ?? true, capacityManagedBy: p.capacityManagedBy ?? "pulumi", infinity: s })) {
      errors.push({ key: q(`infinity.${i.path}`), value: i.value, rule: i.rule });
    }
    const pw = raw("infinity.password");
    let password: pulumi.Output<string> = pulumi.secret("");
    if (typeof pw === "string") password = pulumi.secret(pw);
    else if (pw instanceof EncryptedValue) notices.push(`${q("infinity.password")} is encrypted in the stack file; the Management Node is not contacted offline.`);
    else if (!opts.offline) fail("infinity.password", undefined, "is required for pulumi up (pulumi config set --secret --path infinity.password ...); npm run infinity reads INFINITY_PASSWORD instead");
    let caCertificate: string | undefined;
    if (s.caCertificateFile !== undefined) {
      const file = path.resolve(opts.projectDir, s.caCertificateFile);
      try {
        const st = fs.statSync(file);
        if (!st.isFile() || st.size > MAX_PFX_BYTES) throw new Error("not a regular file of certificate size");
        caCertificate = fs.readFileSync(file, "utf8");
        if (!/-----BEGIN CERTIFICATE-----/.test(caCertificate)) fail("infinity.caCertificateFile", s.caCertificateFile, "must be a PEM certificate (no BEGIN CERTIFICATE block)");
      } catch (e) {
        fail("infinity.caCertificateFile", s.caCertificateFile, `must be a readable PEM file (looked for ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
    }
    // The password travels as a secret Output only, never inside the plain settings.
    const { password: _plain, ...settings } = s;
    void _plain;
    return { settings, password, caCertificate };
  }

  if (p.dnsZone && p.connectorFqdn !== undefined && !p.connectorFqdn.endsWith(`.${p.dnsZone.name}`)) {
    fail("dnsZone.name", p.dnsZone.name, `must be a parent zone of connectorFqdn (${p.connectorFqdn})`);
  }

  // Only the stack that owns the app issues its password, so only it judges the label's end date.
  if (p.appPasswordRotation !== undefined && p.appStack === "") {
    try {
      const endDate = appPasswordEndDate(p.appPasswordRotation);
      const problem = endDate ? appPasswordEndDateProblem(endDate, opts.now) : {};
      if (problem.error) fail("appPasswordRotation", p.appPasswordRotation, problem.error);
      if (problem.warning) warnings.push(`${problem.warning} (appPasswordRotation).`);
    } catch (e) {
      fail("appPasswordRotation", p.appPasswordRotation, (e as Error).message);
    }
  }
  if (p.appPasswordPrevious !== undefined) {
    if (p.appStack !== "") fail("appPasswordPrevious", p.appPasswordPrevious, "only the stack that owns the app (no appStack) issues passwords; remove it here");
    else if (p.appPasswordPrevious === p.appPasswordRotation) fail("appPasswordPrevious", p.appPasswordPrevious, "must differ from appPasswordRotation (it names the password being retired)");
    else {
      try {
        const endDate = appPasswordEndDate(p.appPasswordPrevious);
        if (endDate && appPasswordEndDateProblem(endDate, opts.now).error) {
          warnings.push(`the previous application password (${p.appPasswordPrevious}) has expired: retire it by removing appPasswordPrevious.`);
        }
      } catch (e) {
        fail("appPasswordPrevious", p.appPasswordPrevious, (e as Error).message);
      }
    }
  }
  if (p.consentSiteEnabled && p.appStack === "" && (p.consentSourcePrefixes ?? []).length === 0) {
    warnings.push("consentSourcePrefixes is empty: the admin-consent page is public (anyone can read the app ID). Restrict it, or set consentSiteEnabled: false after consent.");
  }

  if (errors.length > 0) return { errors, warnings, notices };

  const v = parsed as ParsedKeys;
  const {
    "azure-native:subscriptionId": subscriptionId, "azure-native:location": _location, adminPassword: _pw, certificate: _cert,
    connectorPackage: _pkg, botName, dialInstructions, usageAttributionId, infinity: _inf, ...rest
  } = v;
  void _location; void _pw; void _cert; void _pkg; void _inf;
  return {
    errors,
    warnings,
    notices,
    config: {
      ...rest,
      project: PROJECT,
      stack: opts.stack,
      subscriptionId,
      location: location!,
      region: region!,
      adminPassword,
      certificate: certificate!,
      connectorPackage,
      botName: botName ?? deriveNames(v.baseName, "").defaultBotName,
      dialInstructions: dialInstructions as DialInstructions | undefined,
      usageAttributionId: v.customerUsageAttribution ? usageAttributionId : undefined,
      infinity,
      names: deriveNames(v.baseName, v.regionCode),
    },
  };
}

/** The fields of an object schema, through defaults, optionals and preprocessing (for "known keys" in messages). */
function objectFields(schema: z.ZodType): string[] {
  let def = (schema as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
  for (let i = 0; i < 8; i++) {
    if (def.type === "object") return Object.keys(def.shape as object);
    const next = (def.innerType ?? def.out ?? def.in) as { _zod: { def: Record<string, unknown> } } | undefined;
    if (!next) break;
    def = next._zod.def.type === "unknown" && def.in ? (def.out as typeof next)._zod.def : next._zod.def;
  }
  return [];
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
    keys: () => Object.keys(all),
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
