/** Checks of BotChannel's Args that their types cannot express. Pure: no Pulumi, no clock. */
import { appPasswordEndDate, appPasswordLabels } from "./appPassword";
import type { BotChannelArgs } from "./botChannel";
import { BOT_NAME_PATTERN, isFqdn } from "./naming";

/**
 * Invariants of the Args (the config phase has reported these already for stacks; this guards other callers). The
 * password's expiry at "now" is a stack rule and is checked with the config, not here.
 */
export function checkBotChannelArgs(args: Pick<BotChannelArgs, "botName" | "appPasswordRotation" | "appPasswordPrevious" | "connectorFqdn">): string[] {
  const errors: string[] = [];
  if (!BOT_NAME_PATTERN.test(args.botName)) errors.push(`botName "${args.botName}" must be 2-64 characters: letters, digits, _ . -, starting with a letter or digit`);
  if (!isFqdn(args.connectorFqdn)) errors.push(`connectorFqdn "${args.connectorFqdn}" must be a lower-case FQDN`);
  const labels = appPasswordLabels(args);
  for (const key of ["appPasswordRotation", "appPasswordPrevious"] as const) {
    const label = args[key];
    if (label === undefined || !labels.includes(label)) continue;
    try {
      appPasswordEndDate(label);
    } catch (e) {
      errors.push(`${key} "${label}" ${(e as Error).message}`);
    }
  }
  return errors;
}
