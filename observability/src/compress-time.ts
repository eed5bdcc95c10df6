import type { RuleFile } from './rule-file.js';

const unitMs: Record<string, number> = {
  ms: 1,
  s: 1e3,
  m: 60e3,
  h: 3600e3,
  d: 86_400e3,
  w: 604_800e3,
  y: 31_536_000e3,
};
const durationPart = /(\d+)(ms|[smhdwy])/g;
const durationPattern = /^(?:\d+(?:ms|[smhdwy]))+$/;

/** Milliseconds in a Prometheus duration (`90s`, `1h30m`, `3d`). */
export const parseDuration = (duration: string): number => {
  if (!durationPattern.test(duration))
    throw new Error(`not a Prometheus duration: ${JSON.stringify(duration)}`);
  let total = 0;
  for (const [, amount, unit] of duration.matchAll(durationPart))
    total += Number(amount) * (unitMs[unit ?? ''] ?? 0);
  return total;
};

export const formatDuration = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);

/** Divides a duration, never below `floorMs` (a rate needs at least two scrapes in its window). */
const compress = (duration: string, factor: number, floorMs: number): string =>
  formatDuration(Math.max(floorMs, Math.round(parseDuration(duration) / factor)));

const rangeSelector = /\[((?:\d+(?:ms|[smhdwy]))+)\]/g;

/**
 * The same rules on a faster clock, for a live test: every `for:` and every range selector divided by
 * `factor`. Shortening `for:` alone would leave 5-minute rate windows, so an alert would resolve minutes after
 * its cause is gone; compressing both keeps the rules' shape (window ÷ `for:` ratios) intact.
 */
export const compressRuleTimes = (file: RuleFile, factor: number, floorMs = 5000): RuleFile => ({
  groups: file.groups.map((group) => ({
    ...group,
    ...(group.interval === undefined ? {} : { interval: compress(group.interval, factor, 1000) }),
    rules: group.rules.map((rule) => ({
      ...rule,
      expr: rule.expr.replace(
        rangeSelector,
        (_match, duration: string) => `[${compress(duration, factor, floorMs)}]`,
      ),
      ...('for' in rule && rule.for !== undefined ? { for: compress(rule.for, factor, 1000) } : {}),
    })),
  })),
});
