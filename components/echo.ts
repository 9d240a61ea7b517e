/** How values a user typed are echoed in messages (config errors, usage errors): cut, never whole. Pure. */

/** Characters of a value shown before the cut. */
export const ECHO_MAX = 80;

/**
 * `value` as shown in a message: whole when at most `max` characters, else its first `max` and `…(N chars)` with
 * N the full length. A 5 MB config value is echoed as 80 characters and its size.
 */
export function cutEcho(value: string, max = ECHO_MAX): string {
  if (value.length <= max) return value;
  return `${value.slice(0, max)}…(${value.length} chars)`;
}
