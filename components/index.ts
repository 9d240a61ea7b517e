/** The reusable components and their Args, for a program that composes them (this repository's index.ts does). */
export { BotChannel } from "./botChannel";
export type { BotChannelArgs } from "./botChannel";
export { ConsentSite } from "./consentSite";
export type { ConsentSiteArgs } from "./consentSite";
export { NetworkSecurity } from "./networkSecurity";
export type { NetworkSecurityArgs } from "./networkSecurity";
export { PexipInfinity } from "./pexipInfinity";
export type { PexipInfinityArgs } from "./pexipInfinity";
export { StaticResources } from "./staticResources";
export type { StaticResourcesArgs } from "./staticResources";
export { TeamsConnectorVmss } from "./teamsConnectorVmss";
export type { TeamsConnectorVmssArgs } from "./teamsConnectorVmss";
