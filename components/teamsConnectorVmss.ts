/**
 * The regional Teams Connector: dynamic resource group, NSG, VNet, Standard load balancer on the static public IP
 * with per-instance NAT rules v2, the versioned connector package and bootstrap script (blobs in the static package
 * account), and the Windows scale set that installs them through the Custom Script Extension. Everything here is
 * replaceable (the static resources are not), but config changes are in-place diffs: a new `connectorVersion` is a
 * rolling upgrade of the scale-set model, never the seed's delete-and-redeploy.
 *
 * No secret reaches the instances through the scale-set model but the Windows admin password (which Azure takes in
 * osProfile): the install command carries the versioned Key Vault URIs of the app password and the Event Hub
 * connection string, and the bootstrap reads them with the instances' identity through the subnet's service endpoint.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import * as storage from "@pulumi/azure-native/storage";
import { InstallerConfig, WindowsUpdateConfig } from "./installer";
import {
  bootstrapCommand,
  BootstrapSettings,
  DEFAULT_ENTRY_POINT,
  installerParameters,
  installForceUpdateTag,
  InstallerValues,
  resolveArguments,
  scriptBlobName,
} from "./installer";
import { capacityIgnoreChanges } from "./capacity";
import { computerNamePrefix, DerivedNames, packageBlobName } from "./naming";
import { natRules, NatRuleSummary } from "./natRules";
import { ConcreteSecurityRule, LOAD_BALANCER } from "./network";
import { NetworkSecurity } from "./networkSecurity";
import { rollingUpgradePolicy } from "./rollingUpgrade";
import { EXTENSIONS_TIME_BUDGET, VMSS_PROVIDER_TIMEOUT_MINUTES } from "./timeBudget";
import { acceleratedNetworking, canonicalVmSize, osDiskStorageType } from "./vmSizes";
import { SCALE_SET_REPLACE_ON_CHANGES } from "./updateRules";
import { vmssArgsProblems } from "./vmssArgsChecks";

/** A marketplace image (the scale set's `imageReference`). */
export interface VmImageReference {
  /** Image publisher, e.g. MicrosoftWindowsServer. */
  publisher: string;
  /** Image offer, e.g. WindowsServer. */
  offer: string;
  /** Image SKU, e.g. 2022-datacenter-g2. */
  sku: string;
  /** Image version, or `latest`. */
  version: string;
}

export interface TeamsConnectorVmssArgs {
  /** Derived names (components/naming.ts); required. Only the dynamic ones are used here: resource group, scale set (and its computer name prefix), VNet, NSG, load balancer. */
  names: DerivedNames;
  /** Azure location of the component's resources; required. The blobs go to the static package account (`packages`), not a new one. */
  location: string;
  /** Spread the instances over zones 1, 2 and 3; required (config: the region table's `zones`). Only where the region has availability zones; a change replaces the scale set (SCALE_SET_REPLACE_ON_CHANGES). The load balancer and the static public IP stay regional. */
  zones: boolean;
  /** Tags on the resource group, NSG, VNet, load balancer and scale set; required (`{}` tags nothing). Not on the blobs or the NAT rules, which take no tags. */
  tags: Record<string, string>;
  /** VM size of the instances; required (config default Standard_F4s: 4 vCPU each). The size table (components/vmSizes.ts) decides accelerated networking and the OS disk type; a size outside it gets neither accelerated networking nor Premium SSD. */
  vmSize: string;
  /** OS image: a marketplace reference or a gallery image ID; required (config default DEFAULT_VM_IMAGE, Windows Server 2022 Datacenter Gen1). A new publisher or offer replaces the scale set; a new SKU or version is a rolling upgrade. */
  vmImage: VmImageReference | { id: string };
  /** Number of instances, 1-100 (MAX_INSTANCES, the NAT ranges' size); required (config default 3). With `capacityManagedBy: infinity`, the initial count only. */
  instanceCount: number;
  /** Who owns the instance count; required (config default `pulumi`). `pulumi`: capacity follows instanceCount. `infinity`: Pexip Infinity's minimum instances and scheduled scaling; instanceCount is the initial count and capacity changes made outside Pulumi are ignored. */
  capacityManagedBy: CapacityOwner;
  /** Windows admin user name of every instance; required (config default `pexadmin`). */
  adminUsername: string;
  /** Windows admin password (made secret here if it is not); required: the config's, or the one StaticResources generates. The only secret in the scale-set model. */
  adminPassword: pulumi.Input<string>;
  /** Conferencing Node source prefixes admitted by the signalling (443) and media rules; required, empty: any source. Not the Teams or RDP rules. */
  nodeSourcePrefixes: string[];
  /** Management prefixes allowed to RDP; required, empty: the RDP rule denies and no RDP NAT rule is created. */
  managementSourcePrefixes: string[];
  /** Conferencing Node source port ranges (`a-b` each) admitted by the signalling and media rules; required (config defaults 33000-39999 and 40000-49999). Source ports only: the instances' own ports are fixed (components/network.ts). */
  nodePorts: { signalling: string; media: string };
  /** Event Hub enabled; required. True adds the outbound AMQP rule and requires `eventHubConnectionStringSecretUri`; false: neither. */
  enhancedStatus: boolean;
  /** ARM ID of the static public IP the load balancer's frontend uses; required. Not the instances' own public IPs, which the scale set creates. */
  publicIpId: pulumi.Input<string>;
  /** ARM ID of the instances' user-assigned identity (downloads, Key Vault reads); required. */
  identityId: pulumi.Input<string>;
  /** Client ID of that identity, which the Custom Script Extension downloads with; required. */
  identityClientId: pulumi.Input<string>;
  /** ARM ID of the Key Vault that holds the connector certificate (osProfile.secrets' source vault); required. */
  keyVaultId: pulumi.Input<string>;
  /** Versioned URI of the certificate secret (osProfile.secrets): a new version rolls the instances; required. */
  certificateSecretUri: pulumi.Input<string>;
  /** SHA-1 thumbprint of the connector certificate, for the installer; required. */
  certificateThumbprint: pulumi.Input<string>;
  /** ARM ID of the disk encryption set for the OS disks; required. */
  diskEncryptionSetId: pulumi.Input<string>;
  /** The static package account the versioned blobs go to: its resource group, name, container and blob endpoint; required. The account itself is StaticResources'. */
  packages: { resourceGroupName: pulumi.Input<string>; accountName: pulumi.Input<string>; containerName: pulumi.Input<string>; blobEndpoint: pulumi.Input<string> };
  /** Local path of the Teams Connector ZIP to upload; unset (offline only): no package blob, its URL still computed from `packages`. */
  connectorPackage?: string;
  /** Where the package blob was registered before this component owned it (parent URN, logical name): an alias that keeps existing stacks' blob; unset: none. */
  packageBlobAlias?: { parent: pulumi.Input<string>; name: string };
  /** Versioned Key Vault URI of the app password secret (never the password); required. */
  appPasswordSecretUri: pulumi.Input<string>;
  /** Versioned Key Vault URI of the Event Hub connection string secret; required with enhancedStatus, else unset. */
  eventHubConnectionStringSecretUri?: pulumi.Input<string>;
  /** The instances' identity's role assignments and the propagation wait after them; the scale set depends on each. Required (`[]` orders nothing). */
  identityGrants: pulumi.Resource[];
  /** The connector's FQDN (the certificate's name), for the installer; required. No DNS record is made here (StaticResources' `dnsZone`). */
  connectorFqdn: string;
  /** Conferencing Node FQDNs or pool names the connector talks to, for the installer; required. */
  nodeFqdns: string[];
  /** Teams Connector version; required. It names the package blob: a new version is a new blob and a rolling in-place upgrade. */
  connectorVersion: string;
  /** Send incident reports to Pexip (installer value); required (config default true). */
  incidentReporting: boolean;
  /** Windows Update schedule (the seed's semantics), applied by the bootstrap; required (config defaults: day 1, 22:00 UTC, active hours 6-22). */
  windowsUpdate: WindowsUpdateConfig;
  /** Overrides of the installer's entry point and parameters inside Pexip's package; required, `{}`: DEFAULT_ENTRY_POINT and DEFAULT_PARAMETER_NAMES (components/installer.ts). */
  installer: InstallerConfig;
  /** Entra ID application (client) ID of the CVI app, for the installer; required. */
  appId: pulumi.Input<string>;
  /** Tenant the app is registered in, for the installer; required. */
  tenantId: pulumi.Input<string>;
}

/** The Key Vault service endpoint on the instances' subnet: their requests reach the vault from the subnet, which its firewall admits. */
// Service endpoints extend the subnet's identity to the service https://learn.microsoft.com/en-us/azure/virtual-network/virtual-network-service-endpoints-overview
export const SUBNET_SERVICE_ENDPOINTS = ["Microsoft.KeyVault"] as const;

/** The bootstrap script shipped with this repository. */
export const BOOTSTRAP_SCRIPT_PATH = path.join(__dirname, "bootstrap", "install-teams-connector.ps1");

/** Address plan: one /24 holds the 100 instances the NAT ranges allow (Azure keeps 5 addresses per subnet). */
// Azure reserves the first four and the last address of each subnet https://learn.microsoft.com/en-us/azure/virtual-network/virtual-networks-faq#are-there-any-restrictions-on-using-ip-addresses-within-these-subnets
export const VNET_ADDRESS_SPACE = "10.0.0.0/16";
export const SUBNET = { name: "instances", addressPrefix: "10.0.0.0/24" } as const;
/** Stable sub-resource names of the load balancer and the scale set's extensions. */
export const LB_FRONTEND = "frontend";
export const LB_BACKEND_POOL = "instances";
export const EXTENSIONS = { install: "install-teams-connector", health: "application-health" } as const;
/** Automatic repairs wait this long after a state change: a new instance takes up to ~30 minutes to install. */
// gracePeriod: ISO 8601, at least PT10M and at most PT90M https://learn.microsoft.com/en-us/rest/api/compute/virtual-machine-scale-sets/create-or-update#automaticrepairspolicy
export const REPAIR_GRACE_PERIOD = "PT60M";

/** Who owns the scale set's instance count. */
export type CapacityOwner = "pulumi" | "infinity";

export class TeamsConnectorVmss extends pulumi.ComponentResource {
  public readonly resourceGroupName: pulumi.Output<string>;
  public readonly vmssName: pulumi.Output<string>;
  public readonly vmssId: pulumi.Output<string>;
  public readonly loadBalancerId: pulumi.Output<string>;
  public readonly nsgId: pulumi.Output<string>;
  /** The NSG's concrete rules (plain data). */
  public readonly securityRules: ConcreteSecurityRule[];
  /** The load balancer's NAT rules v2 (plain data). */
  public readonly natRules: NatRuleSummary[];
  /** Name of the bootstrap script blob (content hash). */
  public readonly bootstrapBlobName: string;
  /** URL of the connector ZIP in the package container (private: read with the managed identity). */
  public readonly packageUrl: pulumi.Output<string>;

  constructor(name: string, args: TeamsConnectorVmssArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pexip:teams:TeamsConnectorVmss", name, {}, opts);
    const problems = vmssArgsProblems(args);
    if (problems.length > 0) throw new Error(`TeamsConnectorVmss ${name}: ${problems.join("; ")}`);
    const { names, location, tags } = args;

    const rg = new resources.ResourceGroup(`${name}-rg`, { resourceGroupName: names.resourceGroup, location, tags }, { parent: this });

    const nsg = new NetworkSecurity(`${name}-nsg`, {
      resourceGroupName: rg.name,
      location,
      networkSecurityGroupName: names.nsg,
      nodeSourcePrefixes: args.nodeSourcePrefixes,
      managementSourcePrefixes: args.managementSourcePrefixes,
      nodePorts: args.nodePorts,
      enhancedStatus: args.enhancedStatus,
      tags,
    }, { parent: this });

    const vnet = new network.VirtualNetwork(`${name}-vnet`, {
      resourceGroupName: rg.name,
      location,
      virtualNetworkName: names.vnet,
      addressSpace: { addressPrefixes: [VNET_ADDRESS_SPACE] },
      subnets: [{
        name: SUBNET.name,
        addressPrefix: SUBNET.addressPrefix,
        networkSecurityGroup: { id: nsg.nsgId },
        // New subnets get no implicit internet access; the instances' own public IPs are their explicit outbound.
        defaultOutboundAccess: false,
        serviceEndpoints: SUBNET_SERVICE_ENDPOINTS.map((service) => ({ service })),
      }],
      tags,
    }, { parent: this });
    const subnetId = pulumi.interpolate`${vnet.id}/subnets/${SUBNET.name}`;

    // Sub-resource IDs of the load balancer are known before it exists: its inline parts reference each other.
    const lbPath = pulumi.interpolate`${rg.id}/providers/Microsoft.Network/loadBalancers/${names.loadBalancer}`;
    const frontendId = pulumi.interpolate`${lbPath}/frontendIPConfigurations/${LB_FRONTEND}`;
    const poolId = pulumi.interpolate`${lbPath}/backendAddressPools/${LB_BACKEND_POOL}`;
    const probeId = pulumi.interpolate`${lbPath}/probes/${LOAD_BALANCER.probe.name}`;
    const lb = new network.LoadBalancer(`${name}-lb`, {
      resourceGroupName: rg.name,
      location,
      loadBalancerName: names.loadBalancer,
      sku: { name: "Standard", tier: "Regional" },
      // The static public IP: DNS points at it and it survives every upgrade.
      frontendIPConfigurations: [{ name: LB_FRONTEND, publicIPAddress: { id: args.publicIpId } }],
      backendAddressPools: [{ name: LB_BACKEND_POOL }],
      probes: [{ ...LOAD_BALANCER.probe }],
      loadBalancingRules: [{
        ...LOAD_BALANCER.rule,
        frontendIPConfiguration: { id: frontendId },
        backendAddressPool: { id: poolId },
        probe: { id: probeId },
        // Outbound goes through each instance's own public IP, not the load balancer's SNAT.
        disableOutboundSnat: true,
      }],
      // inboundNatRules are standalone resources below (never inline: mixing the two deletes rules).
      tags,
    }, { parent: this });

    this.natRules = natRules(args.managementSourcePrefixes);
    for (const r of this.natRules) {
      // Keyed by the stable rule name: RDP on/off creates or deletes exactly this one resource.
      new network.InboundNatRule(`${name}-${r.name}`, {
        resourceGroupName: rg.name,
        loadBalancerName: lb.name,
        inboundNatRuleName: r.name,
        protocol: r.protocol,
        frontendIPConfiguration: { id: frontendId },
        frontendPortRangeStart: r.frontendPortRangeStart,
        frontendPortRangeEnd: r.frontendPortRangeEnd,
        backendAddressPool: { id: poolId },
        backendPort: r.backendPort,
      }, { parent: this });
    }

    // ---- the versioned blobs in the static package account: they roll with the version, the account stays
    const pkg = args.packages;
    const blobName = packageBlobName(args.connectorVersion);
    if (args.connectorPackage !== undefined) {
      const blob = new storage.Blob(`${name}-package`, {
        resourceGroupName: pkg.resourceGroupName,
        accountName: pkg.accountName,
        containerName: pkg.containerName,
        blobName,
        type: "Block",
        contentType: "application/zip",
        source: new pulumi.asset.FileAsset(args.connectorPackage),
        // Instances still on the previous version may be repaired or reimaged mid-rollout: keep old packages.
      }, { parent: this, retainOnDelete: true, aliases: args.packageBlobAlias ? [{ name: args.packageBlobAlias.name, parent: args.packageBlobAlias.parent }] : [] });
      this.packageUrl = blob.url;
    } else {
      this.packageUrl = pulumi.interpolate`${pkg.blobEndpoint}${pkg.containerName}/${blobName}`;
    }

    // The bootstrap script: a content-addressed blob next to the connector package.
    const script = fs.readFileSync(BOOTSTRAP_SCRIPT_PATH, "utf8");
    this.bootstrapBlobName = scriptBlobName(script);
    const scriptBlob = new storage.Blob(`${name}-bootstrap-script`, {
      resourceGroupName: pkg.resourceGroupName,
      // The package account: the logs account has shared-key access off, and azure-native's Blob uploads with the key.
      accountName: pkg.accountName,
      containerName: pkg.containerName,
      blobName: this.bootstrapBlobName,
      contentType: "text/plain",
      source: new pulumi.asset.StringAsset(script),
      // Instances still on the previous model may be repaired or reimaged mid-rollout: keep old scripts.
    }, { parent: this, retainOnDelete: true });

    // The extension saves each fileUri under its last path segment.
    const packageFile = this.packageUrl.apply((u) => decodeURIComponent(u.split("?")[0].split("/").pop() ?? ""));
    const installerArgs = installerParameters(args.installer.parameters);
    // No secret in here: secret values travel as their versioned Key Vault URIs, so every change shows in a plan.
    const commandToExecute = pulumi
      .all([packageFile, args.appId, args.appPasswordSecretUri, args.tenantId, args.certificateThumbprint, args.eventHubConnectionStringSecretUri, args.identityId])
      .apply(([pkgFile, appId, appPasswordUri, tenantId, thumbprint, eventHubUri, identityResourceId]) => {
        const values: InstallerValues = {
          connectorFqdn: args.connectorFqdn,
          nodeFqdns: args.nodeFqdns,
          appId,
          appPassword: appPasswordUri,
          tenantId,
          incidentReporting: args.incidentReporting,
          eventHubConnectionString: eventHubUri,
          certificateThumbprint: thumbprint,
        };
        const settings: BootstrapSettings = {
          connectorVersion: args.connectorVersion,
          packageFile: pkgFile,
          entryPoint: args.installer.entryPoint ?? DEFAULT_ENTRY_POINT,
          windowsUpdate: args.windowsUpdate,
          ...resolveArguments(installerArgs, values),
          identityResourceId,
        };
        return bootstrapCommand(this.bootstrapBlobName, settings);
      });
    const fileUris = [scriptBlob.url, this.packageUrl];
    // Any change of what the install depends on re-runs it; an unchanged model leaves running instances alone.
    const forceUpdateTag = pulumi.all([pulumi.all(fileUris), commandToExecute]).apply(([uris, cmd]) => installForceUpdateTag(args.connectorVersion, uris, cmd));

    const image = "id" in args.vmImage ? { id: args.vmImage.id } : { ...args.vmImage };
    const vmSize = canonicalVmSize(args.vmSize);
    const vmss = new compute.VirtualMachineScaleSet(`${name}-vmss`, {
      resourceGroupName: rg.name,
      location,
      vmScaleSetName: names.vmss,
      orchestrationMode: "Uniform",
      sku: { name: vmSize, tier: "Standard", capacity: args.instanceCount },
      ...(args.zones ? { zones: ["1", "2", "3"] } : {}),
      // Overprovisioning briefly runs (and installs on) extra instances: the seed's "more instances than expected".
      overprovision: false,
      upgradePolicy: { mode: "Rolling", rollingUpgradePolicy: rollingUpgradePolicy(args.instanceCount) },
      automaticRepairsPolicy: { enabled: true, gracePeriod: REPAIR_GRACE_PERIOD, repairAction: "Replace" },
      identity: { type: "UserAssigned", userAssignedIdentities: [args.identityId] },
      virtualMachineProfile: {
        osProfile: {
          computerNamePrefix: computerNamePrefix(names.vmss),
          adminUsername: args.adminUsername,
          adminPassword: pulumi.secret(args.adminPassword),
          windowsConfiguration: {
            // Windows Update runs under the OS's own schedule, which the bootstrap sets through the AU policy keys.
            enableAutomaticUpdates: true,
            patchSettings: { patchMode: "AutomaticByOS" },
            provisionVMAgent: true,
            timeZone: "UTC",
          },
          // The connector certificate (PFX secret in Key Vault) lands in LocalMachine\My.
          secrets: [{ sourceVault: { id: args.keyVaultId }, vaultCertificates: [{ certificateUrl: args.certificateSecretUri, certificateStore: "My" }] }],
        },
        securityProfile: { encryptionAtHost: true },
        storageProfile: {
          imageReference: image,
          osDisk: {
            createOption: "FromImage",
            caching: "ReadWrite",
            managedDisk: { storageAccountType: osDiskStorageType(vmSize), diskEncryptionSet: { id: args.diskEncryptionSetId } },
          },
        },
        networkProfile: {
          networkInterfaceConfigurations: [{
            name: "nic",
            primary: true,
            enableAcceleratedNetworking: acceleratedNetworking(vmSize),
            networkSecurityGroup: { id: nsg.nsgId },
            ipConfigurations: [{
              name: "ipconfig",
              primary: true,
              subnet: { id: subnetId },
              loadBalancerBackendAddressPools: [{ id: poolId }],
              // Media goes to each instance directly. Uniform scale sets take the SKU from the Standard load
              // balancer (the API accepts `sku` here only for Flexible ones), so these are Standard public IPs.
              // publicIPAddressConfiguration.sku can only be set with orchestrationMode Flexible https://learn.microsoft.com/en-us/rest/api/compute/virtual-machine-scale-sets/create-or-update#virtualmachinescalesetpublicipaddressconfiguration
              publicIPAddressConfiguration: { name: "instance-public-ip", idleTimeoutInMinutes: 15 },
            }],
          }],
        },
        diagnosticsProfile: { bootDiagnostics: { enabled: true } },
        extensionProfile: {
          extensionsTimeBudget: EXTENSIONS_TIME_BUDGET,
          extensions: [
            {
              name: EXTENSIONS.install,
              publisher: "Microsoft.Compute",
              type: "CustomScriptExtension",
              typeHandlerVersion: "1.10",
              autoUpgradeMinorVersion: true,
              // Non-secret, and visible in diffs: the script blob (content hash), the versioned package and the
              // command with its settings and secret URIs (commandToExecute may be public or protected, not both).
              // commandToExecute in settings or protectedSettings https://learn.microsoft.com/en-us/azure/virtual-machines/extensions/custom-script-windows#property-values
              settings: { fileUris, commandToExecute },
              forceUpdateTag,
              // The identity the extension downloads fileUris with (the extension takes it here only).
              protectedSettings: { managedIdentity: { clientId: args.identityClientId } },
            },
            {
              name: EXTENSIONS.health,
              publisher: "Microsoft.ManagedServices",
              type: "ApplicationHealthWindows",
              typeHandlerVersion: "2.0",
              autoUpgradeMinorVersion: true,
              // TCP on the connector's 443 (as the load balancer's probe): the connector has no documented HTTP health path.
              settings: {
                protocol: LOAD_BALANCER.probe.protocol.toLowerCase(),
                port: LOAD_BALANCER.probe.port,
                intervalInSeconds: LOAD_BALANCER.probe.intervalInSeconds,
                numberOfProbes: LOAD_BALANCER.probe.numberOfProbes,
                gracePeriod: 900,
              },
              // Health is only meaningful once the install has run.
              provisionAfterExtensions: [EXTENSIONS.install],
            },
          ],
        },
      },
      tags,
    }, {
      parent: this,
      // The extensions download, and the bootstrap reads its secrets, with the instances' identity at first boot: its
      // grants and their wait come first.
      dependsOn: [lb, ...args.identityGrants],
      // ARM answers a create only when every extension has finished or its time budget ran out; the provider's own
      // default (2 hours) is not longer than the budget, so the deployment would fail while the instances still install.
      customTimeouts: { create: `${VMSS_PROVIDER_TIMEOUT_MINUTES}m`, update: `${VMSS_PROVIDER_TIMEOUT_MINUTES}m` },
      ignoreChanges: capacityIgnoreChanges(args.capacityManagedBy),
      // Zones and image publisher/offer cannot change in place: a deliberate replace, and with a fixed scale-set name
      // the old set must go first (documented downtime: docs/upgrading.md).
      replaceOnChanges: [...SCALE_SET_REPLACE_ON_CHANGES],
      deleteBeforeReplace: true,
    });

    this.resourceGroupName = rg.name;
    this.vmssName = vmss.name;
    this.vmssId = vmss.id;
    this.loadBalancerId = lb.id;
    this.nsgId = nsg.nsgId;
    this.securityRules = nsg.rules;
    this.registerOutputs({
      resourceGroupName: this.resourceGroupName,
      vmssName: this.vmssName,
      vmssId: this.vmssId,
      loadBalancerId: this.loadBalancerId,
      nsgId: this.nsgId,
      securityRules: this.securityRules,
      natRules: this.natRules,
      packageUrl: this.packageUrl,
    });
  }
}
