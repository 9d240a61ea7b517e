/**
 * The bootstrap script cannot run here (no PowerShell on Debian); this reads it as text and holds it to the
 * contract `bootstrapCommand` writes: the parameter it takes, every settings field it reads, the Key Vault read with
 * the instances' identity (the same endpoint, audience, API versions and URI rule as components/installer.ts), where
 * secret values may go (the in-process installer call only), and the documented Windows Update policy values.
 */
import * as fs from "fs";
import { BOOTSTRAP_SCRIPT_PATH } from "../components/teamsConnectorVmss";
import {
  bootstrapCommand, BootstrapSettings, IMDS_API_VERSION, IMDS_TOKEN_ENDPOINT, KEY_VAULT_API_VERSION, KEY_VAULT_RESOURCE, SecretArgument, VERSIONED_SECRET_URI,
} from "../components/installer";

const script = fs.readFileSync(BOOTSTRAP_SCRIPT_PATH, "utf8");
/** The script's lines outside comments. */
const code = script.replace(/<#[\s\S]*?#>/g, "").split("\n").filter((l) => !/^\s*#/.test(l));
/** The single-quoted value a script variable is set to. */
const assigned = (name: string) => new RegExp(`^\\$${name} = '([^']*)'$`, "m").exec(script)?.[1];

test("takes exactly the parameter bootstrapCommand passes", () => {
  const cmd = bootstrapCommand("x.ps1", { connectorVersion: "1", packageFile: "p.zip", entryPoint: "i.ps1", windowsUpdate: { installDay: 1, installHour: 22, activeHoursStart: 6, activeHoursEnd: 22 }, installerArguments: {}, secretArguments: [], identityResourceId: "/id" });
  const passed = /-File \S+ -(\w+) /.exec(cmd)![1];
  expect(passed).toBe("SettingsBase64");
  expect(script).toMatch(new RegExp(`param\\(\\s*\\[Parameter\\(Mandatory = \\$true\\)\\]\\[string\\]\\$${passed}\\s*\\)`));
});

test("reads every field of the settings it is given", () => {
  const fields: (keyof BootstrapSettings)[] = ["connectorVersion", "packageFile", "entryPoint", "windowsUpdate", "installerArguments", "secretArguments", "identityResourceId"];
  for (const f of fields) expect([f, script.includes(`$cfg.${f}`)]).toEqual([f, true]);
  for (const f of ["installDay", "installHour", "activeHoursStart", "activeHoursEnd"]) expect([f, script.includes(`$wu.${f}`)]).toEqual([f, true]);
  const secretFields: (keyof SecretArgument)[] = ["name", "secretUri"];
  for (const f of secretFields) expect([f, script.includes(`$s.${f}`)]).toEqual([f, true]);
});

test("asks the metadata service for a Key Vault token for the user-assigned identity, with the documented parameters", () => {
  expect([assigned("ImdsTokenEndpoint"), assigned("ImdsApiVersion"), assigned("KeyVaultResource"), assigned("KeyVaultApiVersion")])
    .toEqual([IMDS_TOKEN_ENDPOINT, IMDS_API_VERSION, KEY_VAULT_RESOURCE, KEY_VAULT_API_VERSION]);
  expect(script).toContain("'{0}?api-version={1}&resource={2}&msi_res_id={3}' -f $ImdsTokenEndpoint, $ImdsApiVersion, [uri]::EscapeDataString($KeyVaultResource), [uri]::EscapeDataString($IdentityResourceId)");
  expect(script).toContain("-Headers @{ Metadata = 'true' }");
  expect(script).toContain("Get-KeyVaultToken -IdentityResourceId $cfg.identityResourceId");
  // Get Secret: GET {secret URI}?api-version=..., bearer token, the answer's `value`.
  expect(script).toContain("'{0}?api-version={1}' -f $SecretUri, $KeyVaultApiVersion");
  expect(script).toContain('-Headers @{ Authorization = "Bearer $Token" }');
  expect(script).toContain("return $response.value");
});

test("sends the token only to versioned public Key Vault secret URIs: the same rule as the TypeScript side", () => {
  const ps = assigned("VersionedSecretUri")!;
  expect(ps).toBe(VERSIONED_SECRET_URI.source.replace(/\\\//g, "/"));
  expect(script).toContain("if ($SecretUri -cnotmatch $VersionedSecretUri) { throw");
  const rule = new RegExp(ps);
  expect(rule.test(`https://pexipeu-kv-abcde.vault.azure.net/secrets/app-password/${"0".repeat(32)}`)).toBe(true);
  for (const bad of ["https://evil.example.com/secrets/app-password/" + "0".repeat(32), "https://pexipeu-kv-abcde.vault.azure.net/secrets/app-password", "https://x.vault.azure.net.evil.com/secrets/a/" + "0".repeat(32)]) {
    expect([bad, rule.test(bad)]).toEqual([bad, false]);
  }
});

test("secret values go to the PowerShell installer in-process only: no command line, no file, no output", () => {
  // Read into the installer's argument table, which goes to `& $entry @installerArgs` (a .ps1) and is cleared after.
  expect(script).toContain("foreach ($s in $secretArguments) { $installerArgs[$s.name] = Read-KeyVaultSecret -SecretUri $s.secretUri -Token $token }");
  expect(script).toContain("& $entry @installerArgs");
  expect(script).toContain("$installerArgs.Clear()");
  // A native entry point (whose arguments would be a command line) is refused before any secret is read.
  const refuse = code.findIndex((l) => l.includes("if ($entry -notlike '*.ps1') { throw"));
  const read = code.findIndex((l) => l.includes("Get-KeyVaultToken -IdentityResourceId"));
  expect(refuse).toBeGreaterThan(0);
  expect(read).toBeGreaterThan(refuse);
  // Nothing the script does writes a file, apart from the registry and the transcript; nothing echoes a secret.
  for (const l of code) {
    expect([l, /Set-Content|Out-File|Add-Content|Export-Clixml|\s>>?\s/.test(l)]).toEqual([l, false]);
    expect([l, /Write-(Output|Host|Verbose|Information)[^\n]*\$(json|SettingsBase64|token|response|installerArgs|secretArguments|s\b)/i.test(l)]).toEqual([l, false]);
  }
  // The transcript's folder is for SYSTEM and Administrators only (what Windows protects for the service).
  expect(script).toContain("& icacls.exe $logDir /inheritance:r /grant:r '*S-1-5-18:(OI)(CI)F' '*S-1-5-32-544:(OI)(CI)F'");
  expect(code.findIndex((l) => l.includes("icacls.exe"))).toBeLessThan(code.findIndex((l) => l.includes("Start-Transcript")));
});

test("retries the metadata service and Key Vault for a bounded time, then fails the install", () => {
  const delays = /\$delays = @\(([\d, ]+)\)/.exec(script)![1].split(",").map(Number);
  const total = delays.reduce((a, b) => a + b, 0);
  // About the 10-minute role propagation, bounded well inside the extensions' 2-hour budget.
  expect(total).toBeGreaterThanOrEqual(600);
  expect(total).toBeLessThan(900);
  expect(script).toContain('throw "$What failed after $($i + 1) attempts: $($_.Exception.Message)"');
});

test("sets the documented Windows Update policy values", () => {
  expect(script).toContain("HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate'");
  expect(script).toMatch(/Join-Path \$wuKey 'AU'/);
  expect(script).toMatch(/-Name 'AUOptions' -Value 4 -Type DWord/);
  expect(script).toMatch(/-Name 'ScheduledInstallDay' -Value \(\[int\]\$wu\.installDay\)/);
  expect(script).toMatch(/-Name 'ScheduledInstallTime' -Value \(\[int\]\$wu\.installHour\)/);
  expect(script).toMatch(/\$wuKey -Name 'SetActiveHours' -Value 1/);
  expect(script).toMatch(/\$wuKey -Name 'ActiveHoursStart' -Value \(\[int\]\$wu\.activeHoursStart\)/);
  expect(script).toMatch(/\$wuKey -Name 'ActiveHoursEnd' -Value \(\[int\]\$wu\.activeHoursEnd\)/);
  // The seed's day range: 0 every day ... 7 Saturday.
  expect(script).toMatch(/Name = 'installDay'; Value = \$wu\.installDay; Max = 7/);
});

test("stops on the first error", () => {
  expect(script).toContain("$ErrorActionPreference = 'Stop'");
});
