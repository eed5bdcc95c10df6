import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { paths } from '../src/paths.js';
import { allRules, isAlertingRule, parseRuleFile } from '../src/rule-file.js';
import { runTool } from '../src/tools.js';

const rules = parseRuleFile(readFileSync(paths.rules, 'utf8'));
const alerts = allRules(rules).filter(isAlertingRule);
const recordings = allRules(rules).flatMap((rule) => ('record' in rule ? [rule.record] : []));
const testFiles = readdirSync(paths.ruleTestsDir)
  .filter((file) => file.endsWith('.test.yaml'))
  .sort();

interface PromtoolTestFile {
  tests: {
    alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[];
    promql_expr_test?: { expr: string }[];
  }[];
}
const promtoolTests = testFiles.flatMap(
  (file) => (parse(readFileSync(join(paths.ruleTestsDir, file), 'utf8')) as PromtoolTestFile).tests,
);
const alertCases = promtoolTests.flatMap((test) => test.alert_rule_test ?? []);
const exprCases = promtoolTests.flatMap((test) => test.promql_expr_test ?? []);

const scratch = mkdtempSync(join(tmpdir(), 'runway-rules-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('links.rules.yaml', () => {
  it('passes promtool check rules', async () => {
    const result = await runTool('promtool', ['check', 'rules', paths.rules]);
    expect(result.stderr).toBe('');
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain(`SUCCESS: ${alerts.length + recordings.length} rules found`);
  });

  it('passes every promtool unit test', async () => {
    const result = await runTool('promtool', ['test', 'rules', ...testFiles], paths.ruleTestsDir);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout.match(/SUCCESS/g)).toHaveLength(testFiles.length);
  });

  it('fails the unit tests when an alert fires earlier than its for: says', async () => {
    // The same tests against a copy whose HighErrorRate waits 1m instead of 2m: the boundary case must catch it.
    mkdirSync(join(scratch, 'tests'));
    writeFileSync(
      join(scratch, 'links.rules.yaml'),
      readFileSync(paths.rules, 'utf8').replace(/for: 2m/g, 'for: 1m'),
    );
    for (const file of testFiles) copyFileSync(join(paths.ruleTestsDir, file), join(scratch, 'tests', file));
    const result = await runTool('promtool', ['test', 'rules', 'red.test.yaml'], join(scratch, 'tests'));
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toContain('alertname: HighErrorRate, time: 2m');
  });

  it.each(alerts.map((alert) => [alert.alert, alert] as const))(
    '%s has severity, summary, description and a runbook',
    (name, alert) => {
      expect(['critical', 'warning']).toContain(alert.labels?.severity);
      expect(alert.annotations?.summary).toMatch(/\{\{ \$labels\.env \}\}/);
      expect(alert.annotations?.description?.length).toBeGreaterThan(40);
      expect(alert.annotations?.runbook_url).toBe(
        `https://github.com/runway-dev/runway/blob/main/docs/runbooks/${name}.md`,
      );
      expect(existsSync(join(paths.runbooksDir, `${name}.md`)), `docs/runbooks/${name}.md`).toBe(true);
    },
  );

  it('has a runbook for every alert and none for alerts that do not exist', () => {
    const runbooks = readdirSync(paths.runbooksDir).filter(
      (file) => file.endsWith('.md') && file !== 'README.md',
    );
    expect(runbooks.map((file) => file.replace(/\.md$/, '')).sort()).toEqual(
      alerts.map((a) => a.alert).sort(),
    );
  });

  it('has unit tests that make every alert fire and stay silent', () => {
    for (const { alert } of alerts) {
      const cases = alertCases.filter((c) => c.alertname === alert);
      expect(
        cases.some((c) => (c.exp_alerts ?? []).length > 0),
        `${alert} is never expected to fire`,
      ).toBe(true);
      expect(
        cases.some((c) => (c.exp_alerts ?? []).length === 0),
        `${alert} is never expected silent`,
      ).toBe(true);
    }
  });

  it('has a unit test that evaluates every recording rule', () => {
    const untested = recordings.filter((record) => !exprCases.some((c) => c.expr.includes(record)));
    expect(untested).toEqual([]);
  });

  it('puts every alert on a recorded series in the group that records it', () => {
    // Groups run independently: an alert in another group would see the recording one interval late.
    for (const group of rules.groups) {
      const recordedHere = group.rules.flatMap((rule) => ('record' in rule ? [rule.record] : []));
      const recordedElsewhere = recordings.filter((record) => !recordedHere.includes(record));
      for (const rule of group.rules.filter(isAlertingRule)) {
        expect(
          recordedElsewhere.filter((record) => rule.expr.includes(record)),
          rule.alert,
        ).toEqual([]);
      }
    }
  });
});
