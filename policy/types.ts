/**
 * The azure-native resource types the policies check, as stand-ins for azure-native's resource classes: all
 * `validateResourceOfType` reads from a class is its `__pulumiType`. Importing the real classes would make ts-node
 * type-check azure-native's multi-megabyte declarations every time the Pulumi CLI starts the pack (measured about
 * twice the start-up time). test/policy.pack.test.ts checks each token against the real class.
 */
import type { ReportViolation, ResourceValidation, ResourceValidationArgs } from "@pulumi/policy";
import { Resource } from "@pulumi/pulumi";
import { sameType, unversionedType } from "../components/typeTokens";

export { unversionedType };

/** What `validateResourceOfType` takes; props then arrive as plain JSON records. */
export type ResourceClass = (new (name: string, args: Record<string, unknown>, ...rest: unknown[]) => Resource) & { __pulumiType: string };

function azureType(type: string): ResourceClass {
  return { __pulumiType: type } as unknown as ResourceClass;
}

export const NetworkSecurityGroup = azureType("azure-native:network:NetworkSecurityGroup");
export const SecurityRule = azureType("azure-native:network:SecurityRule");
export const LoadBalancer = azureType("azure-native:network:LoadBalancer");
export const PublicIPAddress = azureType("azure-native:network:PublicIPAddress");
export const VirtualNetwork = azureType("azure-native:network:VirtualNetwork");
export const Subnet = azureType("azure-native:network:Subnet");
export const VirtualMachineScaleSet = azureType("azure-native:compute:VirtualMachineScaleSet");
export const Vault = azureType("azure-native:keyvault:Vault");
export const KeyVaultSecret = azureType("azure-native:keyvault:Secret");
export const ManagementPolicy = azureType("azure-native:storage:ManagementPolicy");
export const StorageAccount = azureType("azure-native:storage:StorageAccount");
export const WebApp = azureType("azure-native:web:WebApp");
export const EventHubNamespace = azureType("azure-native:eventhub:Namespace");

/** Whether a resource's type token is `cls`'s type, in any API version and letter case. */
export function isOfType(type: string, cls: ResourceClass): boolean {
  return sameType(type, cls.__pulumiType);
}

/**
 * `validateResourceOfType` for every API version of the type. @pulumi/policy's own helper compares the token exactly
 * (and tags the function so that the analyzer server skips other tokens), so a resource typed
 * `azure-native:network/v20230501:NetworkSecurityGroup` would escape every check; this one tags nothing.
 */
export function validateResourceOfType(
  cls: ResourceClass,
  validate: (props: Record<string, unknown>, args: ResourceValidationArgs, report: ReportViolation) => void | Promise<void>,
): ResourceValidation {
  return (args, report) => {
    // The SDK helper's reason, which the offline runner (like the CLI) keeps out of its report.
    if (!isOfType(args.type, cls)) return args.notApplicable(`Policy only applies to resources of type '${cls.__pulumiType}'`);
    return validate(args.props as Record<string, unknown>, args, report);
  };
}
