/**
 * How the bootstrap script calls the Teams Connector's own installer inside Pexip's ZIP, as data.
 *
 * ASSUMPTION, TO CONFIRM AGAINST PEXIP'S PACKAGE: the seed never shows what runs on an instance; Pexip's
 * `create_vmss_deployment.ps1` did that internally. The default entry point and parameter names below are our
 * guesses, modelled on that script's own parameter names (`-TeamsConnectorFqdn`, `-PexipFqdns`,
 * `-IncidentReporting`, ...). Operators correct them without code changes through the stack's `installer.entryPoint`
 * and `installer.parameters` (see `installerParameters`).
 */
import { createHash } from "crypto";

/** The Windows Update schedule (the seed: day 0 = every day, 1 = Sunday ... 7 = Saturday; hours UTC). */
export interface WindowsUpdateConfig {
  /** Scheduled install day, 0-7. */
  installDay: number;
  /** Scheduled install hour, 0-23 UTC. */
  installHour: number;
  /** Active hours start, 0-23. */
  activeHoursStart: number;
  /** Active hours end, 0-23 (at most 18 hours after the start). */
  activeHoursEnd: number;
}


export interface InstallerConfig {
  /** Path of the installer script inside Pexip's ZIP, relative to its root. */
  entryPoint?: string;
  /** Extra or renamed installer parameters (name -> value); merged over the documented defaults. */
  parameters?: Record<string, string>;
}

/** The stack values the installer may need, by our names. */
export type InstallerValueName =
  | "connectorFqdn"
  | "nodeFqdns"
  | "appId"
  | "appPassword"
  | "tenantId"
  | "incidentReporting"
  | "eventHubConnectionString"
  | "certificateThumbprint";

/** Our values that are secrets: they only ever travel in the extension's protectedSettings. */
export const SECRET_INSTALLER_VALUES: readonly InstallerValueName[] = ["appPassword", "eventHubConnectionString"];

/** Default entry point, relative to the ZIP's root (assumption: confirm against Pexip's package). */
export const DEFAULT_ENTRY_POINT = "Install-PexTeamsConnector.ps1";

/**
 * Default installer parameter name for each of our values (assumption: confirm against Pexip's package).
 * Names follow `create_vmss_deployment.ps1` where the seed shows one.
 */
export const DEFAULT_PARAMETER_NAMES: Readonly<Record<InstallerValueName, string>> = {
  connectorFqdn: "TeamsConnectorFqdn",
  nodeFqdns: "PexipFqdns",
  appId: "AppId",
  appPassword: "AppPassword",
  tenantId: "TenantId",
  incidentReporting: "IncidentReporting",
  eventHubConnectionString: "EventHubConnectionString",
  certificateThumbprint: "CertificateThumbprint",
};

/** The resolved stack values (plain: this runs inside an apply). */
export type InstallerValues = { [K in InstallerValueName]: K extends "nodeFqdns" ? string[] : K extends "incidentReporting" ? boolean : string | undefined };

/** One installer argument: a reference to one of our values, or a literal from the stack's overrides. */
export type InstallerArgument = { name: string; from: InstallerValueName } | { name: string; literal: string };

const REFERENCE = /^\{\{([A-Za-z]+)\}\}$/;

/** Overrides that reference a value we do not have (`{{nosuch}}`): the config phase reports them, by parameter name. */
export function unknownInstallerReferences(overrides: InstallerConfig["parameters"] = {}): { name: string; rule: string }[] {
  return Object.entries(overrides).flatMap(([name, value]) => {
    const ref = REFERENCE.exec(value);
    if (!ref || ref[1] in DEFAULT_PARAMETER_NAMES) return [];
    return [{ name, rule: `references an unknown value; use one of ${Object.keys(DEFAULT_PARAMETER_NAMES).map((k) => `{{${k}}}`).join(", ")}` }];
  });
}

/**
 * The installer's arguments: the defaults above, merged with `installer.parameters` (installer parameter name ->
 * value). An override value `{{appId}}` (one of our value names in braces) passes that stack value under the
 * override's name and drops the default name for it (a rename); `""` drops the parameter; anything else is a literal.
 * Order: defaults first (in the table's order), then new names in the order given. Unknown references throw.
 */
export function installerParameters(overrides: InstallerConfig["parameters"] = {}): InstallerArgument[] {
  const args = new Map<string, InstallerArgument>();
  for (const [from, name] of Object.entries(DEFAULT_PARAMETER_NAMES) as [InstallerValueName, string][]) args.set(name, { name, from });
  for (const [name, value] of Object.entries(overrides)) {
    const ref = REFERENCE.exec(value);
    if (ref) {
      const from = ref[1] as InstallerValueName;
      if (!(from in DEFAULT_PARAMETER_NAMES)) {
        throw new Error(`installer.parameters.${name} = ${value}: unknown value; use one of ${Object.keys(DEFAULT_PARAMETER_NAMES).map((k) => `{{${k}}}`).join(", ")}`);
      }
      // A rename: the value leaves its default name.
      for (const [k, a] of args) if ("from" in a && a.from === from) args.delete(k);
      args.set(name, { name, from });
    } else if (value === "") {
      args.delete(name);
    } else {
      args.set(name, { name, literal: value });
    }
  }
  return [...args.values()];
}

/** What the bootstrap script receives (as base64 JSON, see `bootstrapCommand`). */
export interface BootstrapSettings {
  connectorVersion: string;
  /** File name of the connector ZIP that the Custom Script Extension downloaded next to the script. */
  packageFile: string;
  /** Installer path inside the ZIP. */
  entryPoint: string;
  windowsUpdate: WindowsUpdateConfig;
  /** Installer arguments, name -> value (JSON types kept: booleans stay booleans, lists stay lists). */
  installerArguments: Record<string, string | boolean | string[]>;
}

/** Resolves the installer arguments against the stack's values; values that are unset (no Event Hub) are left out. */
export function resolveArguments(args: InstallerArgument[], values: InstallerValues): Record<string, string | boolean | string[]> {
  const out: Record<string, string | boolean | string[]> = {};
  for (const a of args) {
    if ("literal" in a) out[a.name] = a.literal;
    else {
      const v = values[a.from];
      if (v !== undefined && v !== "") out[a.name] = v;
    }
  }
  return out;
}

/** The bootstrap script's file name: content-addressed, so a script change is a new blob and a new scale-set model. */
export function scriptBlobName(scriptText: string): string {
  return `install-teams-connector-${createHash("sha256").update(scriptText, "utf8").digest("hex").slice(0, 16)}.ps1`;
}

/**
 * The Custom Script Extension's `commandToExecute`. Every value travels as one base64 JSON argument, so no quoting
 * rule of cmd.exe or PowerShell (`"`, `%`, `&`, `^`, `'`, spaces in passwords) can break or inject into the command.
 * It holds secrets: it goes in protectedSettings only.
 */
export function bootstrapCommand(scriptFile: string, settings: BootstrapSettings): string {
  if (!/^[A-Za-z0-9_.-]+\.ps1$/.test(scriptFile)) throw new Error(`bootstrap script name ${scriptFile} must be a plain .ps1 file name`);
  const payload = Buffer.from(JSON.stringify(settings), "utf8").toString("base64");
  return `powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -File ${scriptFile} -SettingsBase64 ${payload}`;
}

/** Inverse of `bootstrapCommand`, for tests and support: the settings a command carries. */
export function parseBootstrapCommand(command: string): { scriptFile: string; settings: BootstrapSettings } {
  const m = /^powershell\.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -File (\S+) -SettingsBase64 ([A-Za-z0-9+/=]+)$/.exec(command);
  if (!m) throw new Error("not a bootstrap command");
  return { scriptFile: m[1], settings: JSON.parse(Buffer.from(m[2], "base64").toString("utf8")) as BootstrapSettings };
}
