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

/**
 * Our values that are secrets. They never travel in the extension's settings: the install command carries the
 * versioned Key Vault secret URI instead, and the bootstrap reads the value with the instances' identity.
 */
export const SECRET_INSTALLER_VALUES: readonly InstallerValueName[] = ["appPassword", "eventHubConnectionString"];

/** Whether a value of ours is a secret (passed as a Key Vault secret URI, read on the instance). */
export function isSecretInstallerValue(name: InstallerValueName): boolean {
  return SECRET_INSTALLER_VALUES.includes(name);
}

/** The token audience the bootstrap asks the instance metadata service for (public Azure). */
// resource=https://vault.azure.net for a Key Vault token from a VM identity https://learn.microsoft.com/en-us/entra/identity/managed-identities-azure-resources/tutorial-windows-managed-identities-vm-access
export const KEY_VAULT_RESOURCE = "https://vault.azure.net";
/** The instance metadata service's token endpoint and API version. */
// GET http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=...&msi_res_id=... with Metadata: true https://learn.microsoft.com/en-us/entra/identity/managed-identities-azure-resources/how-to-use-vm-token#get-a-token-using-http
export const IMDS_TOKEN_ENDPOINT = "http://169.254.169.254/metadata/identity/oauth2/token";
export const IMDS_API_VERSION = "2018-02-01";
/** Key Vault data-plane API version of the Get Secret call (`GET {secret URI}?api-version=`, answers `{ value }`). */
// GET {vaultBaseUrl}/secrets/{secret-name}/{secret-version}?api-version=7.4 https://learn.microsoft.com/en-us/rest/api/keyvault/secrets/get-secret/get-secret
export const KEY_VAULT_API_VERSION = "7.4";
/** A versioned Key Vault secret URI in public Azure: the only form the bootstrap sends its token to. */
// https://{vault-name}.vault.azure.net/secrets/{object-name}/{object-version}: 3-24, 1-127 and 32 characters https://learn.microsoft.com/en-us/azure/key-vault/general/about-keys-secrets-certificates#object-identifiers
export const VERSIONED_SECRET_URI = /^https:\/\/[a-z0-9-]{3,24}\.vault\.azure\.net\/secrets\/[A-Za-z0-9-]{1,127}\/[0-9a-f]{32}$/;

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

/**
 * The resolved stack values (plain: this runs inside an apply). The secret ones (SECRET_INSTALLER_VALUES) are the
 * versioned Key Vault URIs of their secrets, never the values.
 */
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

/** An installer argument whose value the bootstrap reads from Key Vault: the parameter name and the versioned secret URI. */
export interface SecretArgument {
  name: string;
  secretUri: string;
}

/**
 * What the bootstrap script receives (as base64 JSON, see `bootstrapCommand`). No secret: the install command is in
 * the extension's public settings, where every change shows in a plan.
 */
export interface BootstrapSettings {
  connectorVersion: string;
  /** File name of the connector ZIP that the Custom Script Extension downloaded next to the script. */
  packageFile: string;
  /** Installer path inside the ZIP. */
  entryPoint: string;
  windowsUpdate: WindowsUpdateConfig;
  /** Installer arguments, name -> value (JSON types kept: booleans stay booleans, lists stay lists); no secret. */
  installerArguments: Record<string, string | boolean | string[]>;
  /** Installer arguments read from Key Vault at install time, with the identity below (a list keyed by name). */
  secretArguments: SecretArgument[];
  /** ARM resource ID of the instances' user-assigned identity: the one the metadata service gives the Key Vault token for. */
  identityResourceId: string;
}

/**
 * Resolves the installer arguments against the stack's values; values that are unset (no Event Hub) are left out.
 * A secret value of ours becomes a secret argument (its Key Vault URI); everything else a plain argument.
 */
export function resolveArguments(args: InstallerArgument[], values: InstallerValues): Pick<BootstrapSettings, "installerArguments" | "secretArguments"> {
  const installerArguments: Record<string, string | boolean | string[]> = {};
  const secretArguments: SecretArgument[] = [];
  for (const a of args) {
    if ("literal" in a) installerArguments[a.name] = a.literal;
    else {
      const v = values[a.from];
      if (v === undefined || v === "") continue;
      if (isSecretInstallerValue(a.from)) {
        if (typeof v !== "string" || !VERSIONED_SECRET_URI.test(v)) throw new Error(`installer argument ${a.name}: ${a.from} must be a versioned Key Vault secret URI, never the secret itself`);
        secretArguments.push({ name: a.name, secretUri: v });
      } else installerArguments[a.name] = v;
    }
  }
  return { installerArguments, secretArguments };
}

/**
 * Installer arguments that would carry a secret on a process command line: a native entry point (`.exe`, `.cmd`)
 * gets its arguments as a command line, which any process on the instance can list; a PowerShell script gets them
 * in-process. The config phase refuses such a combination, by parameter name.
 */
export function secretsOnCommandLine(installer: InstallerConfig): string[] {
  const entry = installer.entryPoint ?? DEFAULT_ENTRY_POINT;
  if (/\.ps1$/i.test(entry)) return [];
  return installerParameters(installer.parameters).filter((a) => "from" in a && isSecretInstallerValue(a.from)).map((a) => a.name);
}

/** The bootstrap script's file name: content-addressed, so a script change is a new blob and a new scale-set model. */
export function scriptBlobName(scriptText: string): string {
  return `install-teams-connector-${createHash("sha256").update(scriptText, "utf8").digest("hex").slice(0, 16)}.ps1`;
}

/**
 * The Custom Script Extension's `commandToExecute`. Every value travels as one base64 JSON argument, so no quoting
 * rule of cmd.exe or PowerShell (`"`, `%`, `&`, `^`, `'`, spaces) can break or inject into the command. It holds no
 * secret (secret arguments are Key Vault URIs), so it goes in the extension's public settings; a secret URI that is
 * not one is refused.
 */
export function bootstrapCommand(scriptFile: string, settings: BootstrapSettings): string {
  if (!/^[A-Za-z0-9_.-]+\.ps1$/.test(scriptFile)) throw new Error(`bootstrap script name ${scriptFile} must be a plain .ps1 file name`);
  for (const a of settings.secretArguments) {
    if (!VERSIONED_SECRET_URI.test(a.secretUri)) throw new Error(`secret argument ${a.name} must be a versioned Key Vault secret URI`);
  }
  const payload = Buffer.from(JSON.stringify(settings), "utf8").toString("base64");
  return `powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -File ${scriptFile} -SettingsBase64 ${payload}`;
}

const COMMAND = /^powershell\.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -File (\S+) -SettingsBase64 ([A-Za-z0-9+/=]+)$/;

/** Inverse of `bootstrapCommand`, for tests, the plan's diff and support: the settings a command carries. */
export function parseBootstrapCommand(command: string): { scriptFile: string; settings: BootstrapSettings } {
  const m = COMMAND.exec(command);
  if (!m) throw new Error("not a bootstrap command");
  return { scriptFile: m[1], settings: JSON.parse(Buffer.from(m[2], "base64").toString("utf8")) as BootstrapSettings };
}

/** Whether a string is a command `bootstrapCommand` wrote. */
export function isBootstrapCommand(command: unknown): command is string {
  return typeof command === "string" && COMMAND.test(command);
}

/**
 * The install extension's `forceUpdateTag`: the connector version and a hash of everything the install depends on
 * (the downloaded files' URLs and the command with its settings and secret versions). Any change re-runs the install,
 * and an unchanged model leaves it alone.
 */
export function installForceUpdateTag(connectorVersion: string, fileUris: readonly string[], command: string): string {
  const h = createHash("sha256").update(JSON.stringify({ fileUris, command }), "utf8").digest("hex").slice(0, 16);
  return `${connectorVersion}-${h}`;
}
