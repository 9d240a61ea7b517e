/**
 * Property names whose leaves are secret material wherever they appear: the one list the plan's masking
 * (tools/engine/mask.ts) and the policy runner (policy/runner.ts) read. Add a field here, not a special case there.
 * Matched case-insensitively.
 */
import { unversionedType } from "./typeTokens";

export const SECRET_FIELDS: readonly string[] = [
  "adminPassword",
  "password",
  "appPassword",
  "protectedSettings",
  "primaryKey",
  "secondaryKey",
  "primaryConnectionString",
  "secondaryConnectionString",
  "connectionString",
  "eventHubConnectionString",
  "sharedAccessKey",
  "accountKey",
  "privateKeyPem",
  "privateKeyPemPkcs8",
  "privateKeyOpenssh",
  "privateKey",
  "pfxBase64",
  "pfx",
  "pfxData",
  "pfxBlob",
  "certificateData",
  "clientSecret",
  // The Pexip Infinity objects (components/pexipInfinity.ts): the management API password is "password" above.
  "notificationsQueue",
  "notifications_queue",
];

/** Fields that are secret only on some types: a Key Vault secret's `value` (inside `properties`), an app password's `value`. */
export const SECRET_FIELDS_BY_TYPE: Readonly<Record<string, readonly string[]>> = {
  "azure-native:keyvault:Secret": ["value"],
  "azuread:index/applicationPassword:ApplicationPassword": ["value"],
};

const lowerFields = new Set(SECRET_FIELDS.map((f) => f.toLowerCase()));
const byType = new Map(Object.entries(SECRET_FIELDS_BY_TYPE).map(([t, fs]) => [t.toLowerCase(), fs]));

/** Whether a property of this name (on a resource of this type, in any API version, when known) carries secret material. */
export function isSecretField(key: string, type?: string): boolean {
  return lowerFields.has(key.toLowerCase()) || (type !== undefined && (byType.get(unversionedType(type).toLowerCase()) ?? []).includes(key));
}
