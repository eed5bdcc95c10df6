import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { release } from '../src/release/commands.js';
import { writeDeploy } from '../src/synth/write.js';
import { digestOf } from './release-fixtures.js';

const REPOSITORY = fileURLToPath(new URL('../../..', import.meta.url));
let root: string;
const git = (...args: string[]): string => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();

/** A copy of this repository's committed files, re-synthesized and committed, as CI would check it out. */
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'runway-release-synth-'));
  const archive = join(root, 'snapshot.tar');
  execFileSync('git', ['archive', '--format=tar', `--output=${archive}`, 'HEAD'], { cwd: REPOSITORY });
  execFileSync('tar', ['-x', '-f', archive, '-C', root]);
  rmSync(archive);
  git('init', '--quiet', '--initial-branch=main');
  git('config', 'user.email', 'release-test@example.com');
  git('config', 'user.name', 'Release Test');
  await writeDeploy(root);
  git('add', '--all');
  git('commit', '--quiet', '--message', 'snapshot');
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

it('a dev release re-renders only dev’s manifests with the new digest, in the release commit', async () => {
  const context = { cwd: root, synth: writeDeploy, environment: {}, now: () => new Date() };
  await release(context, 'dev', digestOf('a'), { by: 'release-synth.test', commit: true });
  const changed = git('show', '--name-only', '--format=', 'HEAD').split('\n');
  expect(changed).toContain('deploy/releases/dev.json');
  const rendered = changed.filter((path) => path !== 'deploy/releases/dev.json');
  expect(rendered.length).toBeGreaterThan(0);
  expect(rendered.every((path) => path.startsWith('deploy/envs/dev/'))).toBe(true);
  const mentions = rendered.filter((path) =>
    readFileSync(join(root, path), 'utf8').includes(`@${digestOf('a')}`),
  );
  expect(mentions.length).toBeGreaterThan(0);
  expect(git('status', '--porcelain')).toBe('');
}, 60_000);
