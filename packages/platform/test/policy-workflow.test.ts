import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkWorkflow } from '../src/policy/workflow.js';
import { runActionlint } from '../src/policy/workflow-actionlint.js';
import { checkWorkflowSchema } from '../src/policy/workflow-schema.js';

const SHA = 'b4ffde65f46336ab88eb53be808477a3936bae11';

const GOOD = `name: good
on:
  pull_request:
permissions:
  contents: read
concurrency:
  group: good-\${{ github.ref }}
  cancel-in-progress: true
jobs:
  build:
    runs-on: ubuntu-24.04
    timeout-minutes: 10
    permissions:
      contents: read
      id-token: write # keyless signing
    steps:
      - uses: actions/checkout@${SHA} # v4.1.1
        with:
          persist-credentials: false
      - name: title
        env:
          TITLE: \${{ github.event.pull_request.title }}
        run: echo "$TITLE"
`;

const policies = (content: string) =>
  checkWorkflow('ci.yml', content).map((finding) => [finding.policy, finding.severity, finding.path]);

describe('workflow policy', () => {
  it('passes a pinned, least-privilege workflow that passes untrusted input through env', () => {
    expect(checkWorkflow('ci.yml', GOOD)).toEqual([]);
    expect(checkWorkflowSchema('ci.yml', GOOD)).toEqual([]);
  });

  // The bad-input corpus: each workflow breaks one rule, and the rule blocks it.
  it.each([
    [
      'an action pinned by tag',
      GOOD.replace(`checkout@${SHA} # v4.1.1`, 'checkout@v4'),
      'workflow/action-pinned',
      'line 17',
    ],
    [
      'an action on a branch',
      GOOD.replace(`checkout@${SHA} # v4.1.1`, 'checkout@main'),
      'workflow/action-pinned',
      'line 17',
    ],
    [
      'a short SHA',
      GOOD.replace(`checkout@${SHA}`, `checkout@${SHA.slice(0, 7)}`),
      'workflow/action-pinned',
      'line 17',
    ],
    [
      'a docker action by tag',
      GOOD.replace(`actions/checkout@${SHA} # v4.1.1`, 'docker://alpine:3'),
      'workflow/action-pinned',
      'line 17',
    ],
    [
      'no top-level permissions',
      GOOD.replace('permissions:\n  contents: read\nconcurrency', 'concurrency'),
      'workflow/least-permissions',
      'line 1',
    ],
    [
      'write-all at the top',
      GOOD.replace('permissions:\n  contents: read\nconcurrency', 'permissions: write-all\nconcurrency'),
      'workflow/least-permissions',
      'line 4',
    ],
    [
      'a write grant at the top',
      GOOD.replace('  contents: read\nconcurrency', '  contents: write\nconcurrency'),
      'workflow/least-permissions',
      'line 5',
    ],
    [
      'a job grant without a reason',
      GOOD.replace(' # keyless signing', ''),
      'workflow/least-permissions',
      'line 15',
    ],
    [
      'untrusted input in run',
      GOOD.replace('run: echo "$TITLE"', `run: echo "\${{ github.event.pull_request.title }}"`),
      'workflow/untrusted-input-in-run',
      'line 23',
    ],
    [
      'head_ref in run',
      GOOD.replace('run: echo "$TITLE"', `run: git checkout \${{ github.head_ref }}`),
      'workflow/untrusted-input-in-run',
      'line 23',
    ],
    [
      'pull_request_target checking out the PR',
      GOOD.replace('  pull_request:', '  pull_request_target:').replace(
        'persist-credentials: false',
        `persist-credentials: false\n          ref: \${{ github.event.pull_request.head.sha }}`,
      ),
      'workflow/pull-request-target-checkout',
      'line 20',
    ],
    [
      'a persisted checkout token',
      GOOD.replace('persist-credentials: false', 'fetch-depth: 0'),
      'workflow/persist-credentials',
      'line 17',
    ],
    ['no job timeout', GOOD.replace('    timeout-minutes: 10\n', ''), 'workflow/timeout', 'line 11'],
    ['no concurrency group', GOOD.replace(/concurrency:\n.*\n.*\n/, ''), 'workflow/concurrency', 'line 1'],
    [
      'the gate with its audit skipped',
      GOOD.replace('run: echo "$TITLE"', 'run: npx runway gate --audit-unavailable-ok'),
      'workflow/gate-complete',
      'line 23',
    ],
  ])('blocks %s', (_name, content, policy, path) => {
    expect(policies(content)).toContainEqual([policy, 'error', path]);
  });

  it('warns when a SHA pin has no version comment', () => {
    expect(policies(GOOD.replace(' # v4.1.1', ''))).toEqual([
      ['workflow/action-pinned', 'warning', 'line 17'],
    ]);
  });

  it('reports YAML that does not parse', () => {
    expect(policies('jobs: [')).toEqual([['workflow/syntax', 'error', 'line 1']]);
  });
});

describe('workflow schema (SchemaStore github-workflow.json)', () => {
  it('rejects an unknown key and a job without runs-on or uses', () => {
    const findings = checkWorkflowSchema('ci.yml', GOOD.replace('timeout-minutes: 10', 'timeout: 10'));
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((finding) => finding.policy === 'workflow/schema')).toBe(true);
    expect(findings.map((finding) => finding.path).join()).toContain('/jobs/build');
  });

  it('rejects an unknown permission level', () => {
    expect(
      checkWorkflowSchema(
        'ci.yml',
        GOOD.replace('contents: read\nconcurrency', 'contents: admin\nconcurrency'),
      ),
    ).not.toEqual([]);
  });
});

describe("this repository's workflows", () => {
  const dir = fileURLToPath(new URL('../../../.github/workflows/', import.meta.url));
  const files = readdirSync(dir).filter((file) => /\.ya?ml$/.test(file));

  it('include ci.yml', () => {
    expect(files).toContain('ci.yml');
  });

  it.each(files)('%s parses, matches the schema, passes actionlint and the workflow policy', async (file) => {
    const content = readFileSync(`${dir}${file}`, 'utf8');
    const target = `.github/workflows/${file}`;
    expect([
      ...checkWorkflowSchema(target, content),
      ...checkWorkflow(target, content),
      ...(await runActionlint(target, content)),
    ]).toEqual([]);
  });
});
