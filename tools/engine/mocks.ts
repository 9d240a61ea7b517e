/**
 * The offline mock layer shared by `npm run plan` and the tests: it answers the Pulumi SDK the way Azure, Entra ID
 * and the utility providers would (ARM resource IDs, auto-names, IP addresses, Key Vault URIs, principal IDs, keys),
 * deterministically, and records every registration with the options the engine would see (parent, protect,
 * dependencies, aliases), which the SDK's plain `Mocks` interface never receives.
 */
import * as crypto from "crypto";
import type * as Forge from "node-forge";
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor, Mocks, MockCallArgs, MockResourceArgs, MockResourceResult } from "@pulumi/pulumi/runtime/mocks";

/** The SDK's wire markers, from its public runtime exports (runtime/rpc.ts). */
export const SIG_KEY = pulumi.runtime.specialSigKey;
export const SECRET_SIG = pulumi.runtime.specialSecretSig;
export const ASSET_SIG = pulumi.runtime.specialAssetSig;
export const ARCHIVE_SIG = pulumi.runtime.specialArchiveSig;
export const RESOURCE_SIG = pulumi.runtime.specialResourceSig;
/** The SDK's "unknown during preview" sentinel. */
export const UNKNOWN = pulumi.runtime.unknownValue;

/** The Entra tenant every offline evaluation answers with unless told otherwise. */
export const MOCK_TENANT_ID = "11111111-2222-3333-4444-555555555555";

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
  /** Property paths the engine ignores on update (the `ignoreChanges` resource option). */
  ignoreChanges: string[];
  /** Property paths whose change replaces the resource (the `replaceOnChanges` resource option). */
  replaceOnChanges: string[];
  /** Explicit dependsOn plus the resources whose outputs feed the inputs, as the SDK sends them. */
  dependencies: string[];
  /** The provider reference (`<provider URN>::<id>`), or null for the engine's default provider of the package. */
  provider?: string | null;
  /** Alias specs and URNs, as the SDK sends them (name/type/parent of the old identity). */
  aliases: unknown[];
  /** Inputs exactly as received (secret markers kept). */
  inputs: Record<string, unknown>;
  /** Inputs in wire form: secret, asset and resource-reference markers as the SDK serialized them (what the plan renders). */
  wireInputs: Record<string, unknown>;
  /** Outputs the mock answered with (secret markers kept). */
  state: Record<string, unknown>;
  id: string | null;
  /** Properties the resource asks the engine to keep secret (`additionalSecretOutputs`). */
  additionalSecretOutputs: string[];
  /** The `customTimeouts` option, as the engine would receive it (empty strings: the provider's default). */
  customTimeouts?: { create: string; update: string; delete: string };
}

export interface AzureMockOptions {
  subscriptionId: string;
  tenantId?: string;
  location?: string;
  /** Outputs of referenced stacks (`appStack`), by fully qualified stack name; names listed in `secret` come back secret. */
  stackOutputs?: Record<string, { outputs: Record<string, unknown>; secret?: string[] }>;
  /**
   * Values the mocks make up that Azure or Entra ID assign for real (IP addresses, app, tenant and principal IDs, random
   * suffixes), each with the label a person reads instead (`<IP of static-pip>`): the plan marks them wherever shown.
   * Filled by the mocks; the caller may add its own (a referenced stack's mock outputs).
   */
  placeholders?: Map<string, string>;
}

/** Records a made-up value and its label, when it is long enough to be recognised in text. */
export function placeholder(map: Map<string, string> | undefined, value: unknown, label: string): void {
  if (map && typeof value === "string" && value.length >= 5 && !map.has(value)) map.set(value, `<${label}>`);
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
  "azure-native:storage:Blob": { path: [["Microsoft.Storage/storageAccounts", "accountName"], ["blobServices", "=default"], ["containers", "containerName"], ["blobs", "blobName"]] },
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

/**
 * Fixed RSA keys (PKCS#1 DER, base64) for the mock `tls.PrivateKey`: generated keys are random, and the plan must give
 * the same JSON for the same stack file, certificates derived from the key included. Mock material, never deployed.
 */
const MOCK_RSA_KEYS: Record<number, string> = {
  2048: "MIIEowIBAAKCAQEA7svC1uOyx8bu6w3kTQp75/1H6FqaxoAViPUfISz3/HPK7LbzJ69hU9MVH3Yow8oRgx1MhHoyhogRrBLJOp+S2+6aiVBnOpydwHIQY0SOmeZFTS+eU8yXUCB/9ZVgDeWZ1Quvb1LjP0VShrjsNF6k/lnZtD/aESc50tv1wbsz05lg0h5ccQvV3gnaO72LZu0KSQNGp73fRu6FZrbA9ZbrTHqHczi7S88zwWoiMOSIPFKc9DMEkXZWXNIytwiRuwCDq2Ouv46oLZ61rDSMZPHSajduOHAFDssxWMlQT4u88q/VsoX1RqvItVOrKYop+vB25fzy2mJ9mnokbALaq4ir0wIDAQABAoIBAAUSyrjc/DQ/dfs/GDvxQNlxLBOMixiC2w/PxgVPRJU4vJMzr44Q1Kx03RVU4eARfCLXOfpCkSQWbCVjh92R1UZlPl7RjuEimj1BePwfPZsi/f+hled69OgI+zFziTtJvPkvtJnK92sIBQNhIGpcHaSD7UIW41rLU44tO0Nc+uiFF7ycB/t9vXQGKcp76CDuv6KTjXut5uJTSYy2B2L9SJohA57gg+N6IewB34+Xu6YHKsRzHFDBsQiEemLjlTogi0dvU0e4oxBj2fGFr12gqvJvql9K4TvKs5hj6lsvzL8+pXGey0ED8LtZc4hm+DuAJrBMqiLs0QP8mpABIBx0P2ECgYEA+GiLE+PyCkiEh8Ld1VR0W0qUQxYYoACHEmwND79DuVgkNaT4ByFBSdDzX7/yVVVPvrbqtQhTbbSQoChSV0g3S6rWtGLkmCvKFmK7dr96ngH3xDDpLdhfRA+1rgdXqbZGCfT5ZQYXawLvpMPvFwOdiWrBGA5hwbgwvceWQpHFY0MCgYEA9hgDf0l6alayrx3AGjgSU4dfboRdgo2jc7cCmsc8oKVACLUC1FQaKn1ryxiHBbQLwlly/p7YKPRoBC85kN9GjIJ4FbSpjOl2vLTJYUuuOls83u5yj+TX5KCVbVrURPfgFmTfPM1OyYLdhQt+eUKFkRaK2OgOjFuPoeb3mOYz5DECgYEAvaZ7QCVQnj89R7UjzgJbj3NB/HH7PPUKKqtp0XLyDqhXhMk9P5xJD0VC+gA+0J2Ac5eNW8dOgrxPiqceLlsJNHDq2O+DnRYZhLu+aevIfqf79MJu1DyUhw8DYylh6UUq9eEdIt7itCWato2MlWKCPO7PG0GnqtGoDMw7UPmf3KcCgYArrMFaIsE+BBr8JyyDurXN6zWNmKI73EVI8Q7eR0PEQu+lW/Kfmjl2lwG9bqHv6i84E8Xr2GcGhbG8JGF0C5wqrbEAMSryHjD7dp5SzSqjorOf4POmA/go1DMQ0FDh2JgFgWt5D/rOmpIT3aFZhevMfxKvQifq0wkfs6z3jstg0QKBgGUiNyh47aIXVeDWg58T2GYx/DkPK4/4/t0lBRS5DkDtu1aNYfgiryF670NrlbwOHMS8BoLIyC8XwysQacsxfZwNJPcsKzTFAVWP0P0yapq/PmgZWB7XwZeuR4d+5UEWvWc5E9EK2tvKbnjUepHWeDf+bjeR7WqojR1TiHgZyXds",
  4096: "MIIJKAIBAAKCAgEAyAahWjFZNlSnkanwP3L6pqh0Q6jhXI4E3iT4wS0Jw28pT+oW7QCh9xKoSoXC2WqSrW1GsjZ+lewOFS1pT2vK+i8YlIjv40eEzprMIOWCs7WAHFW4Ov3axp3W7bc5C7A+3ZtEPZqG/5PYTsWbzPMe67N4/JPSp3qXHJR7LYuMq1Wu/qeJpBR9y9kMXparQPpA7NBZjKtVV/omvc11+R2iHWXiA/cV/8cpZnZGXyQzBt0G51gDT2790L472DOD3u5YxbyqXx+Pb260NvSVKdvBCsDOAC+5hkoaLxhUpWN7PvPaLBA5FTzuXL+GADHvwr5OTWZ8QCZJJFhUGmDDs/bN076UbnqrOJNK4KOJNtJaPTQEwQJXYNtYOi2QocIt9TmWLqQJbciKQctPgCLO/Z20yEFu3ytjeWFGTNCHShjZqJaW589HemXJ2jOg7ZAGru43AjPyQISvfR5VE95ICQKjau9eYQ/gTtkj5cBuEDEmh2cd06uxgj3DpxMoIBQqg7abQnXVAk52t4ups3juYagG0X40p6lVU1fEJ6uDeQe5n272oIMee3WC7YXgmhNKFgy71vwgt462gwlqGzbu0ltL+StU4uDwgAOj1ZoMIyalm50xW8bclMYcLGTjRQ40nb5fj6ulwWGGmxruiGZa3iszqZisGt7IkIuy4iXZOpdrpmkCAwEAAQKCAgAKEmtlgz6ewbx+VTRHvZ5pbeoMziAq7OvJ08rCz2XCdYJ7B6qH3JRLQKFAv2OEVx1zpiD9MElHe09qOZMn8KGT33M5Z3vM0fkZ/ilxLp1aNzVwN9DDB61QevorliJFOGax+fOBtpo9nFA0BzdFJqjT7YGWFktxK3cYdVGOhYxbxEC/ieggXvfGn/NDgAq3huJmCke4EZiGiY4R2JqsJJXZLRwoXvS4oGqxQhthBw2att52H7Rq94fITwvsYwus2guWSV261HgAgG6Kpd4s8WfTBspYsA6DeI/A91Srz0qRbO37cgWt0Begi/RPZjRQdgyzUQnIoSTls5zohx7TnQXYINwg4sewp+F48/uevBLu2+0KR8OavoQWlX4KjELCsZSOGxZH9so0kaT9TiQMQft07bIlIQ4Qow3/Ng/ev6otWHYT5ZuDsGLPKSONifFSB9cs3ft3/OXqlk/CPavDSI95qtBBqS5p0fRH1oQVI0/lzTPGv2XQjXSYYRED0NeSy4HaZ9pD1AKvCq61RyTDkzsxgNy3f9DasqIXc2+Mc+JupZdCfApBEABh8oFPzWoP8EAJvCcQiPF545/zz6vmYR5YuMI1mRrJ7DmjgP6uQDgn7WBjqoflKIXxAyxP1VqB4O13GiDSH5+t/zX/ULCW8lqBQRLTf0qYhdPhuLpbrBJ3QQKCAQEA7SnHPhqi25ol6+spxE6pFpl+m0LnndvC1Nu4xK56xkzMorFMXyHoWASW6+HkZ6Riar9W2c9vWdFx6r1N8qICAaa9nD6WXflyK3me8dzZ19wPjHLPZwfR/U03YW/PQ/yqGv9PogCmSk3JAE89uuPRvcowYrf2QWjP9ze18PJofwAP+Tb5zteUW8YUYYSGSGkXSqX/upma3BUsCN0PM2z0CvGZ5qYY9wGyU/VB6XK/mpG+lm9cvdFWNyDoUpvppPdjxgU7iY+QCTU7zCxGz29rzUQnngZ2EcRdP8DuM4PmbZupOIaSVWbGjXs/p348zeL/HgPQ6+e/wJtbWF5cDiZaRQKCAQEA1+m9+S8xheBzi4KIlEbt4YnO6FSDAWDDjvYSFPq/7okE8S2xTyyCu3jq1WLT2yrbqhLrrX2Q7JDqt+93/wwhQdJZFFxC/bDKZuVQrIadc/klw7WXkKExKYmGbD49wOt3uxZrnaeSMAfum9I0QR5RWSVoFMzd9l67XP6evrp2NRLTZtgVqj+jPHnPqla3sGP0OUfg/Ktjz2dzmqjni8ZsFkvE4ZxLW1QWC3/M76t64eAW1LggyemcIoL1eydOuREa5T0puMincZ9W4n7LW/1j0wFK5Tlw5v4DMIM7G6wfACMpMkZDLr0HN86gqcTD49++/ejJoRsqv5RNqNunHR6P1QKCAQBUbQTyhMTo7A0H2OU7bs0esHGzj7OoLG1FHRq/WWV3ZiuK1xba3tU5UBjxy65lfs1SNt8SFpgLH1YwPEedUjLop5TkJBufRIdyFo+QhhA+maYnV0+h29TTGUPXudfM2gssJSsR/q0z0lD1fT/6YdNufqWO3vIZAtjVps1sAr9URo9pJjrzeSblLLRgqq6q5E5YUpOgt8G7CwZr+VXJ9sVBiBRDWWmVtNLotGxMUH8I5U01fFtFb1oDsgFCNyKLiU3JVl+FbsfVn0+0NSbX/VAg+FwqEx7A4GhZo7KoQBItfrZU2wMIx9dy0ics1vGKUX6EDtO2xv8p76Qq5xxaJSkJAoIBACGYH9PmsOjorHG3hLK1eovOGmBxzdRoDuVuig+zmCtwLFGuT1lHTqwGu1sqPlZqi7UhroPW9raoMa0e2GfZpk8MgIm3dUDtwgBSi8PcSiFiUarq1UNOoUyaNk0fPhKHUKDOcz4bdZZ9lXWvNiwvoG6jcFdULPEJelOU1nRMpNnLLRNiabSMpERjm5kgVwJd+wDymyIVNLlvmkAlKanI3MZ3UZHc9KioI6n0X5mm7763VDYS1B82dvGzuKhJzGjlLW8fnh8/MTZvmWAyZEfS3DZXjCSwVE3Mlgh1UrwSgtxNnDpTTl62UKoxPzRLBkOta5UsJDsp8/PNCmxMiOrx92UCggEBAMJiHHGaaBXshJXsiFkFsSK6by7HBpf3AQVol07pa12OyirVKN4TAUJds40PHDA/xZdS9fpLm4IzUPIUzuoxvCHdB4ysJc26KGS8jdxpIig6Ko/PFCv7OC/p8KHHzTLFSna66bsuTuEh52ziOHPN/jswyoPD20IYamN1uybCtOkLv+j+qyUdl3cjAyXsTPn9V43YOrBRvUlHRnZcMrKzny0U++jAWRCy3bkHD2+Tgy2vMCjXzHA3HUngy2SzsVxyC6ePB4z/E4vV915UG+/TenJjTfac25i/GkO0JX9baBpzFwizusrydoTij5Vt0tbBYSL8fOvFnyAVNwWU1IajHxY=",
};

/** A real RSA key (tls.PrivateKey): the fixed one of that size, else generated once per seed and process. */
const keyCache = new Map<string, { privateKeyPem: string; publicKeyPem: string; privateKeyPemPkcs8: string }>();
function rsaKey(seed: string, bits: number) {
  const cacheKey = MOCK_RSA_KEYS[bits] ? `fixed/${bits}` : `${seed}/${bits}`;
  const cached = keyCache.get(cacheKey);
  if (cached) return cached;
  const privateKey = MOCK_RSA_KEYS[bits]
    ? crypto.createPrivateKey({ key: Buffer.from(MOCK_RSA_KEYS[bits], "base64"), format: "der", type: "pkcs1" })
    : crypto.generateKeyPairSync("rsa", { modulusLength: bits }).privateKey;
  const publicKey = crypto.createPublicKey(privateKey);
  const k = {
    privateKeyPem: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
    privateKeyPemPkcs8: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
  keyCache.set(cacheKey, k);
  return k;
}

/** A mock self-signed certificate's validity start: the Unix epoch, an instant from nothing (the provider's creation time lives in state, which an offline plan has not got). */
export const MOCK_CERT_VALID_FROM = new Date(0);

/** The validity window of a mock `tls.SelfSignedCert`: from MOCK_CERT_VALID_FROM, for the program's hours. */
export function mockCertValidity(inputs: Record<string, unknown>): { notBefore: Date; notAfter: Date } {
  return { notBefore: MOCK_CERT_VALID_FROM, notAfter: new Date(MOCK_CERT_VALID_FROM.getTime() + Number(inputs.validityPeriodHours ?? 8760) * 3600_000) };
}

/** A real self-signed certificate (tls.SelfSignedCert) from the inputs the program gave. */
function selfSignedCert(inputs: Record<string, unknown>): string {
  // Loaded on first use (only the parts certificates need): most evaluations never sign anything, and the plan's
  // start-up time matters.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const forge = (require("../../components/certificate") as typeof import("../../components/certificate")).forgeLib();
  const keyPem = String(inputs.privateKeyPem ?? "");
  const key = forge.pki.privateKeyFromPem(keyPem) as Forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = "01" + hash(keyPem, 14);
  // A fixed start, not the clock: one config gives one certificate, and --diff at another time shows no change.
  const { notBefore, notAfter } = mockCertValidity(inputs);
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
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
  // Signed by Node's crypto (same PKCS#1 v1.5 bytes): forge's pure-JS RSA takes seconds under jest.
  cert.signatureOid = cert.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption;
  const tbs = (forge.pki as unknown as { getTBSCertificate(c: Forge.pki.Certificate): Forge.asn1.Asn1 }).getTBSCertificate(cert);
  cert.signature = crypto.sign("sha256", Buffer.from(forge.asn1.toDer(tbs).getBytes(), "binary"), keyPem).toString("binary");
  return forge.pki.certificateToPem(cert);
}

/** The logical name in a mock seed (`<type>::<name>`). */
const logical = (seed: string) => seed.slice(seed.lastIndexOf("::") + 2);

/** Outputs Azure or the provider adds to the inputs, by type. `name` is the final resource name. */
function outputsFor(type: string, inputs: Record<string, unknown>, name: string, urn: string, o: AzureMockOptions): Record<string, unknown> {
  const tenantId = o.tenantId ?? guid(`tenant/${o.subscriptionId}`);
  const props = (inputs.properties ?? {}) as Record<string, unknown>;
  switch (type) {
    case "azure-native:network:PublicIPAddress": {
      const ipAddress = ipFor(urn);
      placeholder(o.placeholders, ipAddress, `IP of ${logical(urn)}`);
      return { ipAddress };
    }
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
    case "azure-native:managedidentity:UserAssignedIdentity": {
      const out = { principalId: guid(`${urn}/principal`), clientId: guid(`${urn}/client`), tenantId };
      placeholder(o.placeholders, out.principalId, `principal of ${logical(urn)}`);
      placeholder(o.placeholders, out.clientId, `client ID of ${logical(urn)}`);
      return out;
    }
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
        placeholder(o.placeholders, guid(`${urn}/system-principal`), `principal of ${logical(urn)}`);
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
    case "azuread:index/application:Application":
    case "azuread:index/applicationRegistration:ApplicationRegistration": {
      const objectId = guid(`${urn}/object`);
      placeholder(o.placeholders, guid(`${urn}/client`), "app ID");
      placeholder(o.placeholders, objectId, "app object ID");
      return { clientId: guid(`${urn}/client`), objectId, publisherDomain: "contoso.onmicrosoft.com" };
    }
    case "azuread:index/servicePrincipal:ServicePrincipal":
      placeholder(o.placeholders, guid(`${urn}/object`), "service principal ID");
      return { objectId: guid(`${urn}/object`), appRoleIds: {}, oauth2PermissionScopeIds: {} };
    case "azuread:index/applicationPassword:ApplicationPassword":
      return { keyId: guid(`${urn}/key`), value: `mock~${hash(urn, 34)}` };
    case "random:index/randomString:RandomString":
    case "random:index/randomPassword:RandomPassword": {
      const length = Number(inputs.length ?? 16);
      const lower = "abcdefghijklmnopqrstuvwxyz";
      const digits = "0123456789";
      const upper = inputs.upper === false ? "" : "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
      const special = inputs.special === false ? "" : typeof inputs.overrideSpecial === "string" ? inputs.overrideSpecial : "!#%*()-_=+[]{}<>:?";
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
      if (type === "random:index/randomString:RandomString") placeholder(o.placeholders, chars.join(""), logical(urn));
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
      const { notBefore, notAfter } = mockCertValidity(inputs);
      const rfc3339 = (d: Date) => d.toISOString().replace(/\.000Z$/, "Z");
      return { certPem: selfSignedCert(inputs), validityStartTime: rfc3339(notBefore), validityEndTime: rfc3339(notAfter) };
    }
    default:
      return {};
  }
}

/** Final name: the explicit name input, or the logical name plus the random suffix auto-naming adds. */
function finalName(type: string, name: string, inputs: Record<string, unknown>, urn: string, placeholders?: Map<string, string>): string {
  const key = nameInputOf(type);
  const explicit = key ? inputs[key] : inputs.name;
  if (typeof explicit === "string" && explicit !== "") return explicit;
  if (type === "azure-native:authorization:RoleAssignment") return guid(urn);
  placeholder(placeholders, hash(urn, 8), "auto-name suffix");
  return `${name}${hash(urn, 8)}`;
}

/** Output fields whose generated values are secret material (the plan masks them wherever they appear). */
const GENERATED_SECRET_FIELDS: Record<string, string[]> = {
  "azuread:index/applicationPassword:ApplicationPassword": ["value"],
  "random:index/randomPassword:RandomPassword": ["result"],
  "tls:index/privateKey:PrivateKey": ["privateKeyPem", "privateKeyPemPkcs8"],
};

/**
 * The SDK `Mocks` that answer like Azure; invokes it does not know are an error, never an echo. Outputs come from the
 * inputs and the resource's identity only, never the clock (there is no `now` here): `pulumi up` keeps them in state.
 * `generated` collects every secret value the mocks make up (passwords, private keys, access keys, connection strings).
 */
export function azureMocks(o: AzureMockOptions, generated: Set<string> = new Set()): Mocks {
  const keep = (values: Record<string, unknown>, fields: string[]) => {
    for (const f of fields) if (typeof values[f] === "string" && values[f] !== "") generated.add(values[f] as string);
  };
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
      const name = finalName(args.type, args.name, inputs, seed, o.placeholders);
      let id: string;
      if (args.type.startsWith("azure-native:")) id = armId(args.type, inputs, name, o.subscriptionId);
      else if (args.type === "azuread:index/application:Application" || args.type === "azuread:index/applicationRegistration:ApplicationRegistration") id = `/applications/${guid(`${seed}/object`)}`;
      else if (args.type === "azuread:index/servicePrincipal:ServicePrincipal") id = `/servicePrincipals/${guid(`${seed}/object`)}`;
      else if (args.type.startsWith("random:")) id = hash(seed, 16);
      else id = guid(seed);
      const extra = outputsFor(args.type, inputs, name, seed, o);
      keep(extra, GENERATED_SECRET_FIELDS[args.type] ?? []);
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
      placeholder(o.placeholders, tenantId, "tenant ID");
      placeholder(o.placeholders, guid("deployer/client"), "deployer client ID");
      placeholder(o.placeholders, guid("deployer/object"), "deployer object ID");
      switch (args.token) {
        case "azure-native:authorization:getClientConfig":
          return { clientId: guid("deployer/client"), objectId: guid("deployer/object"), subscriptionId: o.subscriptionId, tenantId };
        case "azuread:index/getClientConfig:getClientConfig":
          return { clientId: guid("deployer/client"), objectId: guid("deployer/object"), tenantId };
        case "azure-native:eventhub:listEventHubAuthorizationRuleKeys":
        case "azure-native:eventhub:listEventHubKeys":
        case "azure-native:eventhub:listNamespaceKeys": {
          const ns = String(inputs.namespaceName);
          const rule = String(inputs.authorizationRuleName);
          const entity = inputs.eventHubName ? `;EntityPath=${String(inputs.eventHubName)}` : "";
          const key = Buffer.from(hash(`${ns}/${rule}/primary`, 64), "hex").toString("base64");
          const key2 = Buffer.from(hash(`${ns}/${rule}/secondary`, 64), "hex").toString("base64");
          const cs = (k: string) => `Endpoint=sb://${ns}.servicebus.windows.net/;SharedAccessKeyName=${rule};SharedAccessKey=${k}${entity}`;
          const keys = { keyName: rule, primaryKey: key, secondaryKey: key2, primaryConnectionString: cs(key), secondaryConnectionString: cs(key2) };
          keep(keys, ["primaryKey", "secondaryKey", "primaryConnectionString", "secondaryConnectionString"]);
          return keys;
        }
        default:
          throw new Error(`mocks: unexpected invoke ${args.token}(${JSON.stringify(Object.keys(inputs))}); add it to tools/engine/mocks.ts`);
      }
    },
  };
}

/** A registration whose deserialized `inputs` are computed on first read: the plan reads only `wireInputs`. */
function lazyInputs(struct: any, r: Omit<Registration, "inputs">): Registration {
  let inputs: Record<string, unknown> | undefined;
  return Object.defineProperty(r, "inputs", {
    enumerable: true,
    get: () => (inputs ??= pulumi.runtime.deserializeProperties(struct) as Record<string, unknown>),
  }) as Registration;
}

/** A MockMonitor that also records what the engine would: parent, protect, dependencies, aliases, secret outputs. */
export class RecordingMonitor extends MockMonitor {
  readonly registrations: Registration[] = [];
  /** Outputs registered by components and the root stack, by URN (secret markers kept). */
  readonly registeredOutputs = new Map<string, Record<string, unknown>>();
  /** Every secret value the mock layer generated (see `azureMocks`). */
  readonly generatedSecrets: Set<string>;
  /** The token of every invoke the program made, in order (a preview runs invokes for real: test/roles.test.ts). */
  readonly invokes: string[] = [];
  /** The provider reference of each invoke, in the same order (empty: the package's default provider). */
  readonly invokeProviders: string[] = [];
  /** Made-up values and their labels (AzureMockOptions.placeholders): what the plan marks as placeholders. */
  placeholders: Map<string, string> = new Map();

  constructor(mocks: Mocks | ((generated: Set<string>) => Mocks)) {
    const generated = new Set<string>();
    super(typeof mocks === "function" ? mocks(generated) : mocks);
    this.generatedSecrets = generated;
    // The SDK's mock builds URNs from the parent's last type only and keeps the root stack's type; the engine keeps
    // the parent's whole type chain and leaves the stack out. URNs here must be the ones `pulumi up` would record.
    (this as unknown as { newUrn: (parent: string, type: string, name: string) => string }).newUrn = (parent, type, name) => {
      const parentType = parent ? parent.split("::")[2] : "";
      const qualified = parentType && parentType !== "pulumi:pulumi:Stack" ? `${parentType}$${type}` : type;
      return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${qualified}::${name}`;
    };
  }

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
        this.registrations.push(lazyInputs(req.getObject(), {
          urn,
          type: req.getType(),
          name: req.getName(),
          custom: req.getCustom(),
          parent: req.getParent() || null,
          protect: req.getProtect() === true,
          ignoreChanges: [...(req.getIgnorechangesList?.() ?? [])],
          replaceOnChanges: [...(req.getReplaceonchangesList?.() ?? [])],
          dependencies: [...req.getDependenciesList()],
          provider: req.getProvider() || null,
          aliases: [
            ...req.getAliasesList().map((a: any) => (a.getUrn() ? a.getUrn() : { name: a.getSpec()?.getName(), type: a.getSpec()?.getType(), parent: a.getSpec()?.getParenturn() })),
            ...(req.getAliasurnsList?.() ?? []),
          ],
          wireInputs: req.getObject()?.toJavaScript() ?? {},
          state: (stored?.state ?? {}) as Record<string, unknown>,
          id: stored?.id ?? null,
          additionalSecretOutputs: secretOuts,
          customTimeouts: (() => {
            const t = req.getCustomtimeouts?.();
            return t ? { create: t.getCreate(), update: t.getUpdate(), delete: t.getDelete() } : undefined;
          })(),
        }));
      }
      callback(err, resp);
    });
  }

  async invoke(req: any, callback: (err: any, resp: any) => void): Promise<void> {
    this.invokes.push(req.getTok());
    this.invokeProviders.push(req.getProvider?.() ?? "");
    return super.invoke(req, callback);
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
          ignoreChanges: [],
          replaceOnChanges: [],
          dependencies: [...req.getDependenciesList()],
          aliases: [],
          inputs: pulumi.runtime.deserializeProperties(req.getProperties()) as Record<string, unknown>,
          wireInputs: req.getProperties()?.toJavaScript() ?? {},
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
  const placeholders = o.placeholders ?? new Map<string, string>();
  placeholder(placeholders, o.tenantId ?? guid(`tenant/${o.subscriptionId}`), "tenant ID");
  const monitor = new RecordingMonitor((generated) => azureMocks({ ...o, placeholders }, generated));
  monitor.placeholders = placeholders;
  pulumi.runtime.setMockOptions(monitor, o.project, o.stack, o.preview ?? false, "organization");
  return monitor;
}
