/** BotChannel under the shared mocks: the Entra app and its Graph permissions, the password, the Azure Bot and its Teams channel. */
import { inputs, isSecret, one, ofType, parentName, runResources, secretInputs, TENANT_ID, unwrap } from "./harness";
import { isSecretMarker } from "../tools/engine/mocks";
import type { BotChannel as BotChannelT, BotChannelArgs } from "../components/botChannel";

const ARGS: BotChannelArgs = {
  resourceGroupName: "pexip-TeamsBotChan-RG",
  location: "westeurope",
  appDisplayName: "pexipTeamsConn",
  botName: "pexipTeamsBot",
  connectorFqdn: "pexip-teamsconn-eu.teams.example.com",
  appPasswordRotation: "1",
  tags: { CostCenter: "Video Services" },
};

async function build(args: Partial<BotChannelArgs> = {}) {
  const { BotChannel } = await import("../components/botChannel");
  let bot: BotChannelT | undefined;
  const monitor = await runResources("eu", () => { bot = new BotChannel("bot", { ...ARGS, ...args }); });
  return { monitor, resources: monitor.registrations, bot: bot! };
}

describe("BotChannel", () => {
  test("the app registration is multi-tenant and requests exactly the Graph permissions, roles and scopes apart", async () => {
    const { resources } = await build();
    const app = one(resources, "azuread:index/applicationRegistration:ApplicationRegistration");
    expect(inputs(app).displayName).toBe("pexipTeamsConn");
    expect(inputs(app).signInAudience).toBe("AzureADMultipleOrgs");
    expect(parentName(app)).toBe("bot");
    const access = inputs(one(resources, "azuread:index/applicationApiAccess:ApplicationApiAccess"));
    expect(access.apiClientId).toBe("00000003-0000-0000-c000-000000000000");
    expect(access.applicationId).toMatch(/^\/applications\/[0-9a-f-]{36}$/);
    expect([...access.roleIds].sort()).toEqual([
      "284383ee-7f6e-4e40-a2a8-e85dcb029101", "4c277553-8a09-487b-8023-29ee378d8324", "a7a681dc-756e-4909-b988-f160edc6655f",
      "c1684f21-1984-47fa-9d61-2dc8c296bb70", "df021288-bdef-4463-88db-98f22de89214", "f6b49018-60ab-4f81-83bd-22caeabfed2d",
      "fd7ccf6b-3d28-418b-9701-cd10f5cd2fd4",
    ]);
    expect(access.scopeIds).toEqual(["e1fe6dd8-ba31-4d61-89e7-88639da4683d"]);
    // Redirect URIs belong to ConsentSite (ApplicationRedirectUris), which is incompatible with azuread.Application.
    expect(ofType(resources, "azuread:index/application:Application")).toHaveLength(0);
  });

  test("protectApp protects the app registration and its service principal only; unset protects nothing", async () => {
    const protectedNames = (rs: { name: string; protect: boolean }[]) => rs.filter((r) => r.protect).map((r) => r.name).sort();
    expect(protectedNames((await build({ protectApp: true })).resources)).toEqual(["bot-app", "bot-sp"]);
    expect(protectedNames((await build()).resources)).toEqual([]);
  });

  test("service principal for the app's client ID, bot resource group with tags", async () => {
    const { resources, bot } = await build();
    const appClientId = await unwrap(bot.appId);
    expect(inputs(one(resources, "azuread:index/servicePrincipal:ServicePrincipal")).clientId).toBe(appClientId);
    const rg = inputs(one(resources, "azure-native:resources:ResourceGroup"));
    expect(rg.resourceGroupName).toBe("pexip-TeamsBotChan-RG");
    expect(rg.location).toBe("westeurope");
    expect(rg.tags).toEqual({ CostCenter: "Video Services" });
  });

  test("Azure Bot: global, azurebot, SingleTenant in the deploying tenant, endpoint on the connector FQDN", async () => {
    const { resources, bot } = await build();
    const b = inputs(one(resources, "azure-native:botservice:Bot"));
    expect(b.resourceName).toBe("pexipTeamsBot");
    expect(b.location).toBe("global");
    expect(b.kind).toBe("azurebot");
    expect(b.sku).toEqual({ name: "F0" });
    expect(b.properties.msaAppType).toBe("SingleTenant");
    expect(b.properties.msaAppTenantId).toBe(TENANT_ID);
    expect(b.properties.msaAppId).toBe(await unwrap(bot.appId));
    expect(b.properties.endpoint).toBe("https://pexip-teamsconn-eu.teams.example.com/api/messages");
    expect(b.tags).toEqual({ CostCenter: "Video Services" });
    expect(await unwrap(bot.tenantId)).toBe(TENANT_ID);
    expect(await unwrap(bot.botName)).toBe("pexipTeamsBot");
  });

  test("Microsoft Teams channel enabled with calling on the connector's webhook", async () => {
    const { resources } = await build();
    const ch = one(resources, "azure-native:botservice:Channel");
    const c = inputs(ch);
    expect(c.resourceName).toBe("pexipTeamsBot");
    expect(c.channelName).toBe("MsTeamsChannel");
    expect(c.tags).toEqual({ CostCenter: "Video Services" });
    expect(c.properties.channelName).toBe("MsTeamsChannel");
    expect(c.properties.properties).toEqual({
      isEnabled: true,
      enableCalling: true,
      callingWebhook: "https://pexip-teamsconn-eu.teams.example.com/api/calling",
      deploymentEnvironment: "CommercialDeployment",
      acceptedTerms: true,
    });
    // The channel follows the bot: its name input comes from the bot's output.
    const botUrn = one(resources, "azure-native:botservice:Bot").urn;
    expect(ch.dependencies).toContain(botUrn);
  });

  test("a botName override is used as is", async () => {
    const { resources } = await build({ botName: "contoso-pexip-bot-7" });
    expect(inputs(one(resources, "azure-native:botservice:Bot")).resourceName).toBe("contoso-pexip-bot-7");
  });

  test("the app password is secret in the component output and in the engine's state", async () => {
    const { resources, bot } = await build();
    expect(await isSecret(bot.appPassword)).toBe(true);
    expect(await unwrap(bot.appPassword)).toMatch(/^mock~/);
    const pw = one(resources, "azuread:index/applicationPassword:ApplicationPassword");
    expect(pw.additionalSecretOutputs).toContain("value");
    expect(isSecretMarker(pw.state.value)).toBe(true);
    expect(secretInputs(pw)).toEqual([]);
    expect(inputs(pw).rotateWhenChanged).toEqual({ appPasswordRotation: "1" });
  });

  test("a non-date rotation label: two-year validity from creation; a date label: an explicit end date two years on", async () => {
    let run = await build({ appPasswordRotation: "1" });
    let pw = inputs(one(run.resources, "azuread:index/applicationPassword:ApplicationPassword"));
    expect(pw.endDateRelative).toBe("17520h");
    expect(pw.endDate).toBeUndefined();
    run = await build({ appPasswordRotation: "2026-11" });
    pw = inputs(one(run.resources, "azuread:index/applicationPassword:ApplicationPassword"));
    expect(pw.endDate).toBe("2028-11-01T00:00:00Z");
    expect(pw.endDateRelative).toBeUndefined();
    expect(pw.rotateWhenChanged).toEqual({ appPasswordRotation: "2026-11" });
    expect(pw.displayName).toBe("pulumi rotation 2026-11");
  });

});
