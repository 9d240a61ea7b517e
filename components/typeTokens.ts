/** Pulumi type tokens, as the policy pack, the plan's masking and the runner compare them. Pure. */

/**
 * The type a token stands for, without an API version: `azure-native:network/v20230501:NetworkSecurityGroup` (one
 * of the provider's per-version modules, which a program may use directly) is `azure-native:network:NetworkSecurityGroup`.
 * Other providers' `module/file` tokens (`azuread:index/application:Application`) are left as they are.
 */
export function unversionedType(type: string): string {
  const m = /^(azure-native):([^:/]+)\/[^:/]+:([^:/]+)$/.exec(type);
  return m ? `${m[1]}:${m[2]}:${m[3]}` : type;
}

/** Whether two type tokens name the same type, in any API version and letter case. */
export function sameType(a: string, b: string): boolean {
  return unversionedType(a).toLowerCase() === unversionedType(b).toLowerCase();
}
