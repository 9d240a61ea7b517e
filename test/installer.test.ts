import {
  bootstrapCommand,
  BootstrapSettings,
  DEFAULT_PARAMETER_NAMES,
  installerParameters,
  InstallerValues,
  parseBootstrapCommand,
  resolveArguments,
  scriptBlobName,
  SECRET_INSTALLER_VALUES,
} from "../components/installer";

const values: InstallerValues = {
  connectorFqdn: "pexip-teamsconn-eu.teams.example.com",
  nodeFqdns: ["pxedge.vc.example.com", "pxedge2.vc.example.com"],
  appId: "c054d1cb-7961-48e1-b004-389e81356232",
  appPassword: `p"a%PATH%&^|<>'s s\`$(x)`,
  tenantId: "11111111-2222-3333-4444-555555555555",
  incidentReporting: true,
  eventHubConnectionString: "Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=abc=",
  certificateThumbprint: "A1B2C3",
};

describe("installerParameters", () => {
  test("defaults: one parameter per stack value, named as in create_vmss_deployment.ps1 where the seed shows one", () => {
    const args = installerParameters();
    expect(args.map((a) => a.name)).toEqual([
      "TeamsConnectorFqdn", "PexipFqdns", "AppId", "AppPassword", "TenantId", "IncidentReporting", "EventHubConnectionString", "CertificateThumbprint",
    ]);
    expect(args.every((a) => "from" in a)).toBe(true);
  });

  test("overrides rename, drop and add parameters", () => {
    const args = installerParameters({ ClientId: "{{appId}}", IncidentReporting: "", Mode: "unattended" });
    const names = args.map((a) => a.name);
    expect(names).not.toContain("AppId");
    expect(names).not.toContain("IncidentReporting");
    expect(args.find((a) => a.name === "ClientId")).toEqual({ name: "ClientId", from: "appId" });
    expect(args.find((a) => a.name === "Mode")).toEqual({ name: "Mode", literal: "unattended" });
  });

  test("an unknown reference is an error naming the key", () => {
    expect(() => installerParameters({ X: "{{password}}" })).toThrow("installer.parameters.X = {{password}}: unknown value");
  });

  test("the secret values are the app password and the Event Hub connection string", () => {
    expect([...SECRET_INSTALLER_VALUES].sort()).toEqual(["appPassword", "eventHubConnectionString"]);
    for (const k of SECRET_INSTALLER_VALUES) expect(DEFAULT_PARAMETER_NAMES[k]).toBeDefined();
  });
});

describe("resolveArguments", () => {
  test("keeps JSON types and leaves out an unset Event Hub", () => {
    const out = resolveArguments(installerParameters(), { ...values, eventHubConnectionString: undefined });
    expect(out.PexipFqdns).toEqual(["pxedge.vc.example.com", "pxedge2.vc.example.com"]);
    expect(out.IncidentReporting).toBe(true);
    expect(out).not.toHaveProperty("EventHubConnectionString");
    expect(out.CertificateThumbprint).toBe("A1B2C3");
  });
});

describe("bootstrapCommand", () => {
  const settings: BootstrapSettings = {
    connectorVersion: "26.2",
    packageFile: "pexip-teams-connector-26.2.zip",
    entryPoint: "Install-PexTeamsConnector.ps1",
    windowsUpdate: { installDay: 0, installHour: 22, activeHoursStart: 6, activeHoursEnd: 22 },
    installerArguments: resolveArguments(installerParameters(), values),
  };

  test("carries every value through cmd.exe and PowerShell untouched, whatever the password contains", () => {
    const cmd = bootstrapCommand("install-teams-connector-0123456789abcdef.ps1", settings);
    // Only base64 characters after the fixed prefix: nothing for cmd or PowerShell to interpret.
    expect(cmd).toMatch(/^powershell\.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -File install-teams-connector-0123456789abcdef\.ps1 -SettingsBase64 [A-Za-z0-9+/=]+$/);
    expect(cmd).not.toContain("%PATH%");
    const back = parseBootstrapCommand(cmd);
    expect(back.settings).toEqual(settings);
    expect(back.settings.installerArguments.AppPassword).toBe(values.appPassword);
  });

  test("refuses a script name that would need quoting", () => {
    expect(() => bootstrapCommand("my script.ps1", settings)).toThrow("must be a plain .ps1 file name");
    expect(() => bootstrapCommand("x.ps1 & calc", settings)).toThrow("must be a plain .ps1 file name");
  });
});

describe("scriptBlobName", () => {
  test("is content addressed", () => {
    expect(scriptBlobName("a")).toMatch(/^install-teams-connector-[0-9a-f]{16}\.ps1$/);
    expect(scriptBlobName("a")).toBe(scriptBlobName("a"));
    expect(scriptBlobName("a")).not.toBe(scriptBlobName("b"));
  });
});
