/**
 * One regional Teams Connector stack: reads and validates the stack config (all problems at once, before any
 * resource exists), composes the components and exports the next steps the seed's install script printed.
 * `pulumi up` calls the exported function with no options; the offline plan and the tests pass their own.
 */
import * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/azure-native/provider";
import { Provider as AzureAdProvider } from "@pulumi/azuread/provider";
import { BotChannel } from "./components/botChannel";
import { ConfigSource, requireConfig, runtimeConfigSource, StackConfig } from "./components/config";
import { ConsentSite } from "./components/consentSite";
import { capacity, dnsRecord, pexipInfinity, teamsPowerShell } from "./components/nextSteps";
import { PexipInfinity } from "./components/pexipInfinity";
import { StaticResources } from "./components/staticResources";
import { SUBNET, TeamsConnectorVmss } from "./components/teamsConnectorVmss";
import { AZURE_PROVIDER_NAME, AZUREAD_PROVIDER_NAME, COMPONENT_NAMES } from "./components/naming";

/** Where the tenant-wide app comes from: this stack's BotChannel, or the first region's outputs. */
interface AppRef {
  appId: pulumi.Output<string>;
  appPassword: pulumi.Output<string>;
  tenantId: pulumi.Output<string>;
}

function main(options: main.Options = {}): Promise<Record<string, unknown>> {
  const source = options.source ?? runtimeConfigSource();
  const stack = options.stack ?? pulumi.getStack();
  // The program's one clock: every time-dependent rule (certificate validity, app password end date) reads this.
  const now = options.now ?? new Date();
  const cfg: StackConfig = requireConfig(source, {
    stack,
    projectDir: options.projectDir ?? __dirname,
    offline: options.offline ?? false,
    now,
  }, options.log);

  // The operator's usage-attribution choice is respected both ways: their partner ID, or none at all.
  const provider = new Provider(AZURE_PROVIDER_NAME, {
    subscriptionId: cfg.subscriptionId,
    location: cfg.location,
    ...(cfg.customerUsageAttribution ? { partnerId: cfg.usageAttributionId } : { disablePulumiPartnerId: true }),
  });
  // The same choice for Microsoft Graph: azuread sends Terraform's partner ID unless told otherwise.
  const adProvider = new AzureAdProvider(AZUREAD_PROVIDER_NAME, cfg.customerUsageAttribution ? { partnerId: cfg.usageAttributionId } : { disableTerraformPartnerId: true });
  const opts: pulumi.ComponentResourceOptions = { providers: [provider, adProvider] };

  // ---- tenant-wide pieces (first region only)
  let app: AppRef;
  let bot: BotChannel | undefined;
  let consent: ConsentSite | undefined;
  if (cfg.appStack === "") {
    bot = new BotChannel(COMPONENT_NAMES.bot, {
      resourceGroupName: cfg.names.botResourceGroup,
      location: cfg.location,
      appDisplayName: cfg.names.appDisplayName,
      botName: cfg.botName,
      connectorFqdn: cfg.connectorFqdn,
      appPasswordRotation: cfg.appPasswordRotation,
      appPasswordPrevious: cfg.appPasswordPrevious,
      tags: cfg.tags,
      protectApp: cfg.protectStaticResources,
    }, opts);
    consent = new ConsentSite(COMPONENT_NAMES.consent, {
      grantPropagationSeconds: cfg.grantPropagationSeconds,
      resourceGroupName: bot.resourceGroupName,
      location: cfg.location,
      baseName: cfg.baseName,
      appId: bot.appId,
      appObjectId: bot.appObjectId,
      tenantDomain: bot.publisherDomain,
      sourcePrefixes: cfg.consentSourcePrefixes,
      enabled: cfg.consentSiteEnabled,
      tags: cfg.tags,
    }, opts);
    app = { appId: bot.appId, appPassword: bot.appPassword, tenantId: bot.tenantId };
  } else {
    const ref = new pulumi.StackReference(cfg.appStack);
    app = {
      appId: ref.requireOutput("appId") as pulumi.Output<string>,
      appPassword: pulumi.secret(ref.requireOutput("appPassword") as pulumi.Output<string>),
      tenantId: ref.requireOutput("tenantId") as pulumi.Output<string>,
    };
  }

  // ---- regional pieces
  const stat = new StaticResources(COMPONENT_NAMES.static, {
    grantPropagationSeconds: cfg.grantPropagationSeconds,
    names: cfg.names,
    location: cfg.location,
    tags: cfg.tags,
    protect: cfg.protectStaticResources,
    connectorFqdn: cfg.connectorFqdn,
    certificate: cfg.certificate,
    enhancedStatus: cfg.enhancedStatus,
    existingStatic: cfg.existingStatic,
    dnsZone: cfg.dnsZone,
    adminPassword: cfg.adminPassword,
    appPassword: app.appPassword,
    instanceSubnet: { resourceGroupName: cfg.names.resourceGroup, virtualNetworkName: cfg.names.vnet, subnetName: SUBNET.name },
  }, opts);

  const vmss = new TeamsConnectorVmss(COMPONENT_NAMES.vmss, {
    names: cfg.names,
    location: cfg.location,
    zones: cfg.region.zones,
    tags: cfg.tags,
    vmSize: cfg.vmSize,
    vmImage: cfg.vmImage,
    instanceCount: cfg.instanceCount,
    capacityManagedBy: cfg.capacityManagedBy,
    adminUsername: cfg.adminUsername,
    adminPassword: stat.adminPassword,
    nodeSourcePrefixes: cfg.nodeSourcePrefixes,
    managementSourcePrefixes: cfg.managementSourcePrefixes,
    nodePorts: { signalling: cfg.nodeSignallingPorts, media: cfg.nodeMediaPorts },
    enhancedStatus: cfg.enhancedStatus,
    publicIpId: stat.publicIpId,
    identityId: stat.identityId,
    identityClientId: stat.identityClientId,
    keyVaultId: stat.keyVaultId,
    certificateSecretUri: stat.certificateSecretUri,
    certificateThumbprint: stat.certificateThumbprint,
    diskEncryptionSetId: stat.diskEncryptionSetId,
    packages: {
      resourceGroupName: stat.resourceGroupName,
      accountName: stat.packagesStorageAccountName,
      containerName: stat.packagesContainerName,
      blobEndpoint: stat.packagesBlobEndpoint,
    },
    connectorPackage: cfg.connectorPackage,
    // The package blob was StaticResources' `static-package` until it moved to the component that rolls with it.
    packageBlobAlias: { parent: stat.urn, name: "static-package" },
    appPasswordSecretUri: stat.appPasswordSecretUri,
    eventHubConnectionStringSecretUri: stat.eventHubConnectionStringSecretUri,
    identityGrants: stat.instanceAccessReady,
    connectorFqdn: cfg.connectorFqdn,
    nodeFqdns: cfg.nodeFqdns,
    connectorVersion: cfg.connectorVersion,
    incidentReporting: cfg.incidentReporting,
    windowsUpdate: cfg.windowsUpdate,
    installer: cfg.installer,
    appId: app.appId,
    tenantId: app.tenantId,
  }, opts);

  // ---- the Pexip Infinity side (optional): tenant, connector, Virtual Reception, routing rules, scheduled scaling
  const infinity = cfg.infinity
    ? new PexipInfinity(COMPONENT_NAMES.infinity, {
      settings: cfg.infinity.settings,
      password: cfg.infinity.password,
      caCertificate: cfg.infinity.caCertificate,
      stack,
      defaultConnectorName: `${cfg.baseName}-${cfg.regionCode}`,
      connectorFqdn: cfg.connectorFqdn,
      tenantId: app.tenantId,
      eventHubConnectionString: stat.eventHubConnectionString,
      dialInstructions: cfg.dialInstructions,
      now,
    }, { ...opts, dependsOn: [vmss] })
    : undefined;

  // ---- next steps (what the seed's install script printed at the end)
  const outputs: Record<string, unknown> = {
    connectorFqdn: cfg.connectorFqdn,
    connectorPublicIp: stat.publicIpAddress,
    dnsRecord: dnsRecord(cfg, stat.publicIpAddress),
    appId: app.appId,
    tenantId: app.tenantId,
    resourceGroups: {
      static: stat.resourceGroupName,
      dynamic: vmss.resourceGroupName,
      ...(bot ? { bot: bot.resourceGroupName } : {}),
    },
    // The deploy workflow waits for this scale set's rolling upgrade after `pulumi up`.
    vmssName: vmss.vmssName,
    capacity: capacity(cfg),
    pexipInfinity: pexipInfinity({
      ...cfg,
      connectorName: cfg.infinity?.settings.connectorName ?? `${cfg.baseName}-${cfg.regionCode}`,
      infinityManaged: cfg.infinity !== undefined,
      stack,
    }, app.tenantId, stat.eventHubConnectionString),
    // Always, though spec/architecture.md says "when dialInstructions is set": issue 16 asks that without them the
    // step says what is missing instead of disappearing (the importer asks for them too).
    teamsPowerShell: teamsPowerShell(cfg.dialInstructions, app.appId, app.tenantId, { appStack: cfg.appStack }),
  };
  if (stat.eventHubConnectionString) outputs.eventHubConnectionString = stat.eventHubConnectionString;
  if (infinity) outputs.infinityObjects = infinity.objects;
  if (bot && consent) {
    // Read by every other region through a StackReference (appStack).
    outputs.appPassword = bot.appPassword;
    outputs.botName = bot.botName;
    outputs.consentUrl = consent.consentUrl;
  }
  return Promise.resolve(outputs);
}

namespace main {
  /** How the offline plan and the tests run the program; `pulumi up` passes none of these. */
  export interface Options {
    /** Config source (default: the Pulumi runtime's config). */
    source?: ConfigSource;
    /** Stack name (default: `pulumi.getStack()`). */
    stack?: string;
    /** Offline evaluation: `connectorPackage` may be absent. */
    offline?: boolean;
    /** Directory relative paths in the config are resolved from (default: this project). */
    projectDir?: string;
    /** "Now" for every time-dependent rule (default: the current time, read once). */
    now?: Date;
    /** Where warnings and notices go (default: `pulumi.log.warn`). */
    log?: (message: string) => void;
  }
}

export = main;
