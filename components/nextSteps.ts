// SKELETON (contract only): the tenant-wide engineer replaces the body with the real texts.
import * as pulumi from "@pulumi/pulumi";
import { CALLS_PER_INSTANCE, DialInstructions, instancesFor, StackConfig, VCPUS_PER_INSTANCE } from "./config";

/** The DNS A record to create (or the one created in `dnsZone`). */
export function dnsRecord(cfg: StackConfig, ip: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.interpolate`${cfg.connectorFqdn}. IN A ${ip}`;
}

/** Capacity: instances, approximate concurrent calls, Fs-series vCPU quota. */
export function capacity(cfg: StackConfig) {
  return {
    instances: cfg.instanceCount,
    approximateConcurrentCalls: cfg.instanceCount * CALLS_PER_INSTANCE,
    vcpuQuotaFsSeries: cfg.instanceCount * VCPUS_PER_INSTANCE,
    ...(cfg.expectedConcurrentCalls !== undefined ? { instancesForExpectedCalls: instancesFor(cfg.expectedConcurrentCalls) } : {}),
  };
}

export function pexipInfinity(cfg: StackConfig, tenantId: pulumi.Input<string>, _eventHub?: pulumi.Input<string>) {
  return { teamsConnectorAddress: cfg.connectorFqdn, port: 443, tenantId };
}

export function teamsPowerShell(_d: DialInstructions, appId: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.interpolate`${appId}`;
}
