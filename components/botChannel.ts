/**
 * The tenant-wide identity of the Teams Connector, created once per tenant by the first region's stack (no `appStack`):
 * the bot resource group, the Entra ID app `<base>TeamsConn` with the seed's Graph permissions, its service principal
 * and password, and the Azure Bot with the Microsoft Teams channel and calling. Replaces the seed's
 * `New-PexTeamsCviApplication`, `New-PexTeamsCviApplicationPasswordCredential` and `Register-PexTeamsCviApplicationBot`.
 *
 * Choices (see the README for the operator's view):
 * - The app registration is `azuread.ApplicationRegistration` + `azuread.ApplicationApiAccess`, not `azuread.Application`:
 *   the consent page's redirect URI is registered by ConsentSite with `azuread.ApplicationRedirectUris`, which azuread 6.9
 *   documents as incompatible with `azuread.Application` (both would own `web.redirectUris`) and meant for
 *   `ApplicationRegistration`. This also breaks the app <-> site cycle (the site needs the app ID, the app the site URL).
 * - The app stays multi-tenant (`AzureADMultipleOrgs`): other tenants give admin consent to it, as in the seed.
 *   The Azure Bot is `SingleTenant` (app tenant = the deploying tenant): Azure Bot Service stopped accepting new
 *   multi-tenant bots on 31 July 2025 (shared/spec/architecture.md).
 * - The bot name is global across Azure. A collision fails with the seed's "InvalidBotData - Bot is not valid - Id is
 *   already in use" (another tenant owns the name): set the `botName` config key to something unique and rerun.
 */
import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import * as botservice from "@pulumi/azure-native/botservice";
import * as resources from "@pulumi/azure-native/resources";
import { APP_PASSWORD_VALIDITY_MONTHS, appPasswordEndDate, appPasswordLabels, appPasswordResourceName } from "./appPassword";
import { checkBotChannelArgs } from "./botChannelArgsChecks";
import { graphPermissionIds, MICROSOFT_GRAPH_APP_ID } from "./graphPermissions";

/**
 * Where the bot service reaches the Teams Connector. Pexip's guide does not name these paths (the connector's own
 * installer registered them); they are ASSUMPTIONS to check against the connector version's documentation.
 */
export const CONNECTOR_BOT_ENDPOINTS = {
  /** Bot Framework messaging endpoint (Azure Bot `endpoint`). */
  messagingPath: "/api/messages",
  /** Microsoft Teams calling webhook (MsTeamsChannel `callingWebhook`). */
  callingPath: "/api/calling",
} as const;

export interface BotChannelArgs {
  /** Bot resource group name (`<base>-TeamsBotChan-RG`). Required. */
  resourceGroupName: string;
  /** Location of the resource group (the bot itself is `global`). Required. */
  location: string;
  /** Entra ID application display name (`<base>TeamsConn`). Required. */
  appDisplayName: string;
  /** Azure Bot name: globally unique across Azure (default from config: `<base>TeamsBot`; override with `botName`). Required. */
  botName: string;
  /** Connector FQDN: the bot's messaging endpoint and calling webhook are on it (see CONNECTOR_BOT_ENDPOINTS). Required. */
  connectorFqdn: string;
  /** Label of the current application password (the one every region's instances get); a new label issues a new password. A date label (`2026-11`) also fixes its end date. Required. */
  appPasswordRotation: string;
  /** Label of the previous password, kept valid while a rotation rolls out to every region; unset: only the current one exists. */
  appPasswordPrevious?: string;
  /** Tags on the resource group, the bot and its Teams channel (Entra ID objects take no ARM tags). Required. */
  tags: Record<string, string>;
  /** `protect` the app registration and its service principal (not the bot or the passwords); default false. */
  protectApp?: boolean;
}

export class BotChannel extends pulumi.ComponentResource {
  /** The bot resource group's name. */
  public readonly resourceGroupName: pulumi.Output<string>;
  /** The app's client ID (the seed's `$AppId`). */
  public readonly appId: pulumi.Output<string>;
  /** The app registration's object ID (its resource ID is `/applications/<objectId>`). */
  public readonly appObjectId: pulumi.Output<string>;
  /** The app password (the seed's `$AppPassword`): secret. */
  public readonly appPassword: pulumi.Output<string>;
  /** When the app password expires (RFC 3339). */
  public readonly appPasswordEndDate: pulumi.Output<string>;
  /** The tenant the app and the bot are registered in (the deploying tenant). */
  public readonly tenantId: pulumi.Output<string>;
  /** The app's publisher domain (shown on the consent page). */
  public readonly publisherDomain: pulumi.Output<string>;
  /** The Azure Bot's name. */
  public readonly botName: pulumi.Output<string>;

  constructor(name: string, args: BotChannelArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pexip:teams:BotChannel", name, {}, opts);
    const errors = checkBotChannelArgs(args);
    if (errors.length > 0) throw new Error(`BotChannel ${name}: ${errors.join("; ")}`);

    const rg = new resources.ResourceGroup(`${name}-rg`, {
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      tags: args.tags,
    }, { parent: this });

    const client = azuread.getClientConfigOutput({ parent: this });

    // Multi-tenant: every tenant whose Teams meetings the connector joins consents to this one app. Protected with the
    // static resources: a new app has a new app ID, and every tenant's consent and the Teams interop provider with it.
    const app = new azuread.ApplicationRegistration(`${name}-app`, {
      displayName: args.appDisplayName,
      signInAudience: "AzureADMultipleOrgs",
      notes: "Pexip Teams Connector (CVI) app; managed by Pulumi (pexip-teams-connector).",
    }, { parent: this, protect: args.protectApp ?? false });

    new azuread.ApplicationApiAccess(`${name}-graph-access`, {
      applicationId: app.id,
      apiClientId: MICROSOFT_GRAPH_APP_ID,
      roleIds: graphPermissionIds("Role"),
      scopeIds: graphPermissionIds("Scope"),
    }, { parent: this });

    new azuread.ServicePrincipal(`${name}-sp`, {
      clientId: app.clientId,
      notes: "Service principal of the Pexip Teams Connector (CVI) app in its home tenant.",
    }, { parent: this, protect: args.protectApp ?? false });

    // One password per label, keyed by it: a rotation adds the new one while the previous label keeps its own alive
    // until a later `pulumi up` drops appPasswordPrevious (instances in every region roll to the new one meanwhile).
    const labels = appPasswordLabels(args);
    const passwords = labels.map((label, i) => new azuread.ApplicationPassword(appPasswordResourceName(name, label), {
      applicationId: app.id,
      displayName: `pulumi rotation ${label}`,
      rotateWhenChanged: { appPasswordRotation: label },
      ...(appPasswordEndDate(label) ? { endDate: appPasswordEndDate(label) } : { endDateRelative: `${(APP_PASSWORD_VALIDITY_MONTHS / 12) * 8760}h` }),
    }, {
      parent: this,
      // Before per-label names there was one `<name>-password`: the oldest label present takes its place in the state.
      aliases: i === labels.length - 1 ? [{ name: `${name}-password` }] : [],
    }));
    const password = passwords[0];

    const messagingEndpoint = `https://${args.connectorFqdn}${CONNECTOR_BOT_ENDPOINTS.messagingPath}`;
    const callingWebhook = `https://${args.connectorFqdn}${CONNECTOR_BOT_ENDPOINTS.callingPath}`;

    const bot = new botservice.Bot(`${name}-bot`, {
      resourceGroupName: rg.name,
      resourceName: args.botName,
      location: "global",
      kind: "azurebot",
      // Microsoft Teams is a standard channel: free on F0.
      sku: { name: "F0" },
      properties: {
        displayName: args.botName,
        endpoint: messagingEndpoint,
        msaAppId: app.clientId,
        // Multi-tenant bot creation is deprecated after July 31, 2025: single-tenant or user-assigned managed identity https://learn.microsoft.com/en-us/azure/bot-service/abs-quickstart
        msaAppType: "SingleTenant",
        msaAppTenantId: client.tenantId,
      },
      tags: args.tags,
    }, { parent: this });

    new botservice.Channel(`${name}-teams`, {
      resourceGroupName: rg.name,
      resourceName: bot.name,
      channelName: "MsTeamsChannel",
      location: "global",
      properties: {
        channelName: "MsTeamsChannel",
        properties: {
          isEnabled: true,
          enableCalling: true,
          callingWebhook,
          deploymentEnvironment: "CommercialDeployment",
          acceptedTerms: true,
        },
      },
      tags: args.tags,
    }, { parent: this });

    this.resourceGroupName = rg.name;
    this.appId = app.clientId;
    this.appObjectId = app.objectId;
    // The azuread SDK marks `value` secret already; pulumi.secret keeps that promise explicit where it leaves here.
    this.appPassword = pulumi.secret(password.value);
    this.appPasswordEndDate = password.endDate;
    this.tenantId = client.tenantId;
    this.publisherDomain = app.publisherDomain;
    this.botName = bot.name;
    this.registerOutputs({
      resourceGroupName: this.resourceGroupName,
      appId: this.appId,
      appObjectId: this.appObjectId,
      appPassword: this.appPassword,
      appPasswordEndDate: this.appPasswordEndDate,
      tenantId: this.tenantId,
      publisherDomain: this.publisherDomain,
      botName: this.botName,
    });
  }
}
