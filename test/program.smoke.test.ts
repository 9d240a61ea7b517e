import { one, runProgram, stackSource } from "./harness";

test("the shipped eu stack evaluates under the mocks and registers the five components", async () => {
  const run = await runProgram("eu", stackSource("eu").source);
  const types = run.resources.map((r) => r.type);
  expect(types).toEqual(expect.arrayContaining([
    "pulumi:pulumi:Stack", "pexip:teams:StaticResources", "pexip:teams:TeamsConnectorVmss", "pexip:teams:BotChannel", "pexip:teams:ConsentSite",
  ]));
  expect(one(run.resources, "pulumi:providers:azure-native").inputs.disablePulumiPartnerId).toBe("true");
  // What survives everything is protected: the static resources and the app registration (protectStaticResources).
  expect(run.resources.filter((r) => r.protect).map((r) => r.name).sort()).toEqual(["bot-app", "bot-sp", "static-kv", "static-pip", "static-rg"]);
  expect(run.outputs.connectorFqdn).toBe("pexip-teamsconn-eu.teams.example.com");
});

test("the us stack takes the app from the eu stack and creates no bot", async () => {
  const run = await runProgram("us", stackSource("us").source);
  const types = run.resources.map((r) => r.type);
  expect(types).not.toContain("pexip:teams:BotChannel");
  expect(types).toContain("pulumi:pulumi:StackReference");
  expect(run.outputs.appId).toBe("c054d1cb-7961-48e1-b004-389e81356232");
});

describe("usage attribution reaches both providers (spec/config.md usageAttributionId)", () => {
  const PARTNER = "0b6b5c5e-1f3a-4a55-9c7e-2d1e4f6a8b9c";
  const providerOf = (run: Awaited<ReturnType<typeof runProgram>>, type: string) => one(run.resources, type);

  test("customerUsageAttribution false: no partner ID at all, and every Graph resource and invoke uses that provider", async () => {
    const run = await runProgram("eu", stackSource("eu").source);
    const ad = providerOf(run, "pulumi:providers:azuread");
    expect([ad.name, ad.inputs.disableTerraformPartnerId, ad.inputs.partnerId]).toEqual(["azuread", "true", undefined]);
    const ref = `${ad.urn}::${ad.id}`;
    const graph = run.resources.filter((r) => r.type.startsWith("azuread:"));
    expect(graph.length).toBeGreaterThanOrEqual(5);
    expect(graph.filter((r) => r.provider !== ref).map((r) => r.name)).toEqual([]);
    const adInvokes = run.monitor.invokes.map((t, i) => [t, run.monitor.invokeProviders[i]]).filter(([t]) => t.startsWith("azuread:"));
    expect(adInvokes).toEqual([["azuread:index/getClientConfig:getClientConfig", ref]]);
    const arm = providerOf(run, "pulumi:providers:azure-native");
    expect(run.resources.filter((r) => r.type.startsWith("azure-native:") && r.provider !== `${arm.urn}::${arm.id}`).map((r) => r.name)).toEqual([]);
  });

  test("customerUsageAttribution true: the operator's partner ID on both providers, Terraform's and Pulumi's not disabled", async () => {
    const run = await runProgram("eu", stackSource("eu", { set: { customerUsageAttribution: true, usageAttributionId: PARTNER } }).source);
    const ad = providerOf(run, "pulumi:providers:azuread");
    const arm = providerOf(run, "pulumi:providers:azure-native");
    expect([ad.inputs.partnerId, ad.inputs.disableTerraformPartnerId]).toEqual([PARTNER, undefined]);
    expect([arm.inputs.partnerId, arm.inputs.disablePulumiPartnerId]).toEqual([PARTNER, undefined]);
  });
});
