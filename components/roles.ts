/**
 * The one list of Azure roles the program assigns, and what is generated from it: the condition that constrains the
 * deploying identity's Role Based Access Control Administrator grant (docs/operations.md), and the custom role of the
 * read-only preview identity (read everything, plus exactly the invokes a preview runs). Pure data and functions.
 */

export interface RoleInfo {
  /** The role's name, as Azure shows it. */
  name: string;
  /** The role definition GUID (the same in every tenant). */
  id: string;
  /** Short id naming the role assignment resources (stable, never an index). */
  short: string;
  /** Who receives it, and why (for the docs). */
  grantedTo: string;
}

/** Every built-in role the program assigns; a role here that no stack assigns is a test failure. */
export const ROLES = {
  // Read, wrap and unwrap keys, for the disk encryption set https://learn.microsoft.com/en-us/azure/role-based-access-control/built-in-roles/security#key-vault-crypto-service-encryption-user
  keyVaultCryptoServiceEncryptionUser: { name: "Key Vault Crypto Service Encryption User", id: "e147488a-f6f5-4113-8e2d-b22465e65bf6", short: "kv-crypto-encryption-user", grantedTo: "the disk encryption set's identity, on the Key Vault" },
  // Read secret contents, for the app password and the Event Hub connection string the bootstrap reads https://learn.microsoft.com/en-us/azure/role-based-access-control/built-in-roles/security#key-vault-secrets-user
  keyVaultSecretsUser: { name: "Key Vault Secrets User", id: "4633458b-17de-408a-b874-0445c86b69e6", short: "kv-secrets-user", grantedTo: "the instances' identity, on the app password and Event Hub connection string secrets only (not on the vault)" },
  // Read, write and delete blobs, for the instances' logs https://learn.microsoft.com/en-us/azure/role-based-access-control/built-in-roles/storage#storage-blob-data-contributor
  storageBlobDataContributor: { name: "Storage Blob Data Contributor", id: "ba92f5b4-2d11-453d-a403-e96b0029c9fe", short: "blob-data-contributor", grantedTo: "the instances' identity, on the logs container" },
  // Read blobs, for the connector package, the bootstrap script and the consent page's package https://learn.microsoft.com/en-us/azure/role-based-access-control/built-in-roles/storage#storage-blob-data-reader
  storageBlobDataReader: { name: "Storage Blob Data Reader", id: "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", short: "blob-data-reader", grantedTo: "the instances' identity on the packages container; the consent web app's identity on its package container" },
} as const satisfies Record<string, RoleInfo>;

export type RoleKey = keyof typeof ROLES;

/** The full role definition ID ARM expects in a role assignment. */
export function roleDefinitionId(subscriptionId: string, role: RoleKey): string {
  return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${ROLES[role].id}`;
}

/** The role (key) a role definition ID names, undefined for a role outside the list. */
export function roleOfDefinitionId(definitionId: string): RoleKey | undefined {
  const guid = definitionId.split("/").pop()?.toLowerCase();
  return (Object.keys(ROLES) as RoleKey[]).find((k) => ROLES[k].id === guid);
}

/**
 * The ABAC condition on the deploying identity's Role Based Access Control Administrator assignment: it may create and
 * delete assignments of exactly these roles, and only for service principals (managed identities are service
 * principals), so it cannot make itself or a person Owner.
 */
// Constrain roles and principal types https://learn.microsoft.com/en-us/azure/role-based-access-control/delegate-role-assignments-examples#example-constrain-roles-and-principal-types
export function roleAssignmentCondition(roles: readonly RoleKey[] = Object.keys(ROLES) as RoleKey[]): string {
  const ids = roles.map((r) => ROLES[r].id).join(", ");
  const allowed = (source: "Request" | "Resource") =>
    `@${source}[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${ids}} AND ` +
    `@${source}[Microsoft.Authorization/roleAssignments:PrincipalType] ForAnyOfAnyValues:StringEqualsIgnoreCase {'ServicePrincipal'}`;
  return (
    `((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR (${allowed("Request")})) AND ` +
    `((!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})) OR (${allowed("Resource")}))`
  );
}

/**
 * The Azure actions each invoke of the program needs (a preview runs invokes for real: they are not planned). An
 * invoke that needs nothing beyond the sign-in maps to no action.
 */
export const INVOKE_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  // The signed-in identity's own tenant and subscription, from its token: no Azure action https://learn.microsoft.com/en-us/azure/role-based-access-control/overview
  "azure-native:authorization:getClientConfig": [],
  // Entra ID: the signed-in identity's client, object and tenant IDs are claims of its token (no Graph or Azure call) https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference
  "azuread:index/getClientConfig:getClientConfig": [],
  // Event Hubs - List Keys: POST .../authorizationRules/{rule}/listKeys https://learn.microsoft.com/en-us/azure/role-based-access-control/permissions/integration#microsofteventhub
  "azure-native:eventhub:listEventHubKeys": ["Microsoft.EventHub/namespaces/eventhubs/authorizationRules/listkeys/action"],
};

/** Read every resource, as the Reader role does (a preview reads the state's resources back). */
// Reader is `*/read` https://learn.microsoft.com/en-us/azure/role-based-access-control/built-in-roles/general#reader
export const READ_ALL_ACTION = "*/read";

/** The preview identity's custom role: read everything, plus exactly the actions of the program's invokes. */
export const PREVIEW_ROLE_NAME = "Pexip Teams Connector Preview";

/** The custom role definition for `az role definition create --role-definition @preview-role.json`. */
// Custom role definition JSON (Name, Actions, AssignableScopes) https://learn.microsoft.com/en-us/azure/role-based-access-control/custom-roles-cli
export function previewRoleDefinition(subscriptionId: string): {
  Name: string;
  IsCustom: true;
  Description: string;
  Actions: string[];
  NotActions: string[];
  DataActions: string[];
  NotDataActions: string[];
  AssignableScopes: string[];
} {
  const actions = [...new Set(Object.values(INVOKE_ACTIONS).flat())].sort();
  return {
    Name: PREVIEW_ROLE_NAME,
    IsCustom: true,
    Description: "pulumi preview of the Pexip Teams Connector stacks: reads every resource and runs the program's invokes (Event Hub connection string). Nothing else.",
    Actions: [READ_ALL_ACTION, ...actions],
    NotActions: [],
    DataActions: [],
    NotDataActions: [],
    AssignableScopes: [`/subscriptions/${subscriptionId}`],
  };
}
