/**
 * The whole program per stack, for the tenant-wide pieces: the eu stack owns the app, the bot and the consent site
 * and exports what other regions need; the us stack reads them through a StackReference and creates none of them.
 */
import { containsSecret, EU_STACK_OUTPUTS, inputs, one, ofType, ProgramRun, runProgram, stackSource } from "./harness";
import { isSecretMarker } from "../tools/engine/mocks";

const TENANT_WIDE_TYPES = /^(pexip:teams:(BotChannel|ConsentSite)|azuread:|azure-native:botservice:|azure-native:web:)/;

let eu: ProgramRun;
let us: ProgramRun;
beforeAll(async () => {
  eu = await runProgram("eu", stackSource("eu").source);
  us = await runProgram("us", stackSource("us").source);
});

describe("the eu stack (no appStack) owns the tenant-wide pieces", () => {
  test("one BotChannel and one ConsentSite, with the app, bot, Teams channel and web app", () => {
    expect(ofType(eu.resources, "pexip:teams:BotChannel")).toHaveLength(1);
    expect(ofType(eu.resources, "pexip:teams:ConsentSite")).toHaveLength(1);
    expect(inputs(one(eu.resources, "azuread:index/applicationRegistration:ApplicationRegistration")).displayName).toBe("pexipTeamsConn");
    expect(inputs(one(eu.resources, "azure-native:botservice:Bot")).resourceName).toBe("pexipTeamsBot");
    expect(inputs(one(eu.resources, "azure-native:resources:ResourceGroup", "bot-rg")).resourceGroupName).toBe("pexip-TeamsBotChan-RG");
    expect(inputs(one(eu.resources, "azure-native:web:WebApp")).resourceGroupName).toBe("pexip-TeamsBotChan-RG");
    expect(ofType(eu.resources, "pulumi:pulumi:StackReference")).toHaveLength(0);
  });

  test("exports appId, appPassword (secret), consentUrl, botName and tenantId", () => {
    const app = one(eu.resources, "azuread:index/applicationRegistration:ApplicationRegistration");
    expect(eu.outputs.appId).toBe(app.state.clientId);
    expect(eu.outputs.botName).toBe("pexipTeamsBot");
    expect(eu.outputs.tenantId).toBe("11111111-2222-3333-4444-555555555555");
    expect(eu.outputs.consentUrl).toMatch(/^https:\/\/pexip-pexip-cvi-[a-z0-9]{5}\.azurewebsites\.net\/$/);
    expect(isSecretMarker(eu.rawOutputs.appPassword)).toBe(true);
    expect(eu.outputs.appPassword).toMatch(/^mock~/);
    for (const k of ["appId", "botName", "tenantId", "consentUrl"]) expect([k, isSecretMarker(eu.rawOutputs[k])]).toEqual([k, false]);
  });

  test("the app password is secret wherever it appears: no stack output or resource input carries it in clear", () => {
    const password = eu.outputs.appPassword as string;
    const clear = (v: unknown): boolean => {
      if (isSecretMarker(v)) return false;
      if (typeof v === "string") return v.includes(password);
      if (Array.isArray(v)) return v.some(clear);
      if (v && typeof v === "object") return Object.values(v).some(clear);
      return false;
    };
    for (const [k, v] of Object.entries(eu.rawOutputs)) expect([k, clear(v)]).toEqual([k, false]);
    for (const r of eu.resources) expect([r.type, r.name, clear(r.inputs)]).toEqual([r.type, r.name, false]);
    // Where it is used (the scale set's bootstrap), it arrives secret.
    const users = eu.resources.filter((r) => JSON.stringify(r.inputs).includes(password));
    for (const r of users) expect([r.type, r.name, containsSecret(r.inputs)]).toEqual([r.type, r.name, true]);
  });

  test("the next steps: Teams PowerShell with the app ID, Pexip Infinity rule for the stack's domain", () => {
    const ps = eu.outputs.teamsPowerShell.split("\n");
    expect(ps).toContain(`Connect-MicrosoftTeams -TenantId "${eu.outputs.tenantId}"`);
    expect(ps).toContain('  -InstructionUri "https://px.vc.example.com/teams/?conf={ConfId}&ivr=teams&d=example.com&test=test_call&w" `');
    expect(ps).toContain(`  -AllowAppGuestJoinsAsAuthenticated $true -AadApplicationIds "${eu.outputs.appId}"`);
    const steps = eu.outputs.pexipInfinity.steps as { where: string; set: { field: string; value: unknown }[] }[];
    const f = (where: string) => Object.fromEntries(steps.find((x) => x.where.includes(where))!.set.map((x) => [x.field, x.value]));
    expect(f("(trusted callers")["Destination alias regex match"]).toBe("(\\d{9,12})(@example\\.com)?");
    expect(f("Teams Connectors")).toMatchObject({ "Address of Teams Connector": "pexip-teamsconn-eu.teams.example.com", Port: 443 });
    expect(eu.outputs.capacity.instancesForExpectedCalls).toBe(3);
    expect(eu.outputs.dnsRecord).toMatch(/^Create this externally resolvable DNS record: pexip-teamsconn-eu\.teams\.example\.com\. IN A \d+\.\d+\.\d+\.\d+$/);
  });
});

describe("the us stack (appStack set) reads them from the eu stack", () => {
  test("creates no BotChannel, ConsentSite, Entra ID, bot or web resources", () => {
    const tenantWide = us.resources.filter((r) => TENANT_WIDE_TYPES.test(r.type)).map((r) => `${r.type}::${r.name}`);
    expect(tenantWide).toEqual([]);
    expect(us.outputs.consentUrl).toBeUndefined();
    expect(us.outputs.botName).toBeUndefined();
    expect(us.outputs.appPassword).toBeUndefined();
    expect(us.outputs.resourceGroups.bot).toBeUndefined();
  });

  test("one StackReference to organization/pexip-teams-connector/eu supplies appId and tenantId", () => {
    const ref = one(us.resources, "pulumi:pulumi:StackReference");
    expect(ref.name).toBe("organization/pexip-teams-connector/eu");
    expect(us.outputs.appId).toBe(EU_STACK_OUTPUTS.appId);
    expect(us.outputs.tenantId).toBe(EU_STACK_OUTPUTS.tenantId);
    expect(us.outputs.pexipInfinity.steps[2].set).toContainEqual({ field: "Teams tenant ID", value: EU_STACK_OUTPUTS.tenantId });
  });

  test("the eu app password stays secret in the us stack: never in clear in an input or an output", () => {
    const password = EU_STACK_OUTPUTS.appPassword;
    const users = us.resources.filter((r) => r.type !== "pulumi:pulumi:StackReference" && JSON.stringify(r.inputs).includes(password));
    for (const r of users) expect([r.type, r.name, containsSecret(r.inputs)]).toEqual([r.type, r.name, true]);
    for (const [k, v] of Object.entries(us.rawOutputs)) {
      if (JSON.stringify(v).includes(password)) expect([k, containsSecret(v)]).toEqual([k, true]);
    }
  });
});
