import {
  bootstrapCommand,
  BootstrapSettings,
  DEFAULT_PARAMETER_NAMES,
  installerParameters,
  installForceUpdateTag,
  InstallerValues,
  isBootstrapCommand,
  parseBootstrapCommand,
  resolveArguments,
  scriptBlobName,
  SECRET_INSTALLER_VALUES,
  secretsOnCommandLine,
} from "../components/installer";

const APP_PASSWORD_URI = `https://pexipeu-kv-abcde.vault.azure.net/secrets/app-password/${"a".repeat(32)}`;
const EVENT_HUB_URI = `https://pexipeu-kv-abcde.vault.azure.net/secrets/event-hub-connection-string/${"b".repeat(32)}`;

const values: InstallerValues = {
  connectorFqdn: "pexip-teamsconn-eu.teams.example.com",
  nodeFqdns: ["pxedge.vc.example.com", "pxedge2.vc.example.com"],
  appId: "c054d1cb-7961-48e1-b004-389e81356232",
  appPassword: APP_PASSWORD_URI,
  tenantId: "11111111-2222-3333-4444-555555555555",
  incidentReporting: true,
  eventHubConnectionString: EVENT_HUB_URI,
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
    expect(out.installerArguments.PexipFqdns).toEqual(["pxedge.vc.example.com", "pxedge2.vc.example.com"]);
    expect(out.installerArguments.IncidentReporting).toBe(true);
    expect(out.installerArguments).not.toHaveProperty("EventHubConnectionString");
    expect(out.installerArguments.CertificateThumbprint).toBe("A1B2C3");
    expect(out.secretArguments).toEqual([{ name: "AppPassword", secretUri: APP_PASSWORD_URI }]);
  });

  test("secret values become secret arguments (their Key Vault URIs), also under a renamed parameter; nothing secret stays plain", () => {
    const out = resolveArguments(installerParameters({ ClientSecret: "{{appPassword}}" }), values);
    expect(out.secretArguments).toEqual([
      { name: "EventHubConnectionString", secretUri: EVENT_HUB_URI },
      { name: "ClientSecret", secretUri: APP_PASSWORD_URI },
    ]);
    expect(Object.keys(out.installerArguments)).toEqual(["TeamsConnectorFqdn", "PexipFqdns", "AppId", "TenantId", "IncidentReporting", "CertificateThumbprint"]);
  });

  test("a secret value that is not a versioned Key Vault URI (the secret itself) is refused, without echoing it", () => {
    const leak = "s3cret-Passw0rd!";
    let message = "";
    try {
      resolveArguments(installerParameters(), { ...values, appPassword: leak });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe("installer argument AppPassword: appPassword must be a versioned Key Vault secret URI, never the secret itself");
    expect(() => resolveArguments(installerParameters(), { ...values, appPassword: APP_PASSWORD_URI.replace(/\/[a]{32}$/, "") })).toThrow("versioned Key Vault secret URI");
  });
});

describe("secretsOnCommandLine", () => {
  test("a PowerShell entry point takes secrets in-process; a native one would put them on its command line", () => {
    expect(secretsOnCommandLine({})).toEqual([]);
    expect(secretsOnCommandLine({ entryPoint: "setup/Install.PS1" })).toEqual([]);
    expect(secretsOnCommandLine({ entryPoint: "setup.exe" })).toEqual(["AppPassword", "EventHubConnectionString"]);
    expect(secretsOnCommandLine({ entryPoint: "setup.cmd", parameters: { AppPassword: "", Secret: "{{eventHubConnectionString}}" } })).toEqual(["Secret"]);
    expect(secretsOnCommandLine({ entryPoint: "setup.exe", parameters: { AppPassword: "", EventHubConnectionString: "" } })).toEqual([]);
  });
});

describe("bootstrapCommand", () => {
  const settings: BootstrapSettings = {
    connectorVersion: "26.2",
    packageFile: "pexip-teams-connector-26.2.zip",
    entryPoint: "Install-PexTeamsConnector.ps1",
    windowsUpdate: { installDay: 0, installHour: 22, activeHoursStart: 6, activeHoursEnd: 22 },
    ...resolveArguments(installerParameters({ Mode: `p"a%PATH%&^|<>'s s\`$(x)` }), values),
    identityResourceId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/pexipeu-id",
  };

  test("carries every value through cmd.exe and PowerShell untouched, whatever a literal contains", () => {
    const cmd = bootstrapCommand("install-teams-connector-0123456789abcdef.ps1", settings);
    // Only base64 characters after the fixed prefix: nothing for cmd or PowerShell to interpret.
    expect(cmd).toMatch(/^powershell\.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -File install-teams-connector-0123456789abcdef\.ps1 -SettingsBase64 [A-Za-z0-9+/=]+$/);
    expect(cmd).not.toContain("%PATH%");
    expect(isBootstrapCommand(cmd)).toBe(true);
    expect(isBootstrapCommand("powershell.exe -File x.ps1")).toBe(false);
    const back = parseBootstrapCommand(cmd);
    expect(back.settings).toEqual(settings);
    expect(back.settings.installerArguments.Mode).toBe(`p"a%PATH%&^|<>'s s\`$(x)`);
    expect(back.settings.secretArguments.map((a) => a.secretUri)).toEqual([APP_PASSWORD_URI, EVENT_HUB_URI]);
  });

  test("refuses a script name that would need quoting, and a secret argument that is not a versioned secret URI", () => {
    expect(() => bootstrapCommand("my script.ps1", settings)).toThrow("must be a plain .ps1 file name");
    expect(() => bootstrapCommand("x.ps1 & calc", settings)).toThrow("must be a plain .ps1 file name");
    expect(() => bootstrapCommand("x.ps1", { ...settings, secretArguments: [{ name: "AppPassword", secretUri: "hunter2-password" }] })).toThrow("secret argument AppPassword must be a versioned Key Vault secret URI");
  });
});

describe("installForceUpdateTag", () => {
  test("the version and a hash of the files and the command: any change of either is a new tag, the same inputs the same tag", () => {
    const tag = installForceUpdateTag("26.2", ["https://a/s.ps1", "https://a/p.zip"], "cmd");
    expect(tag).toMatch(/^26\.2-[0-9a-f]{16}$/);
    expect(installForceUpdateTag("26.2", ["https://a/s.ps1", "https://a/p.zip"], "cmd")).toBe(tag);
    expect(installForceUpdateTag("26.2", ["https://a/s.ps1", "https://a/p.zip"], "cmd2")).not.toBe(tag);
    expect(installForceUpdateTag("26.2", ["https://a/s2.ps1", "https://a/p.zip"], "cmd")).not.toBe(tag);
    expect(installForceUpdateTag("26.3", ["https://a/s.ps1", "https://a/p.zip"], "cmd").slice(5)).toBe(tag.slice(5));
  });
});

describe("scriptBlobName", () => {
  test("is content addressed", () => {
    expect(scriptBlobName("a")).toMatch(/^install-teams-connector-[0-9a-f]{16}\.ps1$/);
    expect(scriptBlobName("a")).toBe(scriptBlobName("a"));
    expect(scriptBlobName("a")).not.toBe(scriptBlobName("b"));
  });
});
