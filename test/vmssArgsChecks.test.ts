/** TeamsConnectorVmss' Args invariants, as a plain function (no mocks). */
import { vmssArgsProblems } from "../components/vmssArgsChecks";

test("vmssArgsProblems: an Event Hub secret URI exactly when the Event Hub is on", () => {
  expect(vmssArgsProblems({ enhancedStatus: true, eventHubConnectionStringSecretUri: "u" })).toEqual([]);
  expect(vmssArgsProblems({ enhancedStatus: false })).toEqual([]);
  expect(vmssArgsProblems({ enhancedStatus: true })).toEqual(["enhancedStatus needs eventHubConnectionStringSecretUri"]);
  expect(vmssArgsProblems({ enhancedStatus: false, eventHubConnectionStringSecretUri: "u" })).toEqual(["eventHubConnectionStringSecretUri is set without enhancedStatus"]);
});
