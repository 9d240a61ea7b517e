/**
 * Azure's deployment-time rules that the stack config alone decides, for the config loader's second phase: the VM
 * size against the image (components/vmSizes.ts) and the tags against every taggable type (components/tagLimits.ts).
 * One call, problems named by their short key (the project namespace's `vmSize`, `vmImage`, `tags`, `tags.<name>`),
 * the offending value, and the rule. Pure: no Pulumi, no config loader.
 */
import { tagProblems } from "./tagLimits";
import { checkVmSizeAndImage, ImageRef } from "./vmSizes";

export interface AzureConfigIssue {
  /** Short key in the project namespace: `vmSize`, `vmImage`, `tags` or `tags.<name>`. */
  key: string;
  /** The value the rule is about (for the message; never secret). */
  value: unknown;
  rule: string;
}

export function azureConfigRules(c: { vmSize: string; vmImage: ImageRef; tags: Record<string, unknown> }): { errors: AzureConfigIssue[]; warnings: string[] } {
  const size = checkVmSizeAndImage(c.vmSize, c.vmImage);
  const errors: AzureConfigIssue[] = size.errors.map((e) => ({ key: e.key, value: e.key === "vmSize" ? c.vmSize : c.vmImage, rule: e.rule }));
  for (const p of tagProblems(c.tags)) {
    errors.push(p.tag === undefined ? { key: "tags", value: `${Object.keys(c.tags).length} tags`, rule: p.rule } : { key: `tags.${p.tag}`, value: p.aboutValue ? c.tags[p.tag] : p.tag, rule: p.rule });
  }
  return { errors, warnings: size.warnings };
}
