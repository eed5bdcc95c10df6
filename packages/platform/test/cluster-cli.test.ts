import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');
const runway = (...args: string[]) =>
  spawnSync(process.execPath, [join(root, 'packages/platform/bin/runway.js'), ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, CI: 'true', RUNWAY_GITHUB_TOKEN: '' },
  });

describe('the runway CLI (spawned, on this machine)', () => {
  it('up --dry-run prints the whole plan for this machine and runs nothing', () => {
    const result = runway('up', '--dry-run');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^runway up --dry-run: the plan for this machine \(nothing was run\)\n/);
    for (const expected of [
      '--config infra/kind/cluster.yaml',
      'registry:2.8.3',
      'docker build -f apps/links/Dockerfile',
      'npx runway cluster snapshot --revision',
      'https://raw.githubusercontent.com/argoproj/argo-cd/v3.3.18/manifests/install.yaml',
      'wait application/links-dev',
      'wait rollout/links',
      'bound of the whole plan:',
    ]) {
      expect(result.stdout).toContain(expected);
    }
  });

  it('down --dry-run lists the three things it would remove', () => {
    const result = runway('down', '--dry-run');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Delete the kind cluster "runway"');
    expect(result.stdout).toContain('Remove the container "runway-registry"');
    expect(result.stdout).toContain('Remove the container "runway-git"');
  });

  it('cluster status without a cluster: one clear line, a hint, exit 1', () => {
    const result = runway('cluster', 'status');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /^runway: (cannot list Argo CD Applications in kind-runway: .+|kubectl is not installed\.)\n/,
    );
    expect(result.stderr).toMatch(/npx runway up/);
  });
});
