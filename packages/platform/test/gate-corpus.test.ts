import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGate } from '../src/gates/gate.js';
import type { GateReport } from '../src/gates/report.js';
import { badCases, type CorpusCase } from './fixtures/gate/corpus/bad-cases.js';
import { cleanCases } from './fixtures/gate/corpus/clean-cases.js';
import { COMPLIANT_REPO } from './fixtures/gate/corpus/compliant-repo.js';
import { createTempRepo, type TempRepo } from './fixtures/gate/temp-repo.js';

/**
 * The gate's own corpus, generated at run time (no credential is stored): every bad case and every tricky clean
 * case is planted alone into a fresh clone of a small compliant repository, committed on a branch as a pull
 * request carries it (origin/main..HEAD is what the gate reads), and judged alone by `runGate`, the function
 * behind `runway gate`, with secrets and policy (the dependency checks have their own tests). Cases are judged
 * in one process, CONCURRENCY at a time: a CLI process per case costs ~3 s of CPU in start-up alone, which two
 * shared cores cannot give 190 times. A sample is also run through the CLI, which must agree.
 */
const run = promisify(execFile);
const RUNWAY = fileURLToPath(new URL('../bin/runway.js', import.meta.url));
const CONCURRENCY = 3;

interface Verdict {
  readonly name: string;
  readonly blocked: boolean;
  readonly crashed: string | undefined;
  readonly expectedFound: boolean;
  readonly policies: string[];
}

const plant = async (base: string, work: string, item: CorpusCase): Promise<string> => {
  const dir = join(
    work,
    `${item.name.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 60)}-${randomUUID().slice(0, 8)}`,
  );
  await run('git', ['clone', '-q', base, dir]);
  const git = (...args: string[]) => run('git', args, { cwd: dir });
  await git('config', 'user.email', 'corpus@example.invalid');
  await git('config', 'user.name', 'corpus');
  await git('checkout', '-q', '-b', 'pull-request');
  const { writeFile, mkdir } = await import('node:fs/promises');
  const { dirname } = await import('node:path');
  const write = async () => {
    for (const [file, content] of Object.entries(item.files)) {
      await mkdir(dirname(join(dir, file)), { recursive: true });
      await writeFile(join(dir, file), content);
    }
  };
  if (item.plant === 'merge-only') {
    await git('checkout', '-q', '-b', 'side');
    await writeFile(join(dir, 'side.txt'), 'side\n');
    await git('add', '-A');
    await git('commit', '-q', '-m', 'side');
    await git('checkout', '-q', 'pull-request');
    await writeFile(join(dir, 'main.txt'), 'main\n');
    await git('add', '-A');
    await git('commit', '-q', '-m', 'main');
    await git('merge', '-q', '--no-ff', '--no-commit', 'side');
    await write();
    await git('add', '-A');
    await git('commit', '-q', '-m', 'merge side');
    return dir;
  }
  await write();
  await git('add', '-A');
  await git('commit', '-q', '--allow-empty', '-m', item.name);
  if (item.plant === 'removed') {
    await git('rm', '-q', ...Object.keys(item.files));
    await git('commit', '-q', '-m', 'remove it again');
  }
  return dir;
};

/** The CLI, as CI runs it: exit 0 or 1, anything else is a crash. */
const viaCli = (dir: string, out: string): Promise<0 | 1 | string> =>
  run(process.execPath, [RUNWAY, 'gate', '--root', dir, '--out', out, '--only', 'secrets,policy'], {
    cwd: dir,
  }).then(
    () => 0 as const,
    (error: { code?: number; stderr?: string }) =>
      error.code === 1 ? 1 : `exit ${error.code}: ${error.stderr}`,
  );

/** `runGate`, the function behind the CLI, in this process: no start-up cost per case. */
const viaLibrary = (dir: string, out: string): Promise<0 | 1 | string> =>
  runGate({
    root: dir,
    outDir: out,
    allHistory: false,
    auditUnavailableOk: false,
    today: new Date().toISOString().slice(0, 10),
    only: ['secrets', 'policy'],
  }).then(
    (report) => (report.passed ? 0 : 1),
    (error: unknown) => `threw: ${String(error)}`,
  );

const judge = async (base: string, work: string, item: CorpusCase, cli = false): Promise<Verdict> => {
  const dir = await plant(base, work, item);
  const out = join(dir, '..', `${dir.split('/').at(-1)}-reports${cli ? '-cli' : ''}`);
  const exit = await (cli ? viaCli : viaLibrary)(dir, out);
  const report = await readFile(join(out, 'gate.json'), 'utf8').then(
    (text) => JSON.parse(text) as GateReport,
    () => undefined,
  );
  const blocking = report?.findings.filter((finding) => finding.severity === 'error') ?? [];
  const crashedFinding = report?.findings.find((finding) => finding.policy.endsWith('/crashed'));
  return {
    name: item.name,
    blocked: report ? !report.passed : false,
    crashed:
      typeof exit === 'string'
        ? exit
        : !report
          ? 'no gate.json'
          : crashedFinding
            ? crashedFinding.message
            : undefined,
    expectedFound: item.blockedBy
      ? blocking.some((finding) => finding.policy.startsWith(item.blockedBy ?? ''))
      : true,
    policies: blocking.map((finding) => `${finding.policy} ${finding.target}`),
  };
};

const judgeAll = async (base: string, work: string, items: readonly CorpusCase[]): Promise<Verdict[]> => {
  const verdicts: Verdict[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      if (item) verdicts.push(await judge(base, work, item));
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return verdicts;
};

/** About 11 s on an idle 2-core machine; it runs in every `npm test`. */
describe('the gate on its own corpus (each case planted alone)', () => {
  let base: TempRepo;
  let work: string;
  const bad = badCases();
  const clean = cleanCases();
  let badVerdicts: Verdict[] = [];
  let cleanVerdicts: Verdict[] = [];

  beforeAll(async () => {
    base = await createTempRepo();
    await base.commit('compliant repository', COMPLIANT_REPO);
    work = await mkdtemp(join(tmpdir(), 'runway-corpus-'));
    const started = performance.now();
    cleanVerdicts = await judgeAll(base.root, work, [
      { name: 'the compliant repository itself', files: {} },
      ...clean,
    ]);
    badVerdicts = await judgeAll(base.root, work, bad);
    const blocked = badVerdicts.filter((verdict) => verdict.blocked && verdict.expectedFound).length;
    const falsePositives = cleanVerdicts.filter((verdict) => verdict.blocked).length;
    const crashes = [...badVerdicts, ...cleanVerdicts].filter((verdict) => verdict.crashed).length;
    console.log(
      `gate corpus: ${blocked}/${bad.length} bad cases blocked (${((100 * blocked) / bad.length).toFixed(1)} %), ` +
        `${falsePositives} false positives in ${clean.length + 1} clean cases, ${crashes} crashes, ` +
        `${((performance.now() - started) / 1000).toFixed(0)} s`,
    );
  }, 900_000);

  afterAll(async () => {
    await base.remove();
    await rm(work, { recursive: true, force: true });
  });

  it('has at least 150 bad and 20 clean cases', () => {
    expect(bad.length).toBeGreaterThanOrEqual(150);
    expect(clean.length).toBeGreaterThanOrEqual(20);
  });

  it('blocks every bad case, by the policy that case is about', () => {
    const missed = badVerdicts
      .filter((verdict) => !verdict.blocked || !verdict.expectedFound)
      .map((verdict) => `${verdict.name}: ${verdict.policies.join('; ') || 'passed'}`);
    expect(missed).toEqual([]);
  });

  it('passes every clean case (no false positive)', () => {
    expect(
      cleanVerdicts.filter((verdict) => verdict.blocked).map((v) => `${v.name}: ${v.policies.join('; ')}`),
    ).toEqual([]);
  });

  it('never crashes: every run writes gate.json with no crashed scanner', () => {
    expect(
      [...badVerdicts, ...cleanVerdicts].filter((v) => v.crashed).map((v) => `${v.name}: ${v.crashed}`),
    ).toEqual([]);
  });

  it('gives the same verdicts through the CLI (a sample: secrets, history, merges, workflows, clean)', async () => {
    const names = [
      'GitHub classic PAT in .env',
      'secret only in a merge commit',
      'UTF-16LE file with BOM',
      'a workflow that is not valid YAML',
      'NodePort Service',
      "AWS's documented example key pair in docs",
      'workflow passes the PR title through env',
    ];
    const sample = names.map((name) => [...bad, ...clean].find((item) => item.name === name) as CorpusCase);
    const verdicts = await Promise.all(sample.map((item) => judge(base.root, work, item, true)));
    expect(verdicts.map((verdict) => [verdict.name, verdict.blocked, verdict.crashed])).toEqual(
      sample.map((item) => [item.name, item.blockedBy !== undefined, undefined]),
    );
  }, 600_000);
});
