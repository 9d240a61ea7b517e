// SKELETON (contract only): the regional engineer replaces the body. Args and public outputs are the contract index.ts uses.
import * as pulumi from "@pulumi/pulumi";
import { CertificateConfig, ExistingStaticNames } from "./config";
import { DerivedNames } from "./naming";

export interface StaticResourcesArgs {
  /** Derived names (static resource group, Key Vault, storage, Event Hub, identity, public IP). */
  names: DerivedNames;
  /** Azure location of every static resource. */
  location: string;
  /** Tags on the resource group and every taggable resource. */
  tags: Record<string, string>;
  /** `protect` the resource group, Key Vault and public IP (default in config: true). */
  protect: boolean;
  /** FQDN the certificate must cover, and the self-signed certificate's name. */
  connectorFqdn: string;
  /** The connector certificate: a validated PFX (secret), or a self-signed one to generate. */
  certificate: CertificateConfig;
  /** Create the Event Hub namespace, `events_hub` and `standard_access_policy`. */
  enhancedStatus: boolean;
  /** Names adopted from a PowerShell deployment, used instead of the derived ones. */
  existingStatic: ExistingStaticNames;
  /** Azure DNS zone to create the connector's A record in; unset: no record is created. */
  dnsZone?: { resourceGroup: string; name: string };
  /** Windows admin password (secret); unset: one is generated and kept in Key Vault. */
  adminPassword?: pulumi.Input<string>;
  /** Teams Connector version: names the uploaded package blob. */
  connectorVersion: string;
  /** Local path of the Teams Connector ZIP to upload; unset only offline. */
  connectorPackage?: string;
}

export class StaticResources extends pulumi.ComponentResource {
  public readonly resourceGroupName: pulumi.Output<string>;
  public readonly keyVaultId: pulumi.Output<string>;
  public readonly keyVaultName: pulumi.Output<string>;
  public readonly keyVaultUri: pulumi.Output<string>;
  public readonly certificateSecretUri: pulumi.Output<string>;
  public readonly publicIpId: pulumi.Output<string>;
  public readonly publicIpAddress: pulumi.Output<string>;
  public readonly storageAccountId: pulumi.Output<string>;
  public readonly storageAccountName: pulumi.Output<string>;
  public readonly packageUrl: pulumi.Output<string>;
  public readonly eventHubConnectionString?: pulumi.Output<string>;
  public readonly identityId: pulumi.Output<string>;
  public readonly identityClientId: pulumi.Output<string>;
  public readonly identityPrincipalId: pulumi.Output<string>;
  public readonly diskEncryptionSetId: pulumi.Output<string>;
  public readonly adminPassword: pulumi.Output<string>;
  public readonly tenantId: pulumi.Output<string>;

  constructor(name: string, args: StaticResourcesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pexip:teams:StaticResources", name, {}, opts);
    const todo = pulumi.output("");
    this.resourceGroupName = pulumi.output(args.names.staticResourceGroup);
    this.keyVaultId = this.keyVaultName = this.keyVaultUri = this.certificateSecretUri = todo;
    this.publicIpId = this.publicIpAddress = this.storageAccountId = this.storageAccountName = this.packageUrl = todo;
    this.identityId = this.identityClientId = this.identityPrincipalId = this.diskEncryptionSetId = this.tenantId = todo;
    this.adminPassword = pulumi.secret("");
    this.registerOutputs({});
  }
}
