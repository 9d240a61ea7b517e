/** The next-step outputs as plain functions: the seed's InstructionUri examples reproduced exactly, capacity, DNS, Pexip Infinity. */
import * as pulumi from "@pulumi/pulumi";
import { installMocks } from "../tools/engine/mocks";
import { unwrap } from "./harness";
import type { DialInstructions } from "../components/config";
import { NOW } from "./fixtures/clock";

// Outputs resolve without an engine; mocks only so that the SDK has a runtime to attach them to.
installMocks({ project: "pexip-teams-connector", stack: "eu", now: NOW, subscriptionId: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee" });

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

  test.each(EXAMPLES)("%s: the URI and the complete command as in the seed", async (_label, d, uri) => {
    const { instructionUri, teamsPowerShell } = await import("../components/nextSteps");
    expect(instructionUri(d)).toBe(uri);
    const text = await unwrap(teamsPowerShell(d, SEED_APP_ID));
    expect(text.split("\n")).toEqual([
      `New-CsVideoInteropServiceProvider -Name Pexip -TenantKey "teams@example.com" -InstructionUri "${uri}" -AllowAppGuestJoinsAsAuthenticated $true -AadApplicationIds "${SEED_APP_ID}"`,
      "Grant-CsTeamsVideoInteropServicePolicy -PolicyName PexipServiceProviderEnabled -Global",
    ]);
  });

  test("the seed's revised URI without the test call, and no &w when browser is false", async () => {
    const { instructionUri } = await import("../components/nextSteps");
    expect(instructionUri({ ...BASE, ip: "198.51.100.40" })).toBe("https://px.vc.example.com/teams/?conf={ConfId}&ivr=teams&d=example.com&ip=198.51.100.40&w");
    expect(instructionUri({ ...BASE, browser: false })).toBe("https://px.vc.example.com/teams/?conf={ConfId}&ivr=teams&d=example.com");
  });

  test("the app ID may be an Output (the us stack's StackReference)", async () => {
    const { teamsPowerShell } = await import("../components/nextSteps");
    const text = await unwrap(teamsPowerShell(BASE, pulumi.output(SEED_APP_ID)));
    expect(text).toContain(`-AadApplicationIds "${SEED_APP_ID}"`);
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
    expect(() => teamsPowerShell({ ...BASE, ...change }, SEED_APP_ID)).toThrow(message);
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
    expect(capacity({ instanceCount: 1, expectedConcurrentCalls: undefined, vmSize: "Standard_X9" })).toMatchObject({
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

describe("pexipInfinity", () => {
  const cfg = { connectorFqdn: "pexip-teamsconn-eu.teams.example.com", enhancedStatus: true };
  const TENANT = "11111111-2222-3333-4444-555555555555";

  test("connector address and port, tenant, Virtual Reception aliases (with the ip alias) and the seed's routing rule", async () => {
    const { pexipInfinity } = await import("../components/nextSteps");
    const out = pexipInfinity({ ...cfg, dialInstructions: { ...BASE, ip: "198.51.100.40" } }, TENANT, pulumi.secret("Endpoint=sb://x/;SharedAccessKey=SECRET"));
    expect(out.teamsConnector).toEqual({ address: "pexip-teamsconn-eu.teams.example.com", port: 443 });
    expect(await unwrap(out.tenantId)).toBe(TENANT);
    expect(out.virtualReception.aliases).toEqual(["teams@example.com", "198.51.100.40"]);
    expect(out.callRoutingRule).toEqual({ destinationAliasRegexMatch: "(\\d{9,12})(@example\\.com)?", destinationAliasRegexReplaceString: "\\1" });
    expect(out.enhancedStatus).toContain("eventHubConnectionString");
    // The Event Hub secret is its own output: never inlined here.
    expect(JSON.stringify(out)).not.toContain("SECRET");
    // The suggested rule matches both dial forms and extracts the conference ID; the escaped dot is literal.
    const re = new RegExp(`^${out.callRoutingRule.destinationAliasRegexMatch}$`);
    expect("234567890@example.com".replace(re, "$1")).toBe("234567890");
    expect("234567890".replace(re, "$1")).toBe("234567890");
    expect(re.test("234567890@exampleXcom")).toBe(false);
  });

  test("with prefix: the seed's teams\\. variant and the Virtual Reception post-lookup transform", async () => {
    const { pexipInfinity } = await import("../components/nextSteps");
    const out = pexipInfinity({ ...cfg, dialInstructions: { ...BASE, prefix: "teams." } }, TENANT);
    expect(out.callRoutingRule).toEqual({
      destinationAliasRegexMatch: "teams\\.(\\d{9,12})@example\\.com",
      destinationAliasRegexReplaceString: "\\1",
      virtualReceptionPostLookupRegexMatch: "(.*)",
      virtualReceptionPostLookupRegexReplaceString: "teams.\\1@example.com",
    });
    expect(out.virtualReception.aliases).toEqual(["teams@example.com"]);
    // The suggested regex really matches what callers dial, and extracts the conference ID.
    const re = new RegExp(`^${out.callRoutingRule.destinationAliasRegexMatch}$`);
    expect("teams.121212121@example.com".replace(re, "$1")).toBe("121212121");
    expect(re.test("121212121@example.com")).toBe(false);
  });

  test("without dialInstructions: the bare conference-ID rule, no aliases; enhanced status off says so", async () => {
    const { pexipInfinity } = await import("../components/nextSteps");
    const out = pexipInfinity({ ...cfg, enhancedStatus: false, dialInstructions: undefined }, TENANT, undefined);
    expect(out.callRoutingRule.destinationAliasRegexMatch).toBe("(\\d{9,12})");
    expect(out.virtualReception.aliases).toEqual([]);
    expect(out.enhancedStatus).toMatch(/^Enhanced status is off/);
    expect(pexipInfinity({ ...cfg, dialInstructions: undefined }, TENANT, undefined).enhancedStatus).toMatch(/^enhancedStatus is true but this stack has no Event Hub connection string output/);
  });
});
