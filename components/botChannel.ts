// SKELETON (contract only): the tenant-wide engineer replaces the body. Args and public outputs are the contract index.ts uses.
import * as pulumi from "@pulumi/pulumi";

export interface BotChannelArgs {
  /** Bot resource group name (`<base>-TeamsBotChan-RG`). */
  resourceGroupName: string;
  /** Location of the resource group. */
  location: string;
  /** Entra ID application display name (`<base>TeamsConn`). */
  appDisplayName: string;
  /** Azure Bot name: globally unique across Azure. */
  botName: string;
  /** Connector FQDN: the bot's messaging and calling endpoints. */
  connectorFqdn: string;
  /** Any label; changing it issues a new application password. */
  appPasswordRotation: string;
  /** Tags on the resource group and the bot. */
  tags: Record<string, string>;
}

export class BotChannel extends pulumi.ComponentResource {
  public readonly resourceGroupName: pulumi.Output<string>;
  public readonly appId: pulumi.Output<string>;
  public readonly appPassword: pulumi.Output<string>;
  public readonly tenantId: pulumi.Output<string>;
  public readonly publisherDomain: pulumi.Output<string>;
  public readonly botName: pulumi.Output<string>;
  constructor(name: string, args: BotChannelArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pexip:teams:BotChannel", name, {}, opts);
    this.resourceGroupName = pulumi.output(args.resourceGroupName);
    this.appId = this.tenantId = this.publisherDomain = pulumi.output("");
    this.appPassword = pulumi.secret("");
    this.botName = pulumi.output(args.botName);
    this.registerOutputs({});
  }
}
