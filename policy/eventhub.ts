/** Event Hub policies: the namespace receives the connector's enhanced status from the instances and Pexip Infinity. */
import { ResourceValidationPolicy } from "@pulumi/policy";
import * as azure from "./types";
import { at, show, tlsVersion } from "./values";

// Anchor: Checkov CKV_AZURE_223. Stated explicitly: the namespace's default has changed over API versions.
export const eventHubMinTls12: ResourceValidationPolicy = {
  name: "eventhub-min-tls-1-2",
  description: "Event Hub namespaces must require TLS 1.2 or newer (minimumTlsVersion: 1.2).",
  validateResource: azure.validateResourceOfType(azure.EventHubNamespace, (props, _args, report) => {
    const v = at(props, "minimumTlsVersion");
    const n = tlsVersion(v);
    if (n === undefined || n < 1.2) report(`minimumTlsVersion is ${show(v)}; set it to "1.2".`);
  }),
};
