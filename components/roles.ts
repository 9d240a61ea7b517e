/**
 * The Azure built-in roles the program assigns, as data: name (as Azure shows it), definition GUID (the same in
 * every tenant), and a short id that names the role assignment resources (stable, never an index).
 */
export const ROLES = {
  keyVaultSecretsUser: { name: "Key Vault Secrets User", id: "4633458b-17de-408a-b874-0445c86b69e6", short: "kv-secrets-user" },
  keyVaultCryptoServiceEncryptionUser: { name: "Key Vault Crypto Service Encryption User", id: "e147488a-f6f5-4113-8e2d-b22465e65bf6", short: "kv-crypto-encryption-user" },
  storageBlobDataContributor: { name: "Storage Blob Data Contributor", id: "ba92f5b4-2d11-453d-a403-e96b0029c9fe", short: "blob-data-contributor" },
  storageBlobDataReader: { name: "Storage Blob Data Reader", id: "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", short: "blob-data-reader" },
  eventHubsDataSender: { name: "Azure Event Hubs Data Sender", id: "2b629674-e913-4c01-ae53-ef4638d8f975", short: "evh-data-sender" },
} as const;

export type RoleKey = keyof typeof ROLES;

/** The full role definition ID ARM expects in a role assignment. */
export function roleDefinitionId(subscriptionId: string, role: RoleKey): string {
  return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${ROLES[role].id}`;
}
