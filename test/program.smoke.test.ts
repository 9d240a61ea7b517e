import { one, runProgram, stackSource } from "./harness";

test("the shipped eu stack evaluates under the mocks and registers the five components", async () => {
  const run = await runProgram("eu", stackSource("eu").source);
  const types = run.resources.map((r) => r.type);
  expect(types).toEqual(expect.arrayContaining([
    "pulumi:pulumi:Stack", "pexip:teams:StaticResources", "pexip:teams:TeamsConnectorVmss", "pexip:teams:BotChannel", "pexip:teams:ConsentSite",
  ]));
  expect(one(run.resources, "pulumi:providers:azure-native").inputs.disablePulumiPartnerId).toBe("true");
  expect(run.outputs.connectorFqdn).toBe("pexip-teamsconn-eu.teams.example.com");
});

test("the us stack takes the app from the eu stack and creates no bot", async () => {
  const run = await runProgram("us", stackSource("us").source);
  const types = run.resources.map((r) => r.type);
  expect(types).not.toContain("pexip:teams:BotChannel");
  expect(types).toContain("pulumi:pulumi:StackReference");
  expect(run.outputs.appId).toBe("c054d1cb-7961-48e1-b004-389e81356232");
});
