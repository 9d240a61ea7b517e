/**
 * The offline mock layer shared by `npm run plan` and the tests: it answers the Pulumi SDK the way Azure, Entra ID
 * and the utility providers would (ARM resource IDs, auto-names, IP addresses, Key Vault URIs, principal IDs, keys),
 * deterministically, and records every registration with the options the engine would see (parent, protect,
 * dependencies, aliases), which the SDK's plain `Mocks` interface never receives.
 */
import * as crypto from "crypto";
import * as forge from "node-forge";
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor, Mocks, MockCallArgs, MockResourceArgs, MockResourceResult } from "@pulumi/pulumi/runtime/mocks";

/** The SDK's wire markers (runtime/rpc.ts). */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export function isSecretMarker(v: unknown): v is { value: unknown } {
  return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

export function secretMarker(value: unknown): Record<string, unknown> {
  return { [SIG_KEY]: SECRET_SIG, value };
}

/** Removes secret markers, recursively. */
export function unmark(v: unknown): unknown {
  if (isSecretMarker(v)) return unmark(v.value);
  if (Array.isArray(v)) return v.map(unmark);
  if (typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unmark(x)]));
  }
  return v;
}

/** One resource as the engine would record it. */
export interface Registration {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  /** Parent URN (null for the root stack). */
  parent: string | null;
  protect: boolean;
  /** Explicit dependsOn plus the resources whose outputs feed the inputs, as the SDK sends them. */
  dependencies: string[];
  /** Alias specs and URNs, as the SDK sends them (name/type/parent of the old identity). */
  aliases: unknown[];
  /** Inputs exactly as received (secret markers kept). */
  inputs: Record<string, unknown>;
  /** Outputs the mock answered with (secret markers kept). */
  state: Record<string, unknown>;
  id: string | null;
  /** Properties the resource asks the engine to keep secret (`additionalSecretOutputs`). */
  additionalSecretOutputs: string[];
}

export interface AzureMockOptions {
  subscriptionId: string;
  tenantId?: string;
  location?: string;
  /** Outputs of referenced stacks (`appStack`), by fully qualified stack name; names listed in `secret` come back secret. */
  stackOutputs?: Record<string, { outputs: Record<string, unknown>; secret?: string[] }>;
}

/** Deterministic hex from a seed. */
export function hash(seed: string, length = 32): string {
  let out = "";
  let i = 0;
  while (out.length < length) out += crypto.createHash("sha256").update(`${seed}#${i++}`).digest("hex");
  return out.slice(0, length);
}

/** Deterministic GUID from a seed. */
export function guid(seed: string): string {
  const h = hash(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** ARM layout of the azure-native types the program uses: provider path segments and the input naming each one. */
interface ArmType {
  /** Segments after `providers/`: [namespace/type, nameInput] pairs from the outermost parent down to the resource. */
  path: [string, string][];
  /** Not under a resource group (subscription or tenant scope). */
  noResourceGroup?: boolean;
}

const ARM: Record<string, ArmType> = {
  "azure-native:keyvault:Vault": { path: [["Microsoft.KeyVault/vaults", "vaultName"]] },
  "azure-native:keyvault:Secret": { path: [["Microsoft.KeyVault/vaults", "vaultName"], ["secrets", "secretName"]] },
  "azure-native:keyvault:Key": { path: [["Microsoft.KeyVault/vaults", "vaultName"], ["keys", "keyName"]] },
  "azure-native:network:PublicIPAddress": { path: [["Microsoft.Network/publicIPAddresses", "publicIpAddressName"]] },
  "azure-native:network:NetworkSecurityGroup": { path: [["Microsoft.Network/networkSecurityGroups", "networkSecurityGroupName"]] },
  "azure-native:network:SecurityRule": { path: [["Microsoft.Network/networkSecurityGroups", "networkSecurityGroupName"], ["securityRules", "securityRuleName"]] },
  "azure-native:network:VirtualNetwork": { path: [["Microsoft.Network/virtualNetworks", "virtualNetworkName"]] },
  "azure-native:network:Subnet": { path: [["Microsoft.Network/virtualNetworks", "virtualNetworkName"], ["subnets", "subnetName"]] },
  "azure-native:network:LoadBalancer": { path: [["Microsoft.Network/loadBalancers", "loadBalancerName"]] },
  "azure-native:network:InboundNatRule": { path: [["Microsoft.Network/loadBalancers", "loadBalancerName"], ["inboundNatRules", "inboundNatRuleName"]] },
  "azure-native:network:LoadBalancerBackendAddressPool": { path: [["Microsoft.Network/loadBalancers", "loadBalancerName"], ["backendAddressPools", "backendAddressPoolName"]] },
  "azure-native:dns:RecordSet": { path: [["Microsoft.Network/dnsZones", "zoneName"], ["A", "relativeRecordSetName"]] },
  "azure-native:storage:StorageAccount": { path: [["Microsoft.Storage/storageAccounts", "accountName"]] },
  "azure-native:storage:BlobContainer": { path: [["Microsoft.Storage/storageAccounts", "accountName"], ["blobServices", "=default"], ["containers", "containerName"]] },
  "azure-native:storage:ManagementPolicy": { path: [["Microsoft.Storage/storageAccounts", "accountName"], ["managementPolicies", "managementPolicyName"]] },
  "azure-native:storage:BlobServiceProperties": { path: [["Microsoft.Storage/storageAccounts", "accountName"], ["blobServices", "blobServicesName"]] },
  "azure-native:eventhub:Namespace": { path: [["Microsoft.EventHub/namespaces", "namespaceName"]] },
  "azure-native:eventhub:EventHub": { path: [["Microsoft.EventHub/namespaces", "namespaceName"], ["eventhubs", "eventHubName"]] },
  "azure-native:eventhub:EventHubAuthorizationRule": { path: [["Microsoft.EventHub/namespaces", "namespaceName"], ["eventhubs", "eventHubName"], ["authorizationRules", "authorizationRuleName"]] },
  "azure-native:eventhub:NamespaceAuthorizationRule": { path: [["Microsoft.EventHub/namespaces", "namespaceName"], ["authorizationRules", "authorizationRuleName"]] },
  "azure-native:managedidentity:UserAssignedIdentity": { path: [["Microsoft.ManagedIdentity/userAssignedIdentities", "resourceName"]] },
  "azure-native:compute:DiskEncryptionSet": { path: [["Microsoft.Compute/diskEncryptionSets", "diskEncryptionSetName"]] },
  "azure-native:compute:VirtualMachineScaleSet": { path: [["Microsoft.Compute/virtualMachineScaleSets", "vmScaleSetName"]] },
  "azure-native:compute:VirtualMachineScaleSetExtension": { path: [["Microsoft.Compute/virtualMachineScaleSets", "vmScaleSetName"], ["extensions", "vmssExtensionName"]] },
  "azure-native:web:AppServicePlan": { path: [["Microsoft.Web/serverfarms", "name"]] },
  "azure-native:web:WebApp": { path: [["Microsoft.Web/sites", "name"]] },
  "azure-native:web:WebAppFtpAllowed": { path: [["Microsoft.Web/sites", "name"], ["basicPublishingCredentialsPolicies", "=ftp"]] },
  "azure-native:web:WebAppScmAllowed": { path: [["Microsoft.Web/sites", "name"], ["basicPublishingCredentialsPolicies", "=scm"]] },
  "azure-native:web:WebAppApplicationSettings": { path: [["Microsoft.Web/sites", "name"], ["config", "=appsettings"]] },
  "azure-native:web:WebAppSiteConfig": { path: [["Microsoft.Web/sites", "name"], ["config", "=web"]] },
  "azure-native:botservice:Bot": { path: [["Microsoft.BotService/botServices", "resourceName"]] },
  "azure-native:botservice:Channel": { path: [["Microsoft.BotService/botServices", "resourceName"], ["channels", "channelName"]] },
};

/** The ARM ID Azure would give a resource of this type with these (unmarked) inputs and final name. */
export function armId(type: string, inputs: Record<string, unknown>, name: string, subscriptionId: string): string {
  const sub = `/subscriptions/${subscriptionId}`;
  if (type === "azure-native:resources:ResourceGroup") return `${sub}/resourceGroups/${name}`;
  if (type === "azure-native:authorization:RoleAssignment") {
    return `${String(inputs.scope ?? sub)}/providers/Microsoft.Authorization/roleAssignments/${name}`;
  }
  const rg = `${sub}/resourceGroups/${String(inputs.resourceGroupName ?? "unknown-rg")}`;
  const layout = ARM[type];
  if (!layout) {
    // A type this table does not know yet: still an ARM-shaped ID, from the module and type name.
    const [, mod, t] = type.split(":");
    return `${rg}/providers/Microsoft.${mod[0].toUpperCase()}${mod.slice(1)}/${t[0].toLowerCase()}${t.slice(1)}s/${name}`;
  }
  const segs = layout.path.map(([seg, key], i) => {
    const last = i === layout.path.length - 1;
    const value = key.startsWith("=") ? key.slice(1) : last ? name : String(inputs[key]);
    return `${seg}/${value}`;
  });
  return `${rg}/providers/${segs.join("/")}`;
}

/** The explicit name input of a type, if it has one. */
export function nameInputOf(type: string): string | undefined {
  if (type === "azure-native:resources:ResourceGroup") return "resourceGroupName";
  if (type === "azure-native:authorization:RoleAssignment") return "roleAssignmentName";
  const layout = ARM[type];
  if (!layout) return undefined;
  const key = layout.path[layout.path.length - 1][1];
  return key.startsWith("=") ? undefined : key;
}

/** A stable public IPv4 address in Azure's 20.0.0.0/8 space. */
function ipFor(seed: string): string {
  const h = hash(seed, 6);
  return `20.${parseInt(h.slice(0, 2), 16)}.${parseInt(h.slice(2, 4), 16)}.${(parseInt(h.slice(4, 6), 16) % 250) + 4}`;
}

/** A real RSA key (tls.PrivateKey), cached by seed within the process. */
const keyCache = new Map<string, { privateKeyPem: string; publicKeyPem: string; privateKeyPemPkcs8: string }>();
function rsaKey(seed: string, bits: number) {
  const cached = keyCache.get(`${seed}/${bits}`);
  if (cached) return cached;
  const { privateKey, publicKey } = crypto.generateKeyPairSync("rsa", { modulusLength: bits });
  const k = {
    privateKeyPem: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
    privateKeyPemPkcs8: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
  keyCache.set(`${seed}/${bits}`, k);
  return k;
}

/** A real self-signed certificate (tls.SelfSignedCert) from the inputs the program gave. */
function selfSignedCert(inputs: Record<string, unknown>): string {
  const keyPem = String(inputs.privateKeyPem ?? "");
  const key = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = "01" + hash(keyPem, 14);
  // A fixed validity start keeps evaluations deterministic; the hours are the program's.
  const start = new Date(Date.UTC(2026, 0, 1));
  cert.validity.notBefore = start;
  cert.validity.notAfter = new Date(start.getTime() + Number(inputs.validityPeriodHours ?? 8760) * 3600 * 1000);
  const subj = (inputs.subject ?? {}) as Record<string, string>;
  const attrs = subj.commonName ? [{ name: "commonName", value: subj.commonName }] : [];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  const uses = (inputs.allowedUses ?? []) as string[];
  cert.setExtensions([
    { name: "basicConstraints", cA: Boolean(inputs.isCaCertificate) },
    { name: "keyUsage", digitalSignature: uses.includes("digital_signature"), keyEncipherment: uses.includes("key_encipherment") },
    { name: "extKeyUsage", serverAuth: uses.includes("server_auth"), clientAuth: uses.includes("client_auth") },
    { name: "subjectAltName", altNames: ((inputs.dnsNames ?? []) as string[]).map((value) => ({ type: 2, value })) },
  ]);
  cert.sign(key, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

/** Outputs Azure or the provider adds to the inputs, by type. `name` is the final resource name. */
function outputsFor(type: string, inputs: Record<string, unknown>, name: string, urn: string, o: AzureMockOptions): Record<string, unknown> {
  const tenantId = o.tenantId ?? guid(`tenant/${o.subscriptionId}`);
  const props = (inputs.properties ?? {}) as Record<string, unknown>;
  switch (type) {
    case "azure-native:network:PublicIPAddress":
      return { ipAddress: ipFor(urn) };
    case "azure-native:keyvault:Vault":
      return { properties: { ...props, vaultUri: `https://${name}.vault.azure.net/` } };
    case "azure-native:keyvault:Secret": {
      const uri = `https://${String(inputs.vaultName)}.vault.azure.net/secrets/${name}`;
      return { properties: { ...props, secretUri: uri, secretUriWithVersion: `${uri}/${hash(urn + JSON.stringify(unmark(props)), 32)}` } };
    }
    case "azure-native:keyvault:Key": {
      const uri = `https://${String(inputs.vaultName)}.vault.azure.net/keys/${name}`;
      return { keyUri: uri, keyUriWithVersion: `${uri}/${hash(urn, 32)}` };
    }
    case "azure-native:managedidentity:UserAssignedIdentity":
      return { principalId: guid(`${urn}/principal`), clientId: guid(`${urn}/client`), tenantId };
    case "azure-native:compute:DiskEncryptionSet":
    case "azure-native:web:WebApp":
    case "azure-native:compute:VirtualMachineScaleSet": {
      const identity = inputs.identity as Record<string, unknown> | undefined;
      const extra: Record<string, unknown> = {};
      if (type === "azure-native:web:WebApp") {
        extra.defaultHostName = `${name}.azurewebsites.net`;
        extra.outboundIpAddresses = `${ipFor(urn + "/o1")},${ipFor(urn + "/o2")}`;
      }
      if (identity && String(identity.type ?? "").includes("SystemAssigned")) {
        extra.identity = { ...identity, principalId: guid(`${urn}/system-principal`), tenantId };
      }
      return extra;
    }
    case "azure-native:storage:StorageAccount":
      return {
        primaryEndpoints: {
          blob: `https://${name}.blob.core.windows.net/`,
          queue: `https://${name}.queue.core.windows.net/`,
          table: `https://${name}.table.core.windows.net/`,
          file: `https://${name}.file.core.windows.net/`,
        },
      };
    case "azure-native:storage:Blob":
      return { url: `https://${String(inputs.accountName)}.blob.core.windows.net/${String(inputs.containerName)}/${name}` };
    case "azure-native:eventhub:Namespace":
      return { serviceBusEndpoint: `https://${name}.servicebus.windows.net:443/` };
    case "azure-native:botservice:Bot":
      return {};
    case "azuread:index/application:Application": {
      const objectId = guid(`${urn}/object`);
      return { clientId: guid(`${urn}/client`), objectId, publisherDomain: "contoso.onmicrosoft.com" };
    }
    case "azuread:index/servicePrincipal:ServicePrincipal":
      return { objectId: guid(`${urn}/object`), appRoleIds: {}, oauth2PermissionScopeIds: {} };
    case "azuread:index/applicationPassword:ApplicationPassword":
      return { keyId: guid(`${urn}/key`), value: `mock~${hash(urn, 34)}` };
    case "random:index/randomString:RandomString":
    case "random:index/randomPassword:RandomPassword": {
      const length = Number(inputs.length ?? 16);
      const lower = "abcdefghijklmnopqrstuvwxyz";
      const digits = "0123456789";
      const upper = inputs.upper === false ? "" : "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
      const special = inputs.special === false ? "" : "!#%*()-_=+[]{}<>:?";
      const h = hash(urn, length * 2);
      // Always satisfy the min* constraints (first characters), then fill from the allowed alphabet.
      const pick = (set: string, i: number) => set[parseInt(h.slice(i * 2, i * 2 + 2), 16) % set.length];
      const alphabet = lower + (inputs.numeric === false ? "" : digits) + upper + special;
      const mins: string[] = [];
      for (let i = 0; i < Number(inputs.minLower ?? 0); i++) mins.push(lower);
      for (let i = 0; i < Number(inputs.minUpper ?? 0); i++) mins.push(upper || lower);
      for (let i = 0; i < Number(inputs.minNumeric ?? 0); i++) mins.push(digits);
      for (let i = 0; i < Number(inputs.minSpecial ?? 0); i++) mins.push(special || digits);
      const chars = Array.from({ length }, (_, i) => pick(mins[i] ?? alphabet, i));
      return { result: chars.join("") };
    }
    case "random:index/randomUuid:RandomUuid":
      return { result: guid(urn) };
    case "random:index/randomId:RandomId": {
      const h = hash(urn, Number(inputs.byteLength ?? 8) * 2);
      return { hex: h, b64Url: Buffer.from(h, "hex").toString("base64url"), dec: BigInt(`0x${h}`).toString() };
    }
    case "tls:index/privateKey:PrivateKey": {
      const k = rsaKey(urn, Number(inputs.rsaBits ?? 2048));
      return { privateKeyPem: k.privateKeyPem, privateKeyPemPkcs8: k.privateKeyPemPkcs8, publicKeyPem: k.publicKeyPem };
    }
    case "tls:index/selfSignedCert:SelfSignedCert": {
      const certPem = selfSignedCert(unmark(inputs) as Record<string, unknown>);
      return { certPem, validityStartTime: "2026-01-01T00:00:00Z" };
    }
    default:
      return {};
  }
}

/** Final name: the explicit name input, or the logical name plus the random suffix auto-naming adds. */
function finalName(type: string, name: string, inputs: Record<string, unknown>, urn: string): string {
  const key = nameInputOf(type);
  const explicit = key ? inputs[key] : inputs.name;
  if (typeof explicit === "string" && explicit !== "") return explicit;
  if (type === "azure-native:authorization:RoleAssignment") return guid(urn);
  return `${name}${hash(urn, 8)}`;
}

/** The SDK `Mocks` that answer like Azure; invokes it does not know are an error, never an echo. */
export function azureMocks(o: AzureMockOptions): Mocks {
  return {
    newResource(args: MockResourceArgs): MockResourceResult {
      const inputs = unmark(args.inputs) as Record<string, unknown>;
      // URN is not passed to mocks; this seed is unique per type and logical name, which is what identity means here.
      const seed = `${args.type}::${args.name}`;
      if (args.type === "pulumi:pulumi:StackReference") {
        const ref = o.stackOutputs?.[String(inputs.name ?? args.name)];
        if (!ref) throw new Error(`mocks: no outputs known for stack reference ${String(inputs.name ?? args.name)}`);
        return { id: String(inputs.name ?? args.name), state: { name: inputs.name ?? args.name, outputs: ref.outputs, secretOutputNames: ref.secret ?? [] } };
      }
      if (!args.custom) return { id: undefined, state: {} };
      if (args.type.startsWith("pulumi:providers:")) return { id: guid(seed), state: args.inputs };
      const name = finalName(args.type, args.name, inputs, seed);
      let id: string;
      if (args.type.startsWith("azure-native:")) id = armId(args.type, inputs, name, o.subscriptionId);
      else if (args.type === "azuread:index/application:Application") id = `/applications/${guid(`${seed}/object`)}`;
      else if (args.type === "azuread:index/servicePrincipal:ServicePrincipal") id = `/servicePrincipals/${guid(`${seed}/object`)}`;
      else if (args.type.startsWith("random:")) id = hash(seed, 16);
      else id = guid(seed);
      const extra = outputsFor(args.type, inputs, name, seed, o);
      const base: Record<string, unknown> = { ...args.inputs, ...extra, id };
      if (args.type.startsWith("azure-native:")) {
        base.name = name;
        base.azureApiVersion = "mock";
        if (inputs.location === undefined && o.location && !args.type.startsWith("azure-native:authorization")) base.location = o.location;
      }
      return { id, state: base };
    },
    call(args: MockCallArgs): Record<string, unknown> {
      const inputs = unmark(args.inputs) as Record<string, unknown>;
      const tenantId = o.tenantId ?? guid(`tenant/${o.subscriptionId}`);
      switch (args.token) {
        case "azure-native:authorization:getClientConfig":
          return { clientId: guid("deployer/client"), objectId: guid("deployer/object"), subscriptionId: o.subscriptionId, tenantId };
        case "azuread:index/getClientConfig:getClientConfig":
          return { clientId: guid("deployer/client"), objectId: guid("deployer/object"), tenantId };
        case "azure-native:eventhub:listEventHubAuthorizationRuleKeys":
        case "azure-native:eventhub:listNamespaceKeys": {
          const ns = String(inputs.namespaceName);
          const rule = String(inputs.authorizationRuleName);
          const entity = inputs.eventHubName ? `;EntityPath=${String(inputs.eventHubName)}` : "";
          const key = Buffer.from(hash(`${ns}/${rule}/primary`, 64), "hex").toString("base64");
          const key2 = Buffer.from(hash(`${ns}/${rule}/secondary`, 64), "hex").toString("base64");
          const cs = (k: string) => `Endpoint=sb://${ns}.servicebus.windows.net/;SharedAccessKeyName=${rule};SharedAccessKey=${k}${entity}`;
          return { keyName: rule, primaryKey: key, secondaryKey: key2, primaryConnectionString: cs(key), secondaryConnectionString: cs(key2) };
        }
        default:
          throw new Error(`mocks: unexpected invoke ${args.token}(${JSON.stringify(Object.keys(inputs))}); add it to tools/mocks.ts`);
      }
    },
  };
}

/** A MockMonitor that also records what the engine would: parent, protect, dependencies, aliases, secret outputs. */
export class RecordingMonitor extends MockMonitor {
  readonly registrations: Registration[] = [];
  /** Outputs registered by components and the root stack, by URN (secret markers kept). */
  readonly registeredOutputs = new Map<string, Record<string, unknown>>();

  async registerResource(req: any, callback: (err: any, resp: any) => void): Promise<void> {
    const secretOuts: string[] = req.getAdditionalsecretoutputsList();
    await super.registerResource(req, (err: any, resp: any) => {
      if (!err && resp) {
        const urn: string = resp.getUrn();
        const stored = this.resources.get(urn);
        if (stored && secretOuts.length > 0) {
          // The engine keeps these outputs secret whatever the provider says; so does this monitor.
          for (const key of secretOuts) {
            const f = stored.state?.[key];
            if (f !== undefined && !isSecretMarker(f)) stored.state[key] = secretMarker(f);
          }
          resp.setObject(require("google-protobuf/google/protobuf/struct_pb").Struct.fromJavaScript(stored.state));
        }
        const inputs = pulumi.runtime.deserializeProperties(req.getObject()) as Record<string, unknown>;
        this.registrations.push({
          urn,
          type: req.getType(),
          name: req.getName(),
          custom: req.getCustom(),
          parent: req.getParent() || null,
          protect: req.getProtect() === true,
          dependencies: [...req.getDependenciesList()],
          aliases: [
            ...req.getAliasesList().map((a: any) => (a.getUrn() ? a.getUrn() : { name: a.getSpec()?.getName(), type: a.getSpec()?.getType(), parent: a.getSpec()?.getParenturn() })),
            ...(req.getAliasurnsList?.() ?? []),
          ],
          inputs,
          state: (stored?.state ?? {}) as Record<string, unknown>,
          id: stored?.id ?? null,
          additionalSecretOutputs: secretOuts,
        });
      }
      callback(err, resp);
    });
  }

  /** Reads (`StackReference`, `.get()`) are recorded like registrations: the plan shows them too. */
  async readResource(req: any, callback: (err: any, resp: any) => void): Promise<void> {
    await super.readResource(req, (err: any, resp: any) => {
      if (!err && resp) {
        const urn: string = resp.getUrn();
        const stored = this.resources.get(urn);
        this.registrations.push({
          urn,
          type: req.getType(),
          name: req.getName(),
          custom: true,
          parent: req.getParent() || null,
          protect: false,
          dependencies: [...req.getDependenciesList()],
          aliases: [],
          inputs: pulumi.runtime.deserializeProperties(req.getProperties()) as Record<string, unknown>,
          state: (stored?.state ?? {}) as Record<string, unknown>,
          id: req.getId() || null,
          additionalSecretOutputs: [...(req.getAdditionalsecretoutputsList?.() ?? [])],
        });
      }
      callback(err, resp);
    });
  }

  registerResourceOutputs(req: any, callback: (err: any, resp: any) => void): void {
    this.registeredOutputs.set(req.getUrn(), pulumi.runtime.deserializeProperties(req.getOutputs()) as Record<string, unknown>);
    super.registerResourceOutputs(req, callback);
  }
}

/** Installs the Azure mocks with a recording monitor. Call before the program (or a component) is loaded. */
export function installMocks(o: AzureMockOptions & { project: string; stack: string; preview?: boolean }): RecordingMonitor {
  const monitor = new RecordingMonitor(azureMocks(o));
  pulumi.runtime.setMockOptions(monitor, o.project, o.stack, o.preview ?? false, "organization");
  return monitor;
}
