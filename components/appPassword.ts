/**
 * The application passwords' labels (`appPasswordRotation`, `appPasswordPrevious`): which passwords exist, their
 * logical names, and their lifetime, derived from the label so that it is the same on every run. Pure functions: the
 * config phase checks a stack's label against the program's one clock.
 */
import { createHash } from "crypto";
import type { BotChannelArgs } from "./botChannel";

/** Validity of an application password: two years, the longest Entra ID offers in its portal. */
// Client secret lifetime is limited to 24 months or less https://learn.microsoft.com/en-us/entra/identity-platform/how-to-add-credentials?tabs=client-secret
export const APP_PASSWORD_VALIDITY_MONTHS = 24;
/** Warn when the password expires within this many days. */
export const APP_PASSWORD_WARN_DAYS = 60;

const DATE_LABEL = /^(\d{4})-(\d{2})(?:-(\d{2}))?(?:$|[^0-9])/;

/**
 * The password's explicit end date, derived from the `appPasswordRotation` label so that it is the same on every run:
 * a label that starts with a date (`2026-11`, `2026-11-15`, `2026-11-rotation`) is the issue date, and the password is
 * valid for APP_PASSWORD_VALIDITY_MONTHS from it. Any other label (the default `"1"`) has no date to anchor on:
 * undefined, and the password gets the same validity relative to its creation instead.
 */
export function appPasswordEndDate(label: string): string | undefined {
  const m = DATE_LABEL.exec(label);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), m[3] === undefined ? 1 : Number(m[3])];
  const issued = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12 || issued.getUTCDate() !== day) {
    // The message is the rule alone: the caller names the key the label came from.
    throw new Error("starts like a date but is not one (use YYYY-MM or YYYY-MM-DD)");
  }
  const end = new Date(Date.UTC(year, month - 1 + APP_PASSWORD_VALIDITY_MONTHS, day));
  return end.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Problems with an end date as seen at `now`: an error when already past, a warning when close. */
export function appPasswordEndDateProblem(endDate: string, now: Date): { error?: string; warning?: string } {
  const days = (Date.parse(endDate) - now.getTime()) / 86_400_000;
  if (days <= 0) return { error: `the application password's end date ${endDate} is in the past: set appPasswordRotation to this month (e.g. ${now.toISOString().slice(0, 7)}) to issue a new one` };
  if (days < APP_PASSWORD_WARN_DAYS) return { warning: `the application password expires on ${endDate} (in ${Math.floor(days)} days): set appPasswordRotation to this month (e.g. ${now.toISOString().slice(0, 7)}) to issue a new one` };
  return {};
}

/** The labels whose passwords exist: the current one first, then the previous one being retired. */
export function appPasswordLabels(args: Pick<BotChannelArgs, "appPasswordRotation" | "appPasswordPrevious">): string[] {
  return args.appPasswordPrevious !== undefined && args.appPasswordPrevious !== args.appPasswordRotation
    ? [args.appPasswordRotation, args.appPasswordPrevious]
    : [args.appPasswordRotation];
}

/** A password's logical name: stable per label (a hash keeps any label a valid, short URN part). */
export function appPasswordResourceName(component: string, label: string): string {
  const slug = label.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 24);
  return `${component}-password-${slug || "x"}-${createHash("sha256").update(label).digest("hex").slice(0, 6)}`;
}
