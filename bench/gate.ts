/**
 * `runway gate --all-history` wall time on this repository (target < 30 s), measured as a user runs it: a fresh
 * CLI process, from spawn to exit, reading every commit of every ref (merges diffed against each parent). npm's advisory endpoint refuses on this machine, so the audit step runs (and
 * fails fast) under --audit-unavailable-ok; on a GitHub runner it answers instead.
 *
 *   npx tsx bench/gate.ts
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNWAY = join(ROOT, 'packages/platform/bin/runway.js');
const TARGET_SECONDS = 30;

interface Report {
  readonly passed: boolean;
  readonly checks: readonly { name: string; seconds: number }[];
}

const gitCount = (args: string[]): Promise<string> =>
  new Promise((resolve, reject) =>
    execFile('git', args, { cwd: ROOT }, (error, stdout) => (error ? reject(error) : resolve(stdout.trim()))),
  );

const out = await mkdtemp(join(tmpdir(), 'runway-gate-bench-'));
try {
  const started = performance.now();
  const exitCode = await new Promise<number>((resolve) => {
    execFile(
      process.execPath,
      [RUNWAY, 'gate', '--all-history', '--out', out, '--audit-unavailable-ok'],
      { cwd: ROOT },
      (error) => resolve(error ? Number((error as { code?: number }).code ?? 1) : 0),
    );
  });
  const seconds = (performance.now() - started) / 1000;
  const report = JSON.parse(await readFile(join(out, 'gate.json'), 'utf8')) as Report;
  const commits = await gitCount(['rev-list', '--count', '--all']);
  const files = (await gitCount(['ls-files'])).split('\n').length;
  console.log(
    `runway gate --all-history on this repository (${files} tracked files, ${commits} commits of history; load average ${loadavg()[0]?.toFixed(1)} on this machine)`,
  );
  console.log(
    `  wall time  ${seconds.toFixed(1)} s  (target < ${TARGET_SECONDS} s: ${seconds < TARGET_SECONDS ? 'met' : 'MISSED'})`,
  );
  console.log(`  verdict    ${report.passed ? 'PASS' : 'FAIL'} (exit ${exitCode})`);
  for (const check of report.checks) console.log(`  ${check.name.padEnd(13)} ${check.seconds.toFixed(1)} s`);
} finally {
  await rm(out, { recursive: true, force: true });
}
