/**
 * The CrossGuard entry point `pulumi preview --policy-pack policy` loads. It only constructs the pack (which starts
 * the analyzer server the CLI talks to); the policies live in policies.ts so that tests and the offline runner can
 * import them without starting a server. The required tags and the consent page's source prefixes come from the
 * stack's own config, which the CLI passes to the pack process.
 */
import { PolicyPack } from "@pulumi/policy";
import { runConfigFromPulumiConfig, toPackConfig } from "./packConfig";
import { PACK_ENFORCEMENT_LEVEL, PACK_NAME, policies } from "./policies";

new PolicyPack(
  PACK_NAME,
  {
    policies,
    enforcementLevel: PACK_ENFORCEMENT_LEVEL,
    description: "Pexip Teams Connector in Azure: NSG flows from the network table, Key Vault, storage, web, scale set, Event Hub, SKUs and tags.",
  },
  toPackConfig(runConfigFromPulumiConfig(process.env.PULUMI_CONFIG)),
);
