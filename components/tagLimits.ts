/**
 * Azure's tag limits for every taggable type this program creates, as data, and the check the config phase (the
 * stack's `tags` go on every one of them) and the policy pack (each resource against its own type) share. Pure.
 */

export interface TagLimits {
  /** Tags per resource. */
  maxTags: number;
  /** Characters of a tag name. */
  maxNameLength: number;
  /** Characters of a tag value. */
  maxValueLength: number;
  /** Characters of all names and values together, where the type has such a limit. */
  maxTotalLength?: number;
}

// 50 tags, names 512, values 256 characters https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/tag-resources#limitations
const ARM_DEFAULT: TagLimits = { maxTags: 50, maxNameLength: 512, maxValueLength: 256 };

/** Every azure-native type the program creates with ARM tags, with its limits. */
export const TAG_LIMITS: Readonly<Record<string, TagLimits>> = {
  // https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/tag-resources#limitations
  "azure-native:resources:ResourceGroup": ARM_DEFAULT,
  // https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/tag-resources#limitations
  "azure-native:keyvault:Vault": ARM_DEFAULT,
  // https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/tag-resources#limitations
  "azure-native:network:PublicIPAddress": ARM_DEFAULT,
  // https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/tag-resources#limitations
  "azure-native:network:NetworkSecurityGroup": ARM_DEFAULT,
  // https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/tag-resources#limitations
  "azure-native:network:VirtualNetwork": ARM_DEFAULT,
  // https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/tag-resources#limitations
  "azure-native:network:LoadBalancer": ARM_DEFAULT,
  // Storage accounts: tag names at most 128 characters https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/tag-resources#limitations
  "azure-native:storage:StorageAccount": { ...ARM_DEFAULT, maxNameLength: 128 },
  // https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/tag-resources#limitations
  "azure-native:eventhub:Namespace": ARM_DEFAULT,
  // https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/tag-resources#limitations
  "azure-native:managedidentity:UserAssignedIdentity": ARM_DEFAULT,
  // https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/tag-resources#limitations
  "azure-native:compute:DiskEncryptionSet": ARM_DEFAULT,
  // Virtual machines and scale sets: 2048 characters for all tag names and values https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/tag-resources#limitations
  "azure-native:compute:VirtualMachineScaleSet": { ...ARM_DEFAULT, maxTotalLength: 2048 },
  // https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/tag-resources#limitations
  "azure-native:web:AppServicePlan": ARM_DEFAULT,
  // https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/tag-resources#limitations
  "azure-native:web:WebApp": ARM_DEFAULT,
  // https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/tag-resources#limitations
  "azure-native:botservice:Bot": ARM_DEFAULT,
  // https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/tag-resources#limitations
  "azure-native:botservice:Channel": ARM_DEFAULT,
};

// Tag names can't contain < > % & \ ? / https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/tag-resources#limitations
export const TAG_NAME_FORBIDDEN = /[<>%&\\?/]/;

/** One broken tag rule: `tag` names the tag (config key `tags.<tag>`); without it the rule is about the whole map (key `tags`). */
export interface TagProblem {
  tag?: string;
  /** Whether the rule is about the tag's value (a message then shows the value, not the name). */
  aboutValue?: boolean;
  rule: string;
}

/** The strictest limits over `types` (default: every taggable type the program creates), and who imposes each. */
export function strictestLimits(types: readonly string[] = Object.keys(TAG_LIMITS)): TagLimits & { nameLimitFrom: string[]; totalFrom: string[] } {
  const rows = types.map((t) => [t, TAG_LIMITS[t] ?? ARM_DEFAULT] as const);
  const min = (f: (l: TagLimits) => number | undefined) => Math.min(...rows.map(([, l]) => f(l) ?? Infinity));
  const maxNameLength = min((l) => l.maxNameLength);
  const total = min((l) => l.maxTotalLength);
  return {
    maxTags: min((l) => l.maxTags),
    maxNameLength,
    maxValueLength: min((l) => l.maxValueLength),
    ...(Number.isFinite(total) ? { maxTotalLength: total } : {}),
    nameLimitFrom: rows.filter(([, l]) => l.maxNameLength === maxNameLength).map(([t]) => shortType(t)),
    totalFrom: rows.filter(([, l]) => l.maxTotalLength === total).map(([t]) => shortType(t)),
  };
}

function shortType(t: string): string {
  return t.split(":").pop() ?? t;
}

/**
 * Every tag rule `tags` breaks on any of `types` (default: all taggable types the program creates, since the stack's
 * tags go on every one of them). Names are case-insensitive in Azure, so two names differing in case are one tag.
 */
export function tagProblems(tags: Record<string, unknown>, types: readonly string[] = Object.keys(TAG_LIMITS)): TagProblem[] {
  const limits = strictestLimits(types);
  const problems: TagProblem[] = [];
  const names = Object.keys(tags);
  if (names.length > limits.maxTags) problems.push({ rule: `at most ${limits.maxTags} tags per resource (has ${names.length})` });
  const seen = new Map<string, string>();
  let total = 0;
  for (const name of names) {
    const value = tags[name];
    const text = typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? String(value) : undefined;
    total += name.length + (text?.length ?? 0);
    if (name.length < 1) problems.push({ tag: name, rule: "tag names must not be empty" });
    if (name.length > limits.maxNameLength) {
      problems.push({ tag: name, rule: `tag names must be at most ${limits.maxNameLength} characters (${limits.nameLimitFrom.join(", ")}); this one has ${name.length}` });
    }
    if (TAG_NAME_FORBIDDEN.test(name)) problems.push({ tag: name, rule: "tag names must not contain < > % & \\ ? /" });
    if (text === undefined) problems.push({ tag: name, aboutValue: true, rule: "tag values must be strings" });
    else if (text.length > limits.maxValueLength) problems.push({ tag: name, aboutValue: true, rule: `tag values must be at most ${limits.maxValueLength} characters; this one has ${text.length}` });
    const folded = name.toLowerCase();
    const twin = seen.get(folded);
    if (twin !== undefined) problems.push({ tag: name, rule: `tag names are case-insensitive in Azure: "${name}" and "${twin}" are the same tag` });
    else seen.set(folded, name);
  }
  if (limits.maxTotalLength !== undefined && total > limits.maxTotalLength) {
    problems.push({ rule: `tag names and values together must be at most ${limits.maxTotalLength} characters on ${limits.totalFrom.join(", ")} (these have ${total})` });
  }
  return problems;
}
