/**
 * The Microsoft Graph permissions of the Pexip CVI app, as data: exactly the seed's table ("Authorize Pexip CVI
 * application to join Teams meetings" > "More information on app permissions"), one entry per permission with
 * what Pexip says it is for. BotChannel requests these; the tests check them by ID and type.
 *
 * IDs: the Microsoft Graph permissions reference, https://learn.microsoft.com/en-us/graph/permissions-reference
 * (application permission = appRole ID, `Role`; delegated permission = oauth2PermissionScope ID, `Scope`),
 * cross-checked against published dumps of the Microsoft Graph service principal's appRoles/oauth2PermissionScopes
 * found with the code search (2026-11), which list the same eight GUIDs for the same names.
 */

/** Microsoft Graph's well-known application (client) ID, the `resourceAppId` of every entry below. */
export const MICROSOFT_GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

/** `Role`: application permission (no signed-in user); `Scope`: delegated permission. */
export type GraphPermissionType = "Role" | "Scope";

export interface GraphPermission {
  /** The permission's value, as shown in the Entra admin center and the consent prompt. */
  readonly name: string;
  /** Its ID in Microsoft Graph (appRole or oauth2PermissionScope). */
  readonly id: string;
  readonly type: GraphPermissionType;
  /** What the Teams Connector uses it for (the seed's "Details" column). */
  readonly details: string;
}

export const GRAPH_PERMISSIONS: readonly GraphPermission[] = [
  {
    name: "User.Read.All",
    id: "df021288-bdef-4463-88db-98f22de89214",
    type: "Role",
    details: "Read all users' full profiles: shows the user's UPN instead of a GUID in logs, and the user's photo when their video is off.",
  },
  {
    name: "Calls.Initiate.All",
    id: "284383ee-7f6e-4e40-a2a8-e85dcb029101",
    type: "Role",
    details: "Initiate outgoing 1 to 1 calls from the app: not currently used; reserved for point-to-point calling.",
  },
  {
    name: "Calls.InitiateGroupCall.All",
    id: "4c277553-8a09-487b-8023-29ee378d8324",
    type: "Role",
    details: "Initiate outgoing group calls from the app: not currently used; reserved for ad hoc calls.",
  },
  {
    name: "Calls.JoinGroupCall.All",
    id: "f6b49018-60ab-4f81-83bd-22caeabfed2d",
    type: "Role",
    details: "Join group calls and meetings as an app: VTC devices join a Teams meeting as trusted participants (lobby bypass).",
  },
  {
    name: "Calls.JoinGroupCallAsGuest.All",
    id: "fd7ccf6b-3d28-418b-9701-cd10f5cd2fd4",
    type: "Role",
    details: "Join group calls and meetings as a guest: VTC devices join a Teams meeting as guest/untrusted participants.",
  },
  {
    name: "Calls.AccessMedia.All",
    id: "a7a681dc-756e-4909-b988-f160edc6655f",
    type: "Role",
    details: "Access media streams in a call as an app: the media of the participants in a Teams meeting.",
  },
  {
    name: "OnlineMeetings.Read.All",
    id: "c1684f21-1984-47fa-9d61-2dc8c296bb70",
    type: "Role",
    details: "Read online meeting details: resolves the VTC conference ID from the invitation into a Teams meeting.",
  },
  {
    name: "User.Read",
    id: "e1fe6dd8-ba31-4d61-89e7-88639da4683d",
    type: "Scope",
    details: "Sign in and read user profile: added by default for Entra ID apps; not used by the Teams Connector.",
  },
];

/** IDs of the permissions of one type (application roles or delegated scopes), in table order. */
export function graphPermissionIds(type: GraphPermissionType): string[] {
  return GRAPH_PERMISSIONS.filter((p) => p.type === type).map((p) => p.id);
}
