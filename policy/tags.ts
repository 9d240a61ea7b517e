/**
 * Tag policies: the stack's `tags` config (the seed's `$tags`) must reach every taggable resource, within Azure's tag
 * limits for that resource's type (components/tagLimits.ts).
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { unversionedType } from "./types";
import { TAG_LIMITS, tagProblems } from "../components/tagLimits";
import { isMasked, isRecord, list } from "./values";

/**
 * Azure-native types this program creates that carry ARM tags (tracked resources): the types of the tag-limit table.
 * Other azure-native resources are checked too when they have a `tags` input; sub-resources (rules, subnets, secrets,
 * channels) have none of their own.
 */
export const TAGGABLE_TYPES: readonly string[] = Object.keys(TAG_LIMITS);

// Anchor: none of the scanners (Azure Policy "Require a tag on resources"); the seed applies `$tags` to everything it
// creates, and cost reports rely on it.
export const requiredTags: ResourceValidationPolicy = {
  name: "required-tags",
  description: "Taggable resources must carry every required tag (by default the keys of the stack's `tags` config).",
  configSchema: {
    properties: {
      requiredTags: {
        type: "array",
        items: { type: "string" },
        default: [],
        description: "Tag names every taggable resource must carry (compared case-insensitively, as Azure does).",
      },
    },
  },
  validateResource: (args, report) => {
    const tags = args.props.tags;
    const type = unversionedType(args.type).toLowerCase();
    // Only azure-native resources carry ARM tags, and among them the tracked types (or any that sets tags), in any API version.
    if (!type.startsWith("azure-native:") || (!TAGGABLE_TYPES.some((t) => t.toLowerCase() === type) && tags === undefined)) return;
    const required = list(args.getConfig<{ requiredTags?: unknown }>().requiredTags).filter((t): t is string => typeof t === "string");
    if (required.length === 0) args.notApplicable("no required tags configured");
    if (isMasked(tags)) args.notApplicable("tags are secret in this file");
    const have = new Set(Object.keys(isRecord(tags) ? tags : {}).map((k) => k.toLowerCase()));
    const missing = [...new Set(required)].filter((t) => !have.has(t.toLowerCase())).sort();
    if (missing.length > 0) report(`Missing required tag${missing.length === 1 ? "" : "s"}: ${missing.join(", ")}.`);
  },
};

// Anchor: none of the scanners; Azure refuses tags over its limits (a storage account a tag name over 128 characters,
// a scale set more than 2048 characters of tags). Mandatory: the resource fails to deploy.
// Tag limits per resource type https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/tag-resources#limitations
export const tagsAzureLimits: ResourceValidationPolicy = {
  name: "tags-azure-limits",
  description: "Tags stay within Azure's limits for the resource's type (count, name and value lengths, characters, total length).",
  enforcementLevel: "mandatory",
  validateResource: (args, report) => {
    const tags = args.props.tags;
    if (!args.type.startsWith("azure-native:") || !isRecord(tags)) return;
    for (const p of tagProblems(tags, [args.type])) report(p.tag === undefined ? `tags: ${p.rule}.` : `tags.${p.tag}: ${p.rule}.`);
  },
};
