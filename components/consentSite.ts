// SKELETON (contract only): the tenant-wide engineer replaces the body. Args and public outputs are the contract index.ts uses.
import * as pulumi from "@pulumi/pulumi";

export interface ConsentSiteArgs {
  /** The bot resource group the web app lives in. */
  resourceGroupName: pulumi.Input<string>;
  /** Azure location of the plan and the app. */
  location: string;
  /** baseName: the app is `<base>-pexip-cvi-<5 random>`. */
  baseName: string;
  /** The CVI app's client ID, shown on the page. */
  appId: pulumi.Input<string>;
  /** The tenant domain the app was registered in, shown on the page. */
  tenantDomain: pulumi.Input<string>;
  /** Source prefixes allowed to reach the page; empty: public. */
  sourcePrefixes: string[];
  /** Keep the site running (false: stopped after consent). */
  enabled: boolean;
  /** Tags on the plan and the app. */
  tags: Record<string, string>;
}

export class ConsentSite extends pulumi.ComponentResource {
  public readonly consentUrl: pulumi.Output<string>;
  constructor(name: string, args: ConsentSiteArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pexip:teams:ConsentSite", name, {}, opts);
    this.consentUrl = pulumi.output("");
    this.registerOutputs({});
  }
}
