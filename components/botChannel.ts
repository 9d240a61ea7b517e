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
import { isFqdn } from "./config";
import { BOT_NAME_PATTERN } from "./naming";
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

/** Validity of an application password: two years, the longest Entra ID offers in its portal. */
export const APP_PASSWORD_VALIDITY_MONTHS = 24;
/** Warn when the password expires within this many days. */
export const APP_PASSWORD_WARN_DAYS = 60;

const DATE_LABEL = /^(\d{4})-(\d{2})(?:-(\d{2}))?(?:$|[^0-9])/;

/**
 * The password's explicit end date, derived from the `appPasswordRotation` label so that it is the same on every run:
 * a label that starts with a date (`2026-11`, `2026-11-15`, `2026-11-rotation`) is the issue date, and the password is
 * valid for APP_PASSWORD_VALIDITY_MONTHS from it. Any other label (the default `"1"`) has no date to anchor on:
 * undefined, and the password gets the same validity relative to its creation instead.
 */
export function appPasswordEndDate(label: string): string | undefined {
  const m = DATE_LABEL.exec(label);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), m[3] === undefined ? 1 : Number(m[3])];
  const issued = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12 || issued.getUTCDate() !== day) {
    throw new Error(`appPasswordRotation "${label}" starts like a date but is not one (use YYYY-MM or YYYY-MM-DD)`);
  }
  const end = new Date(Date.UTC(year, month - 1 + APP_PASSWORD_VALIDITY_MONTHS, day));
  return end.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Problems with an end date as seen at `now`: an error when already past, a warning when close. */
export function appPasswordEndDateProblem(endDate: string, now: Date): { error?: string; warning?: string } {
  const days = (Date.parse(endDate) - now.getTime()) / 86_400_000;
  if (days <= 0) return { error: `the application password's end date ${endDate} is in the past: set appPasswordRotation to this month (e.g. ${now.toISOString().slice(0, 7)}) to issue a new one` };
  if (days < APP_PASSWORD_WARN_DAYS) return { warning: `the application password expires on ${endDate} (in ${Math.floor(days)} days): set appPasswordRotation to this month (e.g. ${now.toISOString().slice(0, 7)}) to issue a new one` };
  return {};
}

/** Up-front checks of the arguments (the constructor throws on errors and logs the warnings). */
export function checkBotChannelArgs(args: Pick<BotChannelArgs, "botName" | "appPasswordRotation" | "connectorFqdn">, now: Date): { errors: string[]; warnings: string[] } {
  const errors: string[] = [];
  const warnings: string[] = [];
  if (!BOT_NAME_PATTERN.test(args.botName)) errors.push(`botName "${args.botName}" must be 2-64 characters: letters, digits, _ . -, starting with a letter or digit`);
  if (!isFqdn(args.connectorFqdn)) errors.push(`connectorFqdn "${args.connectorFqdn}" must be a lower-case FQDN`);
  try {
    const endDate = appPasswordEndDate(args.appPasswordRotation);
    const problem = endDate ? appPasswordEndDateProblem(endDate, now) : {};
    if (problem.error) errors.push(problem.error);
    if (problem.warning) warnings.push(problem.warning);
  } catch (e) {
    errors.push((e as Error).message);
  }
  return { errors, warnings };
}

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
  /** Any label; changing it issues a new application password. A date label (`2026-11`) also fixes its end date. Required. */
  appPasswordRotation: string;
  /** Tags on the resource group and the bot (Entra ID objects take no ARM tags). Required. */
  tags: Record<string, string>;
  /** "Now", for the password expiry check (default: the current time). */
  now?: Date;
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
    const check = checkBotChannelArgs(args, args.now ?? new Date());
    if (check.errors.length > 0) throw new Error(`BotChannel ${name}: ${check.errors.join("; ")}`);
    for (const w of check.warnings) pulumi.log.warn(w, this);
    const endDate = appPasswordEndDate(args.appPasswordRotation);

    const rg = new resources.ResourceGroup(`${name}-rg`, {
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      tags: args.tags,
    }, { parent: this });

    const client = azuread.getClientConfigOutput({ parent: this });

    // Multi-tenant: every tenant whose Teams meetings the connector joins consents to this one app.
    const app = new azuread.ApplicationRegistration(`${name}-app`, {
      displayName: args.appDisplayName,
      signInAudience: "AzureADMultipleOrgs",
      notes: "Pexip Teams Connector (CVI) app; managed by Pulumi (pexip-teams-connector).",
    }, { parent: this });

    new azuread.ApplicationApiAccess(`${name}-graph-access`, {
      applicationId: app.id,
      apiClientId: MICROSOFT_GRAPH_APP_ID,
      roleIds: graphPermissionIds("Role"),
      scopeIds: graphPermissionIds("Scope"),
    }, { parent: this });

    new azuread.ServicePrincipal(`${name}-sp`, {
      clientId: app.clientId,
      notes: "Service principal of the Pexip Teams Connector (CVI) app in its home tenant.",
    }, { parent: this });

    // Same logical name across rotations; rotateWhenChanged makes a label change replace (create-before-delete) it.
    const password = new azuread.ApplicationPassword(`${name}-password`, {
      applicationId: app.id,
      displayName: `pulumi rotation ${args.appPasswordRotation}`,
      rotateWhenChanged: { appPasswordRotation: args.appPasswordRotation },
      ...(endDate ? { endDate } : { endDateRelative: `${(APP_PASSWORD_VALIDITY_MONTHS / 12) * 8760}h` }),
    }, { parent: this });

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
