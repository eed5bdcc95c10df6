import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSecrets } from '../src/gates/secrets/check.js';
import { isPlaceholderCredential, matchSecretRules } from '../src/gates/secrets/rules.js';
import { scanText } from '../src/gates/secrets/scan.js';
import { type FakeSecret, fakeSecrets } from './fixtures/gate/fake-secrets.js';
import { createTempRepo, type TempRepo } from './fixtures/gate/temp-repo.js';

describe('secret rules (pure)', () => {
  it.each(fakeSecrets())('catch a $rule', (secret: FakeSecret) => {
    const matches = matchSecretRules(`first line\n${secret.line}\n`);
    expect(matches.map((match) => [match.rule, match.line])).toContainEqual([secret.rule, 2]);
  });

  it('never echo the secret: a short preview and a fingerprint only', () => {
    const [secret] = fakeSecrets().filter((fake) => fake.rule === 'secret/github-token');
    const [match] = matchSecretRules(secret?.line ?? '');
    expect(match?.preview).toMatch(/^.{4}…$/);
    expect(match?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(JSON.stringify(match)).not.toContain(secret?.line.slice(7));
  });

  it('ignore database URLs whose password is an interpolation or a placeholder', () => {
    const scheme = ['postgres', '//app'].join(':');
    for (const password of ['$' + '{DB_PASSWORD}', '$DB_PASSWORD', '%s', '{{.Password}}', '<password>']) {
      expect(matchSecretRules(`${scheme}:${password}@db:5432/app`)).toEqual([]);
      expect(isPlaceholderCredential(`${scheme}:${password}@db:5432/app`)).toBe(true);
    }
    expect(matchSecretRules(`${scheme}@db:5432/app`)).toEqual([]);
  });

  it('run secretlint too, with the AWS ID scan on, and report one finding per line', async () => {
    const secrets = fakeSecrets();
    const matches = await scanText('config.env', secrets.map((secret) => secret.line).join('\n'));
    const lines = matches.map((match) => match.line);
    expect(new Set(lines).size).toBe(lines.length);
    expect(matches.length).toBeGreaterThanOrEqual(secrets.length);
  });
});

describe('checkSecrets on a real git repository (bad-input corpus)', () => {
  let repo: TempRepo;
  const secrets = fakeSecrets();
  let pastCommit = '';

  beforeAll(async () => {
    repo = await createTempRepo();
    await repo.commit('initial', { 'README.md': '# clean\n' });
    pastCommit = await repo.commit('add config', {
      'config/old.env': `${secrets.map((s) => s.line).join('\n')}\n`,
    });
    await repo.git('rm', '-q', 'config/old.env');
    await repo.commit('remove config (the secrets stay in history)');
    await repo.commit('planted in the tree', {
      'src/settings.ts': `export const x = 1;\n${secrets.map((s) => s.line).join('\n')}\n`,
    });
  });

  afterAll(() => repo.remove());

  it.each(secrets)('find a $rule in a tracked file and in a past commit', async (secret: FakeSecret) => {
    const { findings } = await checkSecrets({ root: repo.root, allHistory: false });
    const hits = findings
      .filter((finding) => finding.policy === secret.rule)
      .map((finding) => finding.target);
    expect(hits).toContain('src/settings.ts');
    expect(hits).toContain(`config/old.env@${pastCommit.slice(0, 12)}`);
  });

  it('block, name the file and line, and give an exception id without the secret', async () => {
    const { findings } = await checkSecrets({ root: repo.root, allHistory: false });
    const finding = findings.find(
      (f) => f.target === 'src/settings.ts' && f.policy === 'secret/github-token',
    );
    expect(finding).toMatchObject({ severity: 'error', file: 'src/settings.ts', check: 'secrets' });
    expect(finding?.exceptionId).toMatch(/^secret:[0-9a-f]{16}$/);
    expect(finding?.line).toBeGreaterThan(1);
  });

  it('scan only commits missing from origin/main by default, everything with allHistory', async () => {
    const clean = await createTempRepo();
    try {
      const leaked = await clean.commit('leak', { 'a.env': `${secrets[3]?.line}\n` });
      await clean.git('rm', '-q', 'a.env');
      const fixed = await clean.commit('remove leak');
      await clean.git('update-ref', 'refs/remotes/origin/main', fixed);
      await clean.commit('new work', { 'b.txt': 'nothing secret\n' });
      const recent = await checkSecrets({ root: clean.root, allHistory: false });
      expect(recent).toEqual({
        findings: [],
        scope: '1 tracked files; history origin/main..HEAD: 1 file versions',
      });
      const all = await checkSecrets({ root: clean.root, allHistory: true });
      expect(all.findings.map((finding) => finding.target)).toEqual([`a.env@${leaked.slice(0, 12)}`]);
      expect(all.scope).toBe('1 tracked files; history --all: 2 file versions');
    } finally {
      await clean.remove();
    }
  });

  it('report nothing for a clean repository', async () => {
    const clean = await createTempRepo();
    try {
      await clean.commit('clean', { 'src/a.ts': 'export const url = process.env.DATABASE_URL;\n' });
      expect((await checkSecrets({ root: clean.root, allHistory: true })).findings).toEqual([]);
    } finally {
      await clean.remove();
    }
  });
});
