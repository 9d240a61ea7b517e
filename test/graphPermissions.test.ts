/** The Graph permissions the app asks for (data, no mocks): exactly the seed's, by Microsoft Graph ID and type. */
import { GRAPH_PERMISSIONS, MICROSOFT_GRAPH_APP_ID } from "../components/graphPermissions";

describe("graph permissions (data)", () => {
  test("exactly the seed's eight permissions, by Microsoft Graph ID and type", () => {
    expect(MICROSOFT_GRAPH_APP_ID).toBe("00000003-0000-0000-c000-000000000000");
    expect(GRAPH_PERMISSIONS.map((p) => [p.name, p.id, p.type])).toEqual([
      ["User.Read.All", "df021288-bdef-4463-88db-98f22de89214", "Role"],
      ["Calls.Initiate.All", "284383ee-7f6e-4e40-a2a8-e85dcb029101", "Role"],
      ["Calls.InitiateGroupCall.All", "4c277553-8a09-487b-8023-29ee378d8324", "Role"],
      ["Calls.JoinGroupCall.All", "f6b49018-60ab-4f81-83bd-22caeabfed2d", "Role"],
      ["Calls.JoinGroupCallAsGuest.All", "fd7ccf6b-3d28-418b-9701-cd10f5cd2fd4", "Role"],
      ["Calls.AccessMedia.All", "a7a681dc-756e-4909-b988-f160edc6655f", "Role"],
      ["OnlineMeetings.Read.All", "c1684f21-1984-47fa-9d61-2dc8c296bb70", "Role"],
      ["User.Read", "e1fe6dd8-ba31-4d61-89e7-88639da4683d", "Scope"],
    ]);
    for (const p of GRAPH_PERMISSIONS) expect(p.details.length).toBeGreaterThan(20);
  });
});
