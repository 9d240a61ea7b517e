// SKELETON (contract only): the regional engineer replaces the body. Args and public outputs are the contract index.ts uses.
import * as pulumi from "@pulumi/pulumi";
import { InstallerConfig, VmImageReference, WindowsUpdateConfig } from "./config";
import { DerivedNames } from "./naming";
import { StaticResources } from "./staticResources";

export interface TeamsConnectorVmssArgs {
  /** Derived names (dynamic resource group, scale set, VNet, NSG, load balancer). */
  names: DerivedNames;
  /** Azure location. */
  location: string;
  /** Spread instances over zones 1-3 (only where the region has availability zones). */
  zones: boolean;
  /** Tags on the resource group and every taggable resource. */
  tags: Record<string, string>;
  /** VM size (default Standard_F4s: 4 vCPU each). */
  vmSize: string;
  /** OS image: marketplace reference or gallery image ID. */
  vmImage: VmImageReference | { id: string };
  /** Number of instances, 1-100. */
  instanceCount: number;
  /** Windows admin user name. */
  adminUsername: string;
  /** Windows admin password (secret). */
  adminPassword: pulumi.Input<string>;
  /** Conferencing Node source prefixes for 443 and media; empty: any source. */
  nodeSourcePrefixes: string[];
  /** Management prefixes for RDP; empty: RDP denied and no RDP NAT rule. */
  managementSourcePrefixes: string[];
  /** Event Hub enabled (outbound AMQP rule, connection string to the installer). */
  enhancedStatus: boolean;
  /** The region's static resources: public IP, identity, certificate, package, disk encryption set, Event Hub. */
  static: StaticResources;
  /** The connector's FQDN (the certificate's name). */
  connectorFqdn: string;
  /** Conferencing Node FQDNs or pool names the connector talks to. */
  nodeFqdns: string[];
  /** Teams Connector version; changing it is a rolling in-place upgrade. */
  connectorVersion: string;
  /** Send incident reports to Pexip. */
  incidentReporting: boolean;
  /** Windows Update schedule (the seed's semantics). */
  windowsUpdate: WindowsUpdateConfig;
  /** Overrides of the installer's entry point and parameters inside Pexip's package. */
  installer: InstallerConfig;
  /** Entra ID application (client) ID of the CVI app. */
  appId: pulumi.Input<string>;
  /** The CVI app's password (secret). */
  appPassword: pulumi.Input<string>;
  /** Tenant the app is registered in. */
  tenantId: pulumi.Input<string>;
}

export class TeamsConnectorVmss extends pulumi.ComponentResource {
  public readonly resourceGroupName: pulumi.Output<string>;
  constructor(name: string, args: TeamsConnectorVmssArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pexip:teams:TeamsConnectorVmss", name, {}, opts);
    this.resourceGroupName = pulumi.output(args.names.resourceGroup);
    this.registerOutputs({});
  }
}
