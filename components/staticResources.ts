/**
 * The regional resources that outlive every upgrade (the seed's "static resource group"): Key Vault with the connector
 * certificate, the disk-encryption key, the app password and the Event Hub connection string the instances read, and
 * (when generated) the Windows admin password; the static public IP that DNS points at; the logs storage account
 * (shared keys off) and the package storage account (keys on for the deployer's upload only; the versioned blobs in it
 * belong to the scale set, which rolls with them); the Event Hub for enhanced status; the instances' managed identity
 * and its least-privilege role assignments. The seed's Azure Disk Encryption and Key Vault-rotated storage keys are
 * replaced by their successors: a disk encryption set (encryption at host) and RBAC for a managed identity.
 *
 * Grants come before their use: the disk encryption set has its own user-assigned identity, granted on the vault and
 * waited for before the set exists; the instances' grants and their wait are handed to the scale set
 * (`instanceAccessReady`) to depend on.
 *
 * Logical names below are a contract with `npm run import-static` (adopting a PowerShell deployment): do not rename.
 */
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as compute from "@pulumi/azure-native/compute";
import * as dns from "@pulumi/azure-native/dns";
import * as eventhub from "@pulumi/azure-native/eventhub";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import * as storage from "@pulumi/azure-native/storage";
import * as random from "@pulumi/random";
import * as tls from "@pulumi/tls";
import { pemToPfx, pfxThumbprint, thumbprintOf } from "./certificate";
import type { CertificateInfo } from "./certificate";
import { GLOBAL_SUFFIX_LENGTH, DerivedNames, relativeRecordName } from "./naming";
import { propagationWait } from "./propagationWait";
import { RoleKey, roleDefinitionId } from "./roles";
import { hardenedStorageAccountArgs } from "./storageAccount";
import { subnetResourceId } from "./subnetResourceId";
import { vaultCertificateSecretProperties, vaultCertificateValue } from "./vaultCertificate";

/** Where the connector certificate comes from. */
export type CertificateConfig =
  | {
      kind: "pfx";
      /** The PKCS#12 file, base64 (secret). */
      pfxBase64: pulumi.Output<string>;
      /** Its password (secret). */
      password: pulumi.Output<string>;
      /** Where it came from, for people (`certificate.pfxFile` path, or `certificate.pfxBase64`). */
      origin: string;
      /** What the checks read from it; undefined when the offline plan could not decrypt it. */
      info?: CertificateInfo;
    }
  | { kind: "selfSigned" };


/** Names of static resources adopted from a PowerShell deployment, used instead of the derived ones. */
export interface ExistingStaticNames {
  /** Adopted Key Vault name; unset: `names.keyVault(suffix)`. */
  keyVaultName?: string;
  /** Adopted static public IP name; unset: `names.publicIp`. */
  publicIpName?: string;
  /** Adopted logs storage account name (not the package account's); unset: `names.storageAccount(suffix)`. */
  storageAccountName?: string;
  /** Adopted Event Hubs namespace name; unset: `names.eventHubNamespace(suffix)`. */
  eventHubNamespace?: string;
}

/** Key Vault secret holding the connector certificate (VMSS `osProfile.secrets` format). */
export const CERTIFICATE_SECRET_NAME = "connector-certificate";
/** Key Vault secret holding a generated Windows admin password. */
export const ADMIN_PASSWORD_SECRET_NAME = "admin-password";
/** Key Vault secrets the instances read at install time with their identity (the only secrets they may read). */
export const INSTANCE_SECRET_NAMES = { appPassword: "app-password", eventHubConnectionString: "event-hub-connection-string" } as const;
/** Key Vault key wrapping the disk encryption keys (encryption at host). */
export const DISK_ENCRYPTION_KEY_NAME = "disk-encryption";
/** Blob containers of the static storage accounts: `logs` in the logs account, `packages` in the package account. */
export const CONTAINERS = { logs: "logs", packages: "packages" } as const;
/** The seed: logs "are rotated daily with expiry after 30 days". */
export const LOG_RETENTION_DAYS = 30;
/** The logs' lifecycle rule: letters and digits only, as the storage API requires of rule names. */
// A rule name can contain any combination of alpha numeric characters https://learn.microsoft.com/en-us/rest/api/storagerp/management-policies/create-or-update#managementpolicyrule
export const LOG_LIFECYCLE_RULE_NAME = `deleteLogsAfter${LOG_RETENTION_DAYS}Days`;
/** Key Vault soft-delete retention (the maximum, and Azure's default). */
// Soft delete keeps a deleted vault or object for 7 to 90 days, 90 when not configured https://learn.microsoft.com/en-us/azure/key-vault/general/soft-delete-overview
export const SOFT_DELETE_RETENTION_DAYS = 90;
/** The seed's Event Hub names (Pexip Infinity's Management Node reads `events_hub` with `standard_access_policy`). */
export const EVENT_HUB = { name: "events_hub", rule: "standard_access_policy" } as const;
/** Special characters for generated admin passwords: the seed's rule excludes `\`, `-` and `$`. */
export const ADMIN_PASSWORD_SPECIALS = "!#%&*()_=+[]{}<>:?.@^~";
/** Validity of the lab self-signed certificate. */
export const SELF_SIGNED_VALIDITY_HOURS = 24 * 365;

/** The instances' subnet, by name: the vault's firewall admits it before the subnet exists (no dependency, no cycle). */
export interface InstanceSubnetRef {
  /** Name of the dynamic resource group the VNet is in (`names.resourceGroup`); required. */
  resourceGroupName: string;
  /** Name of the instances' VNet (`names.vnet`); required. It need not exist yet: the rule skips the service-endpoint check. */
  virtualNetworkName: string;
  /** Name of the instances' subnet in that VNet (TeamsConnectorVmss' `SUBNET.name`); required. The only network the vault admits (no IP rules; trusted Azure services bypass). */
  subnetName: string;
}

export interface StaticResourcesArgs {
  /** Derived names (static resource group, Key Vault, both storage accounts, Event Hub, identities, disk encryption set, public IP); required. `existingStatic` overrides some. */
  names: DerivedNames;
  /** Azure location of every static resource; required. */
  location: string;
  /** Tags on the resource group and every taggable resource (not on Key Vault secrets/keys, containers, role assignments); required. */
  tags: Record<string, string>;
  /** `protect` the resource group, Key Vault and public IP; required (config default: true). Nothing else is protected. */
  protect: boolean;
  /** FQDN the certificate must cover, and the self-signed certificate's name; required. */
  connectorFqdn: string;
  /** The connector certificate: a validated PFX (secret), or a self-signed one to generate (lab only); required. */
  certificate: CertificateConfig;
  /** Create the Event Hub namespace, `events_hub` and `standard_access_policy`; required (config default: true). False creates none, and no connection string secret. */
  enhancedStatus: boolean;
  /** Names adopted from a PowerShell deployment, used instead of the derived ones; required, `{}` derives them all. `storageAccountName` is the logs account; the resource group, package account, identities and disk encryption set always get derived names. */
  existingStatic: ExistingStaticNames;
  /** Azure DNS zone (its resource group and name) to create the connector's A record in; unset: no record is created. */
  dnsZone?: { resourceGroup: string; name: string };
  /** Windows admin password (secret); unset: one is generated and kept in Key Vault. */
  adminPassword?: pulumi.Input<string>;
  /** The CVI app's password (secret), kept in the vault for the instances to read; required. */
  appPassword: pulumi.Input<string>;
  /** The instances' subnet (in the dynamic resource group), which the vault's firewall admits; required. Named, not referenced: no dependency on the subnet. */
  instanceSubnet: InstanceSubnetRef;
  /** Seconds to wait after role assignments before their consumers (the disk encryption set, the scale set); unset: ROLE_PROPAGATION_SECONDS (600). */
  grantPropagationSeconds?: number;
}

/** Type token of the component. */
export const STATIC_RESOURCES_TYPE = "pexip:teams:StaticResources";

/**
 * The children that survive every upgrade, what an import adopts: logical-name suffix (`<component>-<suffix>`) and
 * Pulumi type token of each (a test checks the component registers exactly these).
 */
export const STATIC_CHILDREN = {
  resourceGroup: { suffix: "rg", type: "azure-native:resources:ResourceGroup" },
  keyVault: { suffix: "kv", type: "azure-native:keyvault:Vault" },
  publicIp: { suffix: "pip", type: "azure-native:network:PublicIPAddress" },
  storageAccount: { suffix: "logs", type: "azure-native:storage:StorageAccount" },
  eventHubNamespace: { suffix: "evhns", type: "azure-native:eventhub:Namespace" },
  eventHub: { suffix: "evh", type: "azure-native:eventhub:EventHub" },
  eventHubRule: { suffix: "evh-rule", type: "azure-native:eventhub:EventHubAuthorizationRule" },
} as const;

export class StaticResources extends pulumi.ComponentResource {
  public readonly resourceGroupName: pulumi.Output<string>;
  public readonly keyVaultId: pulumi.Output<string>;
  public readonly keyVaultName: pulumi.Output<string>;
  public readonly keyVaultUri: pulumi.Output<string>;
  /** Versioned URI of the certificate secret: a new certificate is a new scale-set model. */
  public readonly certificateSecretUri: pulumi.Output<string>;
  /** SHA-1 thumbprint (upper-case hex) of the connector certificate. */
  public readonly certificateThumbprint: pulumi.Output<string>;
  public readonly publicIpId: pulumi.Output<string>;
  public readonly publicIpAddress: pulumi.Output<string>;
  /** The logs account (shared-key access off): the one `existingStatic.storageAccountName` adopts. */
  public readonly storageAccountId: pulumi.Output<string>;
  /** The logs account's name. */
  public readonly storageAccountName: pulumi.Output<string>;
  /** The package account (connector ZIP and bootstrap script; shared-key access on for the deployer's upload). */
  public readonly packagesStorageAccountId: pulumi.Output<string>;
  /** The package account's name. */
  public readonly packagesStorageAccountName: pulumi.Output<string>;
  public readonly logsContainerName: pulumi.Output<string>;
  public readonly packagesContainerName: pulumi.Output<string>;
  /** The package account's blob endpoint (`https://<account>.blob.core.windows.net/`). */
  public readonly packagesBlobEndpoint: pulumi.Output<string>;
  /** Versioned URI of the app password secret: a new password is a new version, and a new scale-set model. */
  public readonly appPasswordSecretUri: pulumi.Output<string>;
  /** Versioned URI of the Event Hub connection string secret; undefined without enhancedStatus. */
  public readonly eventHubConnectionStringSecretUri?: pulumi.Output<string>;
  public readonly eventHubNamespaceName?: pulumi.Output<string>;
  /** `standard_access_policy`'s primary connection string (secret), for Pexip Infinity; undefined without enhancedStatus. */
  public readonly eventHubConnectionString?: pulumi.Output<string>;
  public readonly identityId: pulumi.Output<string>;
  public readonly identityClientId: pulumi.Output<string>;
  public readonly identityPrincipalId: pulumi.Output<string>;
  /**
   * The instances' identity's role assignments and the propagation wait after them: the scale set depends on each
   * (its extensions download the package and bootstrap script, and the bootstrap reads its secrets, with that
   * identity at first boot).
   */
  public readonly instanceAccessReady: pulumi.CustomResource[];
  public readonly diskEncryptionSetId: pulumi.Output<string>;
  /** The Windows admin password (secret), given or generated. */
  public readonly adminPassword: pulumi.Output<string>;
  /** Versioned URI of the generated admin password in Key Vault; undefined when the password was given. */
  public readonly adminPasswordSecretUri?: pulumi.Output<string>;
  /** The A record's FQDN when it was created in `dnsZone`; undefined otherwise. */
  public readonly dnsRecordFqdn?: pulumi.Output<string>;
  public readonly tenantId: pulumi.Output<string>;
  public readonly subscriptionId: pulumi.Output<string>;

  constructor(name: string, args: StaticResourcesArgs, opts?: pulumi.ComponentResourceOptions) {
    super(STATIC_RESOURCES_TYPE, name, {}, opts);
    const { names, location, tags, existingStatic } = args;
    const client = authorization.getClientConfigOutput({ parent: this });
    this.tenantId = client.tenantId;
    this.subscriptionId = client.subscriptionId;

    const rg = new resources.ResourceGroup(`${name}-${STATIC_CHILDREN.resourceGroup.suffix}`, { resourceGroupName: names.staticResourceGroup, location, tags }, { parent: this, protect: args.protect });
    const resourceGroupName = rg.name;

    // Global names need a suffix; it is random once, then kept in state (changing it would replace the resources).
    const suffix = new random.RandomString(`${name}-suffix`, {
      length: GLOBAL_SUFFIX_LENGTH,
      lower: true,
      upper: false,
      numeric: true,
      special: false,
    }, { parent: this });

    // ---- Key Vault
    const vault = new keyvault.Vault(`${name}-${STATIC_CHILDREN.keyVault.suffix}`, {
      resourceGroupName,
      location,
      vaultName: existingStatic.keyVaultName ?? suffix.result.apply((s) => names.keyVault(s)),
      properties: {
        tenantId: client.tenantId,
        sku: { family: "A", name: "standard" },
        enableSoftDelete: true,
        softDeleteRetentionInDays: SOFT_DELETE_RETENTION_DAYS,
        enablePurgeProtection: true,
        enableRbacAuthorization: true,
        // Required by the API even with RBAC (azure-native fails without it, pulumi-azure-native#1478); RBAC ignores them.
        // accessPolicies: required unless createMode is recover https://learn.microsoft.com/en-us/rest/api/keyvault/keyvault/vaults/create-or-update#vaultproperties
        accessPolicies: [],
        // The compute platform fetches the certificate for the scale set's osProfile.secrets.
        enabledForDeployment: true,
        enabledForDiskEncryption: false,
        enabledForTemplateDeployment: false,
        // Secrets and keys are written through ARM and read by trusted Azure services (compute, disk encryption
        // sets) and by the instances' subnet (its Microsoft.KeyVault service endpoint): deny everything else.
        // The subnet is named, not referenced: it is created later, in the dynamic group, so the rule skips the
        // service-endpoint check that would fail until then.
        // Virtual network rules admit a subnet with the Microsoft.KeyVault service endpoint https://learn.microsoft.com/en-us/azure/key-vault/general/overview-vnet-service-endpoints
        networkAcls: {
          defaultAction: "Deny",
          bypass: "AzureServices",
          ipRules: [],
          virtualNetworkRules: [{ id: client.subscriptionId.apply((sub) => subnetResourceId(sub, args.instanceSubnet)), ignoreMissingVnetServiceEndpoint: true }],
        },
      },
      tags,
    }, { parent: this, protect: args.protect });
    this.keyVaultId = vault.id;
    this.keyVaultName = vault.name;
    this.keyVaultUri = vault.properties.apply((p) => p.vaultUri ?? "");

    // ---- connector certificate
    // One format, the compute API's JSON envelope (components/vaultCertificate.ts), for a given and a generated PFX.
    let certValue: pulumi.Output<string>;
    if (args.certificate.kind === "pfx") {
      const cert = args.certificate;
      certValue = pulumi.secret(pulumi.all([cert.pfxBase64, cert.password]).apply(([pfx, pw]) => vaultCertificateValue(pfx, pw)));
      this.certificateThumbprint = cert.info
        ? pulumi.output(cert.info.thumbprint)
        : pulumi.unsecret(pulumi.all([cert.pfxBase64, cert.password]).apply(([pfx, pw]) => (pfx ? pfxThumbprint(Buffer.from(pfx, "base64"), pw) ?? "" : "")));
    } else {
      // The config loader already warns that Teams will not trust it (once, at every preview).
      const key = new tls.PrivateKey(`${name}-cert-key`, { algorithm: "RSA", rsaBits: 2048 }, { parent: this });
      const selfSigned = new tls.SelfSignedCert(`${name}-cert-selfsigned`, {
        privateKeyPem: key.privateKeyPem,
        subject: { commonName: args.connectorFqdn },
        dnsNames: [args.connectorFqdn],
        allowedUses: ["digital_signature", "key_encipherment", "server_auth", "client_auth"],
        validityPeriodHours: SELF_SIGNED_VALIDITY_HOURS,
        earlyRenewalHours: 24 * 30,
      }, { parent: this });
      // Pure data transform (no resources): PEM -> PFX, deterministic so re-runs make no new secret version.
      certValue = pulumi.secret(
        pulumi.all([selfSigned.certPem, key.privateKeyPem]).apply(([certPem, keyPem]) => vaultCertificateValue(pemToPfx(certPem, keyPem, ""), "")),
      );
      this.certificateThumbprint = selfSigned.certPem.apply((pem) => thumbprintOf(pem));
    }
    const certSecret = new keyvault.Secret(`${name}-cert`, {
      resourceGroupName,
      vaultName: vault.name,
      secretName: CERTIFICATE_SECRET_NAME,
      properties: vaultCertificateSecretProperties(certValue),
    }, { parent: this });
    // Versioned: a new certificate changes the scale-set model, which rolls it (ARM keys the certificate by URL).
    this.certificateSecretUri = pulumi.unsecret(certSecret.properties.apply((p) => p.secretUriWithVersion));

    // ---- admin password: generated once and kept in Key Vault, unless given
    if (args.adminPassword !== undefined) {
      this.adminPassword = pulumi.secret(pulumi.output(args.adminPassword));
    } else {
      const password = new random.RandomPassword(`${name}-admin-password`, {
        length: 24,
        lower: true,
        upper: true,
        numeric: true,
        special: true,
        minLower: 1,
        minUpper: 1,
        minNumeric: 1,
        minSpecial: 1,
        overrideSpecial: ADMIN_PASSWORD_SPECIALS,
      }, { parent: this });
      const adminSecret = new keyvault.Secret(`${name}-admin-password-secret`, {
        resourceGroupName,
        vaultName: vault.name,
        secretName: ADMIN_PASSWORD_SECRET_NAME,
        properties: { value: password.result, contentType: "text/plain" },
      }, { parent: this });
      this.adminPassword = pulumi.secret(password.result);
      this.adminPasswordSecretUri = pulumi.unsecret(adminSecret.properties.apply((p) => p.secretUriWithVersion));
    }

    // ---- static public IP: the address DNS points at. No zones: changing zones later would replace the address.
    const pip = new network.PublicIPAddress(`${name}-${STATIC_CHILDREN.publicIp.suffix}`, {
      resourceGroupName,
      location,
      publicIpAddressName: existingStatic.publicIpName ?? names.publicIp,
      sku: { name: "Standard", tier: "Regional" },
      publicIPAllocationMethod: "Static",
      publicIPAddressVersion: "IPv4",
      tags,
    }, { parent: this, protect: args.protect });
    this.publicIpId = pip.id;
    this.publicIpAddress = pip.ipAddress.apply((ip) => ip ?? "");

    // ---- managed identity of the instances
    const identity = new managedidentity.UserAssignedIdentity(`${name}-identity`, {
      resourceGroupName,
      location,
      resourceName: names.identity,
      tags,
    }, { parent: this });
    this.identityId = identity.id;
    this.identityClientId = identity.clientId;
    this.identityPrincipalId = identity.principalId;

    // principalType ServicePrincipal: a just-created identity is not replicated yet, and ARM would fail looking it up.
    // Set principalType for a new service principal https://learn.microsoft.com/en-us/azure/role-based-access-control/role-assignments-template#new-service-principal
    const assign = (id: string, role: RoleKey, principalId: pulumi.Input<string>, scope: pulumi.Input<string>) =>
      new authorization.RoleAssignment(`${name}-role-${id}`, {
        principalId,
        principalType: "ServicePrincipal",
        roleDefinitionId: client.subscriptionId.apply((sub) => roleDefinitionId(sub, role)),
        scope,
      }, { parent: this });
    // The certificate reaches the instances through the platform (the vault's enabledForDeployment), not their identity:
    // their secret role is on the two secrets below only. The Event Hub connection string is one of them: no data role.

    // ---- storage: logs (no account keys) and, apart, the connector package (keys on for the deployer's upload only)
    const logsAccount = new storage.StorageAccount(`${name}-${STATIC_CHILDREN.storageAccount.suffix}`, hardenedStorageAccountArgs({
      resourceGroupName,
      location,
      accountName: existingStatic.storageAccountName ?? suffix.result.apply((s) => names.storageAccount(s)),
      tags,
      // Nothing uploads to it with azure-native's Blob: the instances write logs with their managed identity.
      allowSharedKeyAccess: false,
    }), { parent: this });
    this.storageAccountId = logsAccount.id;
    this.storageAccountName = logsAccount.name;

    const packagesAccount = new storage.StorageAccount(`${name}-packages`, hardenedStorageAccountArgs({
      resourceGroupName,
      location,
      accountName: suffix.result.apply((s) => names.packagesStorageAccount(s)),
      tags,
      // azure-native's Blob uploads the ZIP and bootstrap script with the account key (pulumi-azure-native#2015, #2948);
      // the instances never get a key (managed identity + RBAC, OAuth by default). Kept out of the logs account.
      allowSharedKeyAccess: true,
    }), { parent: this });
    this.packagesStorageAccountId = packagesAccount.id;
    this.packagesStorageAccountName = packagesAccount.name;

    const container = (id: keyof typeof CONTAINERS, account: storage.StorageAccount) =>
      new storage.BlobContainer(`${name}-container-${id}`, {
        resourceGroupName,
        accountName: account.name,
        containerName: CONTAINERS[id],
        publicAccess: "None",
      }, { parent: this });
    const logs = container("logs", logsAccount);
    const packages = container("packages", packagesAccount);
    this.logsContainerName = logs.name;
    this.packagesContainerName = packages.name;

    new storage.ManagementPolicy(`${name}-logs-lifecycle`, {
      resourceGroupName,
      accountName: logsAccount.name,
      managementPolicyName: "default",
      policy: {
        rules: [{
          name: LOG_LIFECYCLE_RULE_NAME,
          enabled: true,
          type: "Lifecycle",
          definition: {
            filters: { blobTypes: ["blockBlob", "appendBlob"], prefixMatch: [`${CONTAINERS.logs}/`] },
            actions: { baseBlob: { delete: { daysAfterModificationGreaterThan: LOG_RETENTION_DAYS } } },
          },
        }],
      },
    }, { parent: this });

    const instanceGrants = [
      assign("blob-data-contributor-logs", "storageBlobDataContributor", identity.principalId, logs.id),
      assign("blob-data-reader-packages", "storageBlobDataReader", identity.principalId, packages.id),
    ];

    this.packagesBlobEndpoint = packagesAccount.primaryEndpoints.blob;

    // ---- Event Hub for enhanced status
    if (args.enhancedStatus) {
      const ns = new eventhub.Namespace(`${name}-${STATIC_CHILDREN.eventHubNamespace.suffix}`, {
        resourceGroupName,
        location,
        namespaceName: existingStatic.eventHubNamespace ?? suffix.result.apply((s) => names.eventHubNamespace(s)),
        sku: { name: "Standard", tier: "Standard", capacity: 1 },
        minimumTlsVersion: "1.2",
        // Pexip Infinity authenticates with the SAS connection string (the seed's standard_access_policy).
        disableLocalAuth: false,
        tags,
      }, { parent: this });
      const hub = new eventhub.EventHub(`${name}-${STATIC_CHILDREN.eventHub.suffix}`, {
        resourceGroupName,
        namespaceName: ns.name,
        eventHubName: EVENT_HUB.name,
      }, { parent: this });
      const rule = new eventhub.EventHubAuthorizationRule(`${name}-${STATIC_CHILDREN.eventHubRule.suffix}`, {
        resourceGroupName,
        namespaceName: ns.name,
        eventHubName: hub.name,
        authorizationRuleName: EVENT_HUB.rule,
        rights: ["Listen", "Send"],
      }, { parent: this });
      const keys = eventhub.listEventHubKeysOutput({
        resourceGroupName,
        namespaceName: ns.name,
        eventHubName: hub.name,
        authorizationRuleName: rule.name,
      }, { parent: this });
      this.eventHubNamespaceName = ns.name;
      this.eventHubConnectionString = pulumi.secret(keys.primaryConnectionString.apply((cs: string | undefined) => cs ?? ""));
    }

    // ---- the secrets the instances read at install time, each granted to their identity alone (secret scope)
    // Role assignments on an individual secret https://learn.microsoft.com/en-us/azure/key-vault/general/rbac-guide#secret-scope-role-assignment
    const instanceSecret = (id: string, secretName: string, value: pulumi.Input<string>) => {
      const secret = new keyvault.Secret(`${name}-${id}-secret`, {
        resourceGroupName,
        vaultName: vault.name,
        secretName,
        properties: { value: pulumi.secret(value), contentType: "text/plain" },
      }, { parent: this });
      instanceGrants.push(assign(`kv-secrets-user-${id}`, "keyVaultSecretsUser", identity.principalId, secret.id));
      return pulumi.unsecret(secret.properties.apply((p) => p.secretUriWithVersion));
    };
    this.appPasswordSecretUri = instanceSecret("app-password", INSTANCE_SECRET_NAMES.appPassword, args.appPassword);
    if (this.eventHubConnectionString) {
      this.eventHubConnectionStringSecretUri = instanceSecret("eventhub", INSTANCE_SECRET_NAMES.eventHubConnectionString, this.eventHubConnectionString);
    }
    const instanceWait = propagationWait(`${name}-instance-grants-wait`, { grants: instanceGrants, seconds: args.grantPropagationSeconds }, { parent: this });
    this.instanceAccessReady = [...instanceGrants, instanceWait];

    // ---- disk encryption (encryption at host with a customer-managed key; the successor of the seed's ADE)
    const desKey = new keyvault.Key(`${name}-des-key`, {
      resourceGroupName,
      vaultName: vault.name,
      keyName: DISK_ENCRYPTION_KEY_NAME,
      properties: {
        kty: "RSA",
        // Only RSA keys of 2,048, 3,072 or 4,096 bits encrypt managed disks https://learn.microsoft.com/en-us/azure/virtual-machines/disk-encryption#restrictions
        keySize: 3072,
        keyOps: ["wrapKey", "unwrapKey"],
        rotationPolicy: {
          attributes: { expiryTime: "P2Y" },
          lifetimeActions: [{ action: { type: "rotate" }, trigger: { timeAfterCreate: "P1Y" } }],
        },
      },
    }, { parent: this });
    // Its own identity, granted on the vault and waited for before the set exists: the set must reach the key when it
    // is created (a system-assigned identity can only be granted afterwards).
    // The DES identity must have key permissions before it can encrypt disks https://learn.microsoft.com/en-us/azure/virtual-machines/disks-enable-customer-managed-keys-powershell#set-up-an-azure-key-vault-and-diskencryptionset-optionally-with-automatic-key-rotation
    const desIdentity = new managedidentity.UserAssignedIdentity(`${name}-des-identity`, {
      resourceGroupName,
      location,
      resourceName: names.diskEncryptionSetIdentity,
      tags,
    }, { parent: this });
    // Key Vault Crypto Service Encryption User on the vault (RBAC vaults) https://learn.microsoft.com/en-us/azure/key-vault/general/rbac-guide#azure-built-in-roles-for-key-vault-data-plane-operations
    const desGrant = assign("kv-crypto-encryption-user-des", "keyVaultCryptoServiceEncryptionUser", desIdentity.principalId, vault.id);
    const desWait = propagationWait(`${name}-des-grants-wait`, { grants: [desGrant], seconds: args.grantPropagationSeconds }, { parent: this });
    const des = new compute.DiskEncryptionSet(`${name}-des`, {
      resourceGroupName,
      location,
      diskEncryptionSetName: names.diskEncryptionSet,
      identity: { type: "UserAssigned", userAssignedIdentities: [desIdentity.id] },
      encryptionType: "EncryptionAtRestWithCustomerKey",
      // keyUrl must carry the key version even with rotationToLatestKeyVersionEnabled, which then moves the set to each new version https://learn.microsoft.com/en-us/rest/api/compute/disk-encryption-sets/create-or-update#keyfordiskencryptionset
      activeKey: { keyUrl: desKey.keyUriWithVersion, sourceVault: { id: vault.id } },
      rotationToLatestKeyVersionEnabled: true,
      tags,
    }, { parent: this, dependsOn: [desGrant, desWait] });
    this.diskEncryptionSetId = des.id;

    // ---- DNS A record, when the zone is in Azure
    if (args.dnsZone) {
      const relative = relativeRecordName(args.connectorFqdn, args.dnsZone.name);
      const record = new dns.RecordSet(`${name}-dns`, {
        resourceGroupName: args.dnsZone.resourceGroup,
        zoneName: args.dnsZone.name,
        relativeRecordSetName: relative,
        recordType: "A",
        ttl: 300,
        aRecords: [{ ipv4Address: this.publicIpAddress }],
      }, { parent: this });
      this.dnsRecordFqdn = record.fqdn.apply((f) => (f ?? args.connectorFqdn).replace(/\.$/, ""));
    }

    this.resourceGroupName = rg.name;
    this.registerOutputs({
      resourceGroupName: this.resourceGroupName,
      keyVaultId: this.keyVaultId,
      keyVaultName: this.keyVaultName,
      keyVaultUri: this.keyVaultUri,
      certificateSecretUri: this.certificateSecretUri,
      certificateThumbprint: this.certificateThumbprint,
      publicIpId: this.publicIpId,
      publicIpAddress: this.publicIpAddress,
      storageAccountId: this.storageAccountId,
      storageAccountName: this.storageAccountName,
      packagesStorageAccountId: this.packagesStorageAccountId,
      packagesStorageAccountName: this.packagesStorageAccountName,
      logsContainerName: this.logsContainerName,
      packagesContainerName: this.packagesContainerName,
      packagesBlobEndpoint: this.packagesBlobEndpoint,
      appPasswordSecretUri: this.appPasswordSecretUri,
      eventHubConnectionStringSecretUri: this.eventHubConnectionStringSecretUri,
      eventHubNamespaceName: this.eventHubNamespaceName,
      eventHubConnectionString: this.eventHubConnectionString,
      identityId: this.identityId,
      identityClientId: this.identityClientId,
      identityPrincipalId: this.identityPrincipalId,
      diskEncryptionSetId: this.diskEncryptionSetId,
      adminPassword: this.adminPassword,
      adminPasswordSecretUri: this.adminPasswordSecretUri,
      dnsRecordFqdn: this.dnsRecordFqdn,
      tenantId: this.tenantId,
      subscriptionId: this.subscriptionId,
    });
  }
}
