/**
 * The bootstrap script cannot run here (no PowerShell on Debian); this reads it as text and holds it to the
 * contract `bootstrapCommand` writes: the parameter it takes, every settings field it reads, and the documented
 * Windows Update policy values with the seed's semantics.
 */
import * as fs from "fs";
import { BOOTSTRAP_SCRIPT_PATH } from "../components/teamsConnectorVmss";
import { bootstrapCommand, BootstrapSettings } from "../components/installer";

const script = fs.readFileSync(BOOTSTRAP_SCRIPT_PATH, "utf8");

test("takes exactly the parameter bootstrapCommand passes", () => {
  const cmd = bootstrapCommand("x.ps1", { connectorVersion: "1", packageFile: "p.zip", entryPoint: "i.ps1", windowsUpdate: { installDay: 1, installHour: 22, activeHoursStart: 6, activeHoursEnd: 22 }, installerArguments: {} });
  const passed = /-File \S+ -(\w+) /.exec(cmd)![1];
  expect(passed).toBe("SettingsBase64");
  expect(script).toMatch(new RegExp(`param\\(\\s*\\[Parameter\\(Mandatory = \\$true\\)\\]\\[string\\]\\$${passed}\\s*\\)`));
});

test("reads every field of the settings it is given", () => {
  const fields: (keyof BootstrapSettings)[] = ["connectorVersion", "packageFile", "entryPoint", "windowsUpdate", "installerArguments"];
  for (const f of fields) expect([f, script.includes(`$cfg.${f}`)]).toEqual([f, true]);
  for (const f of ["installDay", "installHour", "activeHoursStart", "activeHoursEnd"]) expect([f, script.includes(`$wu.${f}`)]).toEqual([f, true]);
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

test("stops on the first error and never echoes its settings", () => {
  expect(script).toContain("$ErrorActionPreference = 'Stop'");
  expect(script).not.toMatch(/Write-(Output|Host|Verbose)[^\n]*\$(json|SettingsBase64|cfg\.installerArguments)/);
});
