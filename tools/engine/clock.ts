/**
 * The offline commands' one clock: the real time, or SOURCE_DATE_EPOCH (seconds since 1970, the reproducible-builds
 * convention) when set, so that a plan can be reproduced, and tested, at a chosen moment.
 */
export function toolNow(env: NodeJS.ProcessEnv = process.env): Date {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && /^\d{1,12}$/.test(epoch)) return new Date(Number(epoch) * 1000);
  return new Date();
}
