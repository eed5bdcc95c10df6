import { describe, expect, it } from 'vitest';
import { checkPrerequisites, formatProblems } from '../src/cluster/prerequisites.js';
import type { MachineProbes } from '../src/cluster/probes.js';
import { freshMachine as ready } from './cluster-fixtures.js';

const GIB = 1024 ** 3;

const codes = (probes: MachineProbes, repoGiven = false) =>
  checkPrerequisites(probes, { repoGiven }).map((problem) => problem.code);
const only = (probes: MachineProbes) => {
  const problems = checkPrerequisites(probes, { repoGiven: false });
  expect(problems).toHaveLength(1);
  return problems[0]?.message ?? '';
};

describe('checkPrerequisites', () => {
  it('finds nothing missing on a ready machine', () => {
    expect(codes(ready)).toEqual([]);
  });

  it('says Docker is not installed, with numbered steps to install it', () => {
    const message = only({ ...ready, docker: { cliInstalled: false, engineRunning: false } });
    expect(message).toMatch(
      /^Docker is not installed\. To fix this:\n {2}1\. Install Docker Engine .*\n {2}2\. .*docker info.*\n {2}3\. Run `npx runway up` again\.$/,
    );
  });

  it('tells an installed but stopped engine apart and quotes the engine error', () => {
    const message = only({
      ...ready,
      docker: {
        cliInstalled: true,
        engineRunning: false,
        engineError: 'Cannot connect to the Docker daemon',
      },
    });
    expect(message).toContain(
      'Docker is installed but its engine is not answering (Cannot connect to the Docker daemon). To fix this:',
    );
    expect(message).toContain('sudo systemctl start docker');
    expect(message).toContain('usermod -aG docker');
  });

  it('does not report ports or sizes of an engine it could not ask', () => {
    expect(
      codes({ ...ready, docker: { cliInstalled: true, engineRunning: false }, busyPorts: [8000] }),
    ).toEqual(['DOCKER_NOT_RUNNING']);
  });

  it('requires 6 GiB of memory for Docker and says where to raise it', () => {
    const message = only({ ...ready, docker: { ...ready.docker, memoryBytes: 3.5 * GIB } });
    expect(message).toContain(
      'Docker can use 3.5 GiB of memory; the platform needs at least 6.0 GiB (8.0 GiB recommended). To fix this:',
    );
    expect(message).toContain('Settings → Resources → Memory');
  });

  it('requires 2 CPUs for Docker', () => {
    expect(only({ ...ready, docker: { ...ready.docker, cpus: 1 } })).toContain(
      'Docker can use 1 CPU; the platform needs at least 2 (4 recommended).',
    );
  });

  it('says kind is not installed, or too old', () => {
    expect(only({ ...ready, kind: { installed: false } })).toMatch(
      /^kind is not installed\. To fix this:\n {2}1\. Install kind: https:\/\/kind\.sigs\.k8s\.io/,
    );
    expect(only({ ...ready, kind: { installed: true, version: '0.17.0' } })).toContain(
      'kind 0.17.0 is too old; runway needs 0.20.0 or newer.',
    );
  });

  it('says kubectl is not installed, or too old for wait --for=create', () => {
    expect(only({ ...ready, kubectl: { installed: false } })).toMatch(
      /^kubectl is not installed\. To fix this:\n {2}1\. Install kubectl/,
    );
    expect(only({ ...ready, kubectl: { installed: true, version: '1.30.4' } })).toContain(
      'kubectl 1.30.4 is too old; runway needs 1.31.0 or newer',
    );
  });

  it('names each busy port, what runway needs it for, and how to find the process', () => {
    const problems = checkPrerequisites({ ...ready, busyPorts: [8000, 8443, 5001] }, { repoGiven: false });
    expect(problems.map((problem) => problem.message.split(' To fix this:')[0])).toEqual([
      'Port 8000 on 127.0.0.1 is in use, and runway needs it for the gateway (the app).',
      'Port 8443 on 127.0.0.1 is in use, and runway needs it for the Argo CD UI.',
      'Port 5001 on 127.0.0.1 is in use, and runway needs it for the local image registry.',
    ]);
    expect(problems[0]?.message).toContain('lsof -nP -iTCP:8000 -sTCP:LISTEN');
  });

  it('accepts busy ports held by runway itself (its cluster and its registry)', () => {
    const ours: MachineProbes = {
      ...ready,
      busyPorts: [8000, 8443, 5001],
      cluster: { exists: true, healthy: true },
      registry: { exists: true, running: true, image: 'registry:2.8.3', onKindNetwork: true },
    };
    expect(codes(ours)).toEqual([]);
  });

  it('needs 2 GiB free to start a cluster, but not when the cluster already runs', () => {
    expect(only({ ...ready, freeMemoryBytes: 1 * GIB })).toContain(
      'Only 1.0 GiB of memory is free; starting the cluster needs at least 2.0 GiB free.',
    );
    expect(codes({ ...ready, freeMemoryBytes: 1 * GIB, cluster: { exists: true, healthy: true } })).toEqual(
      [],
    );
  });

  it('needs the Dockerfile of the service', () => {
    expect(only({ ...ready, dockerfilePresent: false })).toContain(
      'apps/links/Dockerfile does not exist, so the service image cannot be built.',
    );
  });

  it('needs a commit to deploy unless the platform comes from --repo', () => {
    expect(only({ ...ready, git: {} })).toContain('This is not a git repository with a commit');
    expect(codes({ ...ready, git: {} }, true)).toEqual([]);
  });

  it('reports every missing prerequisite at once, numbered', () => {
    const problems = checkPrerequisites(
      { ...ready, kind: { installed: false }, kubectl: { installed: false }, dockerfilePresent: false },
      { repoGiven: false },
    );
    const text = formatProblems(problems);
    expect(text.split('\n')[0]).toBe(
      'runway up cannot start the "runway" platform: 3 prerequisites are missing.',
    );
    expect(text).toContain('\n1) kind is not installed.');
    expect(text).toContain('\n2) kubectl is not installed.');
    expect(text).toContain('\n3) apps/links/Dockerfile does not exist');
  });
});
