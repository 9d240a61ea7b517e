/**
 * Azure regions that offer Fs-series VMs (Standard_F4s) and Azure Automation: the seed's region table
 * ("Azure regions with Fs series instance type support", June 2021). The one list the config
 * validation, the policy pack, the plan and the README read.
 */
export interface SupportedRegion {
  /** Azure location name, as in `azure-native:location`. */
  name: string;
  /** Display name, as the seed and the portal write it. */
  displayName: string;
  /** The seed's "theater". */
  theater: "North America" | "South America" | "Europe" | "APAC" | "Australia" | "India" | "Africa";
  /** Whether the region has availability zones (Microsoft's list of regions with zones); zonal scale sets spread over 1, 2, 3. */
  zones: boolean;
}

// Availability zone support per region (the `zones` column) https://learn.microsoft.com/en-us/azure/reliability/regions-list#azure-regions-list
export const SUPPORTED_REGIONS: readonly SupportedRegion[] = [
  { name: "canadacentral", displayName: "Canada Central", theater: "North America", zones: true },
  { name: "centralus", displayName: "Central US", theater: "North America", zones: true },
  { name: "eastus", displayName: "East US", theater: "North America", zones: true },
  { name: "eastus2", displayName: "East US 2", theater: "North America", zones: true },
  { name: "northcentralus", displayName: "North Central US", theater: "North America", zones: false },
  { name: "southcentralus", displayName: "South Central US", theater: "North America", zones: true },
  { name: "westcentralus", displayName: "West Central US", theater: "North America", zones: false },
  { name: "westus", displayName: "West US", theater: "North America", zones: false },
  { name: "westus2", displayName: "West US 2", theater: "North America", zones: true },
  { name: "westus3", displayName: "West US 3", theater: "North America", zones: true },
  { name: "brazilsouth", displayName: "Brazil South", theater: "South America", zones: true },
  { name: "francecentral", displayName: "France Central", theater: "Europe", zones: true },
  { name: "germanywestcentral", displayName: "Germany West Central", theater: "Europe", zones: true },
  { name: "northeurope", displayName: "North Europe", theater: "Europe", zones: true },
  { name: "norwayeast", displayName: "Norway East", theater: "Europe", zones: true },
  { name: "switzerlandnorth", displayName: "Switzerland North", theater: "Europe", zones: true },
  { name: "uksouth", displayName: "UK South", theater: "Europe", zones: true },
  { name: "ukwest", displayName: "UK West", theater: "Europe", zones: false },
  { name: "westeurope", displayName: "West Europe", theater: "Europe", zones: true },
  { name: "eastasia", displayName: "East Asia", theater: "APAC", zones: true },
  { name: "japaneast", displayName: "Japan East", theater: "APAC", zones: true },
  { name: "japanwest", displayName: "Japan West", theater: "APAC", zones: true },
  { name: "koreacentral", displayName: "Korea Central", theater: "APAC", zones: true },
  { name: "koreasouth", displayName: "Korea South", theater: "APAC", zones: false },
  { name: "southeastasia", displayName: "Southeast Asia", theater: "APAC", zones: true },
  { name: "uaenorth", displayName: "UAE North", theater: "APAC", zones: true },
  { name: "australiacentral", displayName: "Australia Central", theater: "Australia", zones: false },
  { name: "australiaeast", displayName: "Australia East", theater: "Australia", zones: true },
  { name: "australiasoutheast", displayName: "Australia Southeast", theater: "Australia", zones: false },
  { name: "centralindia", displayName: "Central India", theater: "India", zones: true },
  { name: "southindia", displayName: "South India", theater: "India", zones: false },
  { name: "southafricanorth", displayName: "South Africa North", theater: "Africa", zones: true },
];

/** The region entry for an Azure location name, or undefined when the Teams Connector cannot run there. */
export function findRegion(location: string): SupportedRegion | undefined {
  return SUPPORTED_REGIONS.find((r) => r.name === location);
}
