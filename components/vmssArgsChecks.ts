/** Checks of TeamsConnectorVmss' Args that their types cannot express. Pure: no Pulumi, no clock. */
import type { TeamsConnectorVmssArgs } from "./teamsConnectorVmss";

/** Invariants of the Args that the types cannot say: an Event Hub secret URI exactly when the Event Hub is enabled. */
export function vmssArgsProblems(args: Pick<TeamsConnectorVmssArgs, "enhancedStatus" | "eventHubConnectionStringSecretUri">): string[] {
  if (args.enhancedStatus && args.eventHubConnectionStringSecretUri === undefined) return ["enhancedStatus needs eventHubConnectionStringSecretUri"];
  if (!args.enhancedStatus && args.eventHubConnectionStringSecretUri !== undefined) return ["eventHubConnectionStringSecretUri is set without enhancedStatus"];
  return [];
}
