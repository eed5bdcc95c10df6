import { describe, expect, it } from 'vitest';
import { applyExceptions, parseExceptions } from '../src/gates/exceptions.js';
import type { GateFinding } from '../src/gates/finding.js';

const TODAY = '2026-11-23';
const entry = (fields: Record<string, string>) =>
  `  - ${Object.entries(fields)
    .map(([key, value]) => `${key}: ${JSON.stringify(value)}`)
    .join('\n    ')}\n`;
const file = (...entries: string[]) => `exceptions:\n${entries.join('')}`;
const valid = {
  id: 'GHSA-aaaa-bbbb-cccc',
  reason: 'not reachable from the service',
  owner: '@team',
  expires: '2027-01-31',
};

const finding = (exceptionId?: string): GateFinding => ({
  check: 'dependencies',
  policy: 'dependencies/high',
  severity: 'error',
  target: 'pkg <2',
  path: exceptionId ?? '-',
  message: 'm',
  file: 'package-lock.json',
  ...(exceptionId ? { exceptionId } : {}),
});

describe('exceptions file', () => {
  it('accepts a well-formed entry valid through its expiry day', () => {
    const parsed = parseExceptions(file(entry({ ...valid, expires: TODAY })), TODAY);
    expect(parsed.problems).toEqual([]);
    expect(parsed.active.map((e) => e.id)).toEqual([valid.id]);
  });

  it('fails on an expired entry, naming it and its owner', () => {
    const parsed = parseExceptions(file(entry({ ...valid, expires: '2026-11-22' })), TODAY);
    expect(parsed.active).toEqual([]);
    expect(parsed.problems).toHaveLength(1);
    expect(parsed.problems[0]).toMatchObject({ severity: 'error', path: 'exceptions[0]' });
    expect(parsed.problems[0]?.message).toMatch(
      /exceptions\[0\] \(GHSA-aaaa-bbbb-cccc\) owned by @team expired on 2026-11-22/,
    );
  });

  it.each([
    ['no owner', { id: valid.id, reason: valid.reason, expires: valid.expires }],
    ['a date that is not YYYY-MM-DD', { ...valid, expires: '31/01/2027' }],
    ['a reason too short to review', { ...valid, reason: 'ok' }],
    ['an unknown field', { ...valid, severity: 'low' }],
  ])('fails on a malformed entry (%s), naming it', (_name, fields) => {
    const parsed = parseExceptions(file(entry(valid), entry(fields)), TODAY);
    expect(parsed.active.map((e) => e.id)).toEqual([valid.id]);
    expect(parsed.problems).toHaveLength(1);
    expect(parsed.problems[0]?.message).toMatch(/^exceptions\[1\] \(GHSA-aaaa-bbbb-cccc\) is malformed/);
  });

  it('fails on a file that is not YAML or has no list', () => {
    expect(parseExceptions('exceptions: [', TODAY).problems[0]?.message).toMatch(/not valid YAML/);
    expect(parseExceptions('accepted: []', TODAY).problems[0]?.message).toMatch(/"exceptions:" list/);
  });

  it('treats a missing or empty file as no exceptions', () => {
    expect(parseExceptions(undefined, TODAY)).toEqual({ active: [], problems: [] });
    expect(parseExceptions('', TODAY)).toEqual({ active: [], problems: [] });
  });
});

describe('applyExceptions', () => {
  it('waives only the findings an exception names, and warns about an exception that matches nothing', () => {
    const parsed = parseExceptions(
      file(entry(valid), entry({ ...valid, id: 'licence:left-pad@1.0.0' })),
      TODAY,
    );
    const applied = applyExceptions([finding(valid.id), finding('GHSA-other'), finding()], parsed.active);
    expect(applied.waived.map((w) => w.exceptionId)).toEqual([valid.id]);
    expect(applied.findings.map((f) => [f.policy, f.severity, f.path])).toEqual([
      ['dependencies/high', 'error', 'GHSA-other'],
      ['dependencies/high', 'error', '-'],
      ['exceptions/unused', 'warning', 'licence:left-pad@1.0.0'],
    ]);
  });
});
