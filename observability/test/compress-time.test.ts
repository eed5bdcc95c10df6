import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compressRuleTimes, formatDuration, parseDuration } from '../src/compress-time.js';
import { paths } from '../src/paths.js';
import { allRules, isAlertingRule, parseRuleFile } from '../src/rule-file.js';

const real = parseRuleFile(readFileSync(paths.rules, 'utf8'));

describe('compressRuleTimes', () => {
  it('parses and formats Prometheus durations', () => {
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('3d')).toBe(259_200_000);
    expect(formatDuration(6000)).toBe('6s');
    expect(formatDuration(1500)).toBe('1500ms');
    expect(() => parseDuration('5 minutes')).toThrow(/not a Prometheus duration/);
  });

  it('divides every for: and range window, and changes nothing else', () => {
    const fast = compressRuleTimes(real, 20);
    const highErrorRate = allRules(fast)
      .filter(isAlertingRule)
      .find((rule) => rule.alert === 'HighErrorRate');
    expect(highErrorRate?.for).toBe('6s');
    const recording = allRules(fast).find(
      (rule) => 'record' in rule && rule.record === 'env:http_requests:rate5m',
    );
    expect(recording?.expr).toContain('[15s]');
    expect(recording?.expr).not.toContain('[5m]');
    const slow = allRules(fast).find(
      (rule) => 'record' in rule && rule.record === 'env:slo_availability_errors:ratio_rate3d',
    );
    expect(slow?.expr).toContain('[12960s]');
    // With windows blanked and for: dropped, the copy is the real file.
    const shape = (rule: object) => JSON.stringify({ ...rule, for: undefined }).replace(/\[[^\]]+\]/g, '[]');
    expect(allRules(fast).map(shape)).toEqual(allRules(real).map(shape));
  });

  it('keeps a window long enough for two scrapes', () => {
    const file = { groups: [{ name: 'g', rules: [{ record: 'x', expr: 'rate(a[1m])' }] }] };
    expect(compressRuleTimes(file, 60, 5000).groups[0]?.rules[0]?.expr).toBe('rate(a[5s])');
  });
});
