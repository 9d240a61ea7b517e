/** The next-step outputs as plain functions: the seed's InstructionUri examples reproduced exactly, capacity, DNS, Pexip Infinity. */
import * as pulumi from "@pulumi/pulumi";
import { installMocks } from "../tools/engine/mocks";
import { unwrap } from "./harness";
import type { DialInstructions } from "../components/config";

// Outputs resolve without an engine; mocks only so that the SDK has a runtime to attach them to.
installMocks({ project: "pexip-teams-connector", stack: "eu", subscriptionId: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee" });

const SEED_APP_ID = "c054d1cb-7961-48e1-b004-389e81356232";
const BASE: DialInstructions = { nodeAddress: "px.vc.example.com", ivr: "teams", domain: "example.com", browser: true };

describe("InstructionUri and the Teams PowerShell commands (seed: Defining the app behavior)", () => {
  // The seed's three InstructionUri examples, verbatim.
  const EXAMPLES: [string, DialInstructions, string][] = [
    ["ip, test and w", { ...BASE, ip: "198.51.100.40", test: "test_call" },
      "https://px.vc.example.com/teams/?conf={ConfId}&ivr=teams&d=example.com&ip=198.51.100.40&test=test_call&w"],
    ["test and w", { ...BASE, test: "test_call" },
      "https://px.vc.example.com/teams/?conf={ConfId}&ivr=teams&d=example.com&test=test_call&w"],
    ["ip, test, prefix and w", { ...BASE, ip: "198.51.100.40", test: "test_call", prefix: "teams." },
      "https://px.vc.example.com/teams/?conf={ConfId}&ivr=teams&d=example.com&ip=198.51.100.40&test=test_call&prefix=teams.&w"],
  ];

  const TENANT_ID = "11111111-2222-3333-4444-555555555555";

  test.each(EXAMPLES)("%s: the URI, and the complete script with the guide's command", async (_label, d, uri) => {
    const { instructionUri, teamsPowerShell } = await import("../components/nextSteps");
    expect(instructionUri(d)).toBe(uri);
    const text = await unwrap(teamsPowerShell(d, SEED_APP_ID, TENANT_ID));
    expect(text.split("\n")).toEqual([
      "# Microsoft Teams, once per tenant. Run in PowerShell as a Teams Administrator of the tenant",
      "# (Pexip's guide asks for a Global Administrator).",
      "# The MicrosoftTeams module, once per machine (Update-Module MicrosoftTeams if it is installed already):",
      "Install-Module -Name MicrosoftTeams -Scope CurrentUser",
      `Connect-MicrosoftTeams -TenantId "${TENANT_ID}"`,
      'New-CsVideoInteropServiceProvider -Name Pexip -TenantKey "teams@example.com" `',
      `  -InstructionUri "${uri}" \``,
      `  -AllowAppGuestJoinsAsAuthenticated $true -AadApplicationIds "${SEED_APP_ID}"`,
      "Grant-CsTeamsVideoInteropServicePolicy -PolicyName PexipServiceProviderEnabled -Global",
      "# These take up to 6 hours to come into effect. Later changes (another alias or InstructionUri, a new app ID):",
      '# Set-CsVideoInteropServiceProvider -Identity Pexip -TenantKey "teams@example.com" `',
      `#   -InstructionUri "${uri}" \``,
      `#   -AllowAppGuestJoinsAsAuthenticated $true -AadApplicationIds "${SEED_APP_ID}"`,
    ]);
    // Joined at the backticks, the command is the guide's, word for word.
    const joined = text.split("\n").slice(5, 8).map((l) => l.replace(/ `$/, "").trim()).join(" ");
    expect(joined).toBe(`New-CsVideoInteropServiceProvider -Name Pexip -TenantKey "teams@example.com" -InstructionUri "${uri}" -AllowAppGuestJoinsAsAuthenticated $true -AadApplicationIds "${SEED_APP_ID}"`);
  });

  test("the seed's revised URI without the test call, and no &w when browser is false", async () => {
    const { instructionUri } = await import("../components/nextSteps");
    expect(instructionUri({ ...BASE, ip: "198.51.100.40" })).toBe("https://px.vc.example.com/teams/?conf={ConfId}&ivr=teams&d=example.com&ip=198.51.100.40&w");
    expect(instructionUri({ ...BASE, browser: false })).toBe("https://px.vc.example.com/teams/?conf={ConfId}&ivr=teams&d=example.com");
  });

  test("the app and tenant IDs may be Outputs (the us stack's StackReference)", async () => {
    const { teamsPowerShell } = await import("../components/nextSteps");
    const text = await unwrap(teamsPowerShell(BASE, pulumi.output(SEED_APP_ID), pulumi.output(TENANT_ID)));
    expect(text).toContain(`-AadApplicationIds "${SEED_APP_ID}"`);
    expect(text).toContain(`Connect-MicrosoftTeams -TenantId "${TENANT_ID}"`);
  });

  test("without dialInstructions the step is still there: what is missing, install and connect, the commands as comments", async () => {
    const { teamsPowerShell } = await import("../components/nextSteps");
    const lines = (await unwrap(teamsPowerShell(undefined, SEED_APP_ID, TENANT_ID))).split("\n");
    expect(lines[2]).toBe("# Missing: pexip-teams-connector:dialInstructions is not set (nodeAddress, ivr, domain; optionally");
    expect(lines).toContain("#   pulumi config set --path dialInstructions.ivr <Virtual Reception alias name part, e.g. teams>");
    expect(lines).toContain("Install-Module -Name MicrosoftTeams -Scope CurrentUser");
    expect(lines).toContain(`Connect-MicrosoftTeams -TenantId "${TENANT_ID}"`);
    expect(lines).toContain('# New-CsVideoInteropServiceProvider -Name Pexip -TenantKey "<ivr>@<domain>" `');
    expect(lines).toContain("# Grant-CsTeamsVideoInteropServicePolicy -PolicyName PexipServiceProviderEnabled -Global");
    // Nothing runs that cannot work yet: every line but the module install and sign-in is a comment.
    expect(lines.filter((l) => !l.startsWith("#"))).toEqual(["Install-Module -Name MicrosoftTeams -Scope CurrentUser", `Connect-MicrosoftTeams -TenantId "${TENANT_ID}"`]);
  });

  test("a region after the first says the tenant's provider is shared and done with the first stack", async () => {
    const { teamsPowerShell } = await import("../components/nextSteps");
    const text = await unwrap(teamsPowerShell(BASE, SEED_APP_ID, TENANT_ID, { appStack: "organization/pexip-teams-connector/eu" }));
    expect(text.split("\n").slice(2, 4)).toEqual([
      "# The tenant has one Pexip interop provider for all regions: it was set up with the stack",
      "# organization/pexip-teams-connector/eu. Run this only to replace it (with the Set- form at the end).",
    ]);
  });

  test.each([
    [{ ivr: "teams@example.com" }, /ivr "teams@example.com" must be the name part/],
    [{ test: "test_call@example.com" }, /test "test_call@example.com" must be the name part/],
    [{ ip: "198.51.100.40,198.51.100.41" }, /ip "198.51.100.40,198.51.100.41" must be one IPv4 address/],
    [{ domain: "example" }, /domain "example" must be a domain name/],
    [{ nodeAddress: "px vc" }, /nodeAddress "px vc" must be/],
    [{ prefix: "teams/" }, /prefix "teams\/" must be a dial prefix/],
  ] as [Partial<DialInstructions>, RegExp][])("invalid %j is refused", async (change, message) => {
    const { teamsPowerShell, instructionUri } = await import("../components/nextSteps");
    expect(() => instructionUri({ ...BASE, ...change })).toThrow(message);
    expect(() => teamsPowerShell({ ...BASE, ...change }, SEED_APP_ID, "t")).toThrow(message);
  });
});

describe("capacity", () => {
  const note = "A rolling upgrade creates one batch of new instances before it removes the old ones (MaxSurge); without quota for that batch Azure upgrades in place and the batch stops serving while it installs.";
  test("15 calls per instance (16 max); the quota of n instances plus one surge batch, vCPUs and Standard public IPs", async () => {
    const { capacity } = await import("../components/nextSteps");
    expect(capacity({ instanceCount: 3, expectedConcurrentCalls: 40, vmSize: "Standard_F4s" })).toEqual({
      instances: 3, approximateConcurrentCalls: 45, maxConcurrentCalls: 48, vcpusPerInstance: 4, vcpuQuotaFamily: "standardFSFamily",
      surgeBatch: 1, vcpuQuota: 16, standardPublicIps: 5, quotaNote: note,
      expectedConcurrentCalls: 40, instancesForExpectedCalls: 3, vcpuQuotaForExpectedCalls: 16,
    });
    expect(capacity({ instanceCount: 2, expectedConcurrentCalls: 100 })).toEqual({
      instances: 2, approximateConcurrentCalls: 30, maxConcurrentCalls: 32, vcpusPerInstance: 4, vcpuQuotaFamily: "standardFSFamily",
      surgeBatch: 1, vcpuQuota: 12, standardPublicIps: 4, quotaNote: note,
      expectedConcurrentCalls: 100, instancesForExpectedCalls: 7, vcpuQuotaForExpectedCalls: 32,
      shortfall: "100 concurrent calls need 7 instances (about 15 calls each); instanceCount is 2",
    });
    expect(capacity({ instanceCount: 5, expectedConcurrentCalls: undefined })).toEqual({
      instances: 5, approximateConcurrentCalls: 75, maxConcurrentCalls: 80, vcpusPerInstance: 4, vcpuQuotaFamily: "standardFSFamily",
      surgeBatch: 1, vcpuQuota: 24, standardPublicIps: 7, quotaNote: note,
    });
  });

  test("the size decides vCPUs and the quota family; from 21 instances a surge batch is more than one instance", async () => {
    const { capacity } = await import("../components/nextSteps");
    expect(capacity({ instanceCount: 40, expectedConcurrentCalls: undefined, vmSize: "Standard_F8s_v2" })).toMatchObject({
      vcpusPerInstance: 8, vcpuQuotaFamily: "standardFSv2Family", surgeBatch: 2, vcpuQuota: 336, standardPublicIps: 43,
    });
    expect(capacity({ instanceCount: 100, expectedConcurrentCalls: undefined, vmSize: "Standard_D4ds_v5" })).toMatchObject({
      vcpuQuotaFamily: "standardDDSv5Family", surgeBatch: 5, vcpuQuota: 420, standardPublicIps: 106,
    });
    // Outside the table: the vCPUs the name states (Azure's naming convention), else the minimum of 4.
    expect(capacity({ instanceCount: 1, expectedConcurrentCalls: undefined, vmSize: "Standard_X9" })).toMatchObject({
      vcpusPerInstance: 9, vcpuQuotaFamily: "unknown", surgeBatch: 1, vcpuQuota: 18, standardPublicIps: 3,
    });
    expect(capacity({ instanceCount: 1, expectedConcurrentCalls: undefined, vmSize: "Custom_Size" })).toMatchObject({
      vcpusPerInstance: 4, vcpuQuotaFamily: "unknown", surgeBatch: 1, vcpuQuota: 8, standardPublicIps: 3,
    });
  });
});

describe("dnsRecord", () => {
  test("the A record to create, or the zone it is created in", async () => {
    const { dnsRecord } = await import("../components/nextSteps");
    const fqdn = "pexip-teamsconn-eu.teams.example.com";
    expect(await unwrap(dnsRecord({ connectorFqdn: fqdn, dnsZone: undefined }, "20.1.2.3")))
      .toBe("Create this externally resolvable DNS record: pexip-teamsconn-eu.teams.example.com. IN A 20.1.2.3");
    expect(await unwrap(dnsRecord({ connectorFqdn: fqdn, dnsZone: { resourceGroup: "dns-rg", name: "teams.example.com" } }, pulumi.output("20.1.2.3"))))
      .toBe("pexip-teamsconn-eu.teams.example.com. IN A 20.1.2.3 (created by this stack in the Azure DNS zone teams.example.com, resource group dns-rg)");
  });
});

describe("callRoutingRule (the Pexip Infinity step's regex)", () => {
  test("the seed's rule: both dial forms, the conference ID extracted, the dot literal", async () => {
    const { callRoutingRule } = await import("../components/nextSteps");
    const r = callRoutingRule({ domain: "example.com" });
    expect(r).toEqual({ destinationAliasRegexMatch: "(\\d{9,12})(@example\\.com)?", destinationAliasRegexReplaceString: "\\1" });
    const re = new RegExp(`^${r.destinationAliasRegexMatch}$`);
    expect("234567890@example.com".replace(re, "$1")).toBe("234567890");
    expect("234567890".replace(re, "$1")).toBe("234567890");
    expect(re.test("234567890@exampleXcom")).toBe(false);
  });

  test("with prefix: the seed's teams\\. variant and the Virtual Reception post-lookup transform", async () => {
    const { callRoutingRule } = await import("../components/nextSteps");
    const r = callRoutingRule({ domain: "example.com", prefix: "teams." });
    expect(r).toEqual({
      destinationAliasRegexMatch: "teams\\.(\\d{9,12})@example\\.com",
      destinationAliasRegexReplaceString: "\\1",
      virtualReceptionPostLookupRegexMatch: "(.*)",
      virtualReceptionPostLookupRegexReplaceString: "teams.\\1@example.com",
    });
    const re = new RegExp(`^${r.destinationAliasRegexMatch}$`);
    expect("teams.121212121@example.com".replace(re, "$1")).toBe("121212121");
    expect(re.test("121212121@example.com")).toBe(false);
  });
});

describe("pexipInfinity: the Administrator interface's steps, in its order", () => {
  const TENANT = "11111111-2222-3333-4444-555555555555";
  const cfg = {
    connectorFqdn: "pexip-teamsconn-eu.teams.example.com", enhancedStatus: true, nodeFqdns: ["pxedge.vc.example.com"],
    connectorName: "pexip-eu", appStack: "", infinityManaged: false, stack: "eu",
  };
  const where = (o: { steps: { where: string }[] }) => o.steps.map((s) => s.where);
  /** A step's fields as an object (the output keeps them as an ordered list). */
  const f = (st: { set: { field: string; value: unknown }[] }) => Object.fromEntries(st.set.map((x) => [x.field, x.value]));
  const ORDER = [
    "Platform > Licenses",
    "Platform > Global Settings (Connectivity section)",
    "Call Control > Microsoft Teams Tenants > Add Teams Tenant",
    "Call Control > Microsoft Teams Connectors > Add Microsoft Teams Connector",
    "Platform > Locations > the location of the Conferencing Nodes pxedge.vc.example.com",
    "Services > Virtual Receptions > Add Virtual Reception",
    "Services > Call Routing > Add Call Routing Rule (trusted callers: lobby bypass)",
    "Services > Call Routing > Add Call Routing Rule (everyone else: held in the Teams lobby)",
  ];

  test("licence, Client API, tenant, connector (address, port, tenant, Event Hub), locations, Virtual Reception, two rules", async () => {
    const { pexipInfinity } = await import("../components/nextSteps");
    const out = pexipInfinity({ ...cfg, dialInstructions: { ...BASE, ip: "198.51.100.40" } }, TENANT, pulumi.secret("Endpoint=sb://x/;SharedAccessKey=SECRET"));
    expect(where(out)).toEqual(ORDER);
    expect(f(out.steps[1])).toEqual({ "Enable support for Pexip Infinity Connect clients and Client API": true });
    expect(f(out.steps[2])).toEqual({ Name: "pexip-eu tenant", "Teams tenant ID": TENANT });
    // In the order of the Add Microsoft Teams Connector form.
    expect(out.steps[3].set.map((x) => x.field)).toEqual(["Name", "Address of Teams Connector", "Port", "Teams tenant", "Enable enhanced status information", "Azure Event Hub connection string"]);
    expect(f(out.steps[3])).toEqual({
      Name: "pexip-eu", "Address of Teams Connector": "pexip-teamsconn-eu.teams.example.com", Port: 443, "Teams tenant": "pexip-eu tenant",
      "Enable enhanced status information": true,
      "Azure Event Hub connection string": "pulumi stack output --show-secrets eventHubConnectionString",
    });
    expect(f(out.steps[4])).toEqual({ "Microsoft Teams Connector": "pexip-eu" });
    expect(f(out.steps[5])).toMatchObject({ "Virtual Reception type": "Microsoft Teams", "Teams Connector": "pexip-eu", "Alias (#1)": "teams@example.com", "Alias (#2)": "198.51.100.40" });
    expect([f(out.steps[6])["Treat as trusted"], f(out.steps[6]).Priority, f(out.steps[7])["Treat as trusted"], f(out.steps[7]).Priority]).toEqual([true, 20, false, 60]);
    for (const r of [f(out.steps[6]), f(out.steps[7])]) {
      expect(r["Destination alias regex match"]).toBe("(\\d{9,12})(@example\\.com)?");
      expect(r["Destination alias regex replace string"]).toBe("\\1");
      expect(r["Call target"]).toBe("Microsoft Teams meeting");
    }
    // The Event Hub secret is its own output: never inlined here.
    expect(JSON.stringify(out)).not.toContain("SECRET");
  });

  test("with prefix the Virtual Reception gets the post-lookup transform the rule matches", async () => {
    const { pexipInfinity } = await import("../components/nextSteps");
    const vr = f(pexipInfinity({ ...cfg, dialInstructions: { ...BASE, prefix: "teams." } }, TENANT).steps[5]);
    expect(vr).toMatchObject({ "Post-lookup regex match": "(.*)", "Post-lookup regex replace string": "teams.\\1@example.com" });
  });

  test("without dialInstructions every step is there and the missing alias is named; enhanced status off leaves the Event Hub out", async () => {
    const { pexipInfinity } = await import("../components/nextSteps");
    const out = pexipInfinity({ ...cfg, enhancedStatus: false, dialInstructions: undefined }, TENANT, undefined);
    expect(where(out)).toEqual(ORDER);
    expect(f(out.steps[5])["Alias (#1)"]).toMatch(/^missing: set dialInstructions \(ivr, domain\)/);
    expect(f(out.steps[6])["Destination alias regex match"]).toBe("(\\d{9,12})");
    expect(f(out.steps[3])["Enable enhanced status information"]).toBe(false);
    expect(f(out.steps[3])).not.toHaveProperty("Azure Event Hub connection string");
    expect(f(pexipInfinity({ ...cfg, dialInstructions: undefined }, TENANT, undefined).steps[3])["Azure Event Hub connection string"]).toMatch(/^missing: enhancedStatus is true/);
  });

  test("a second region reuses the platform and tenant steps; with the infinity key the objects are the component's", async () => {
    const { pexipInfinity } = await import("../components/nextSteps");
    const us = pexipInfinity({ ...cfg, connectorName: "pexip-us", appStack: "organization/pexip-teams-connector/eu" }, TENANT, "x");
    expect(us.steps[2]).toEqual({ where: "Call Control > Microsoft Teams Tenants", scope: "once per tenant", set: [
      { field: "do", value: "the tenant added for the organization/pexip-teams-connector/eu stack: reuse it" }, { field: "Teams tenant ID", value: TENANT }] });
    expect(f(us.steps[3])["Teams tenant"]).toBe("the tenant added for the organization/pexip-teams-connector/eu stack");
    expect(us.steps.filter((s) => s.scope === "this region").map((s) => s.where)).toEqual(ORDER.slice(3));
    const managed = pexipInfinity({ ...cfg, infinityManaged: true }, TENANT, "x");
    expect(where(managed)).toEqual([...ORDER.slice(0, 2), "Call Control > Microsoft Teams Tenants and Connectors; Services > Virtual Receptions and Call Routing", ORDER[4]]);
    expect(f(managed.steps[2]).do).toContain("npm run infinity -- apply --stack eu");
  });
});
