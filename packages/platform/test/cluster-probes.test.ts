import { describe, expect, it } from 'vitest';
import { parseCapture } from '../src/cluster/captures.js';
import { parseVersion, versionAtLeast } from '../src/cluster/probes.js';
import { readClusterHealth, readContainer, readDocker } from '../src/cluster/read-probes.js';

const output = (code: number | null, stdout = '', stderr = '', missing = false) => ({
  code,
  stdout,
  stderr,
  missing,
});

describe('reading probe output', () => {
  it('tells a missing docker CLI from a stopped engine from a running one', () => {
    expect(readDocker(output(null, '', '', true))).toEqual({ cliInstalled: false, engineRunning: false });
    expect(
      readDocker(output(1, '', 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock.\nmore')),
    ).toEqual({
      cliInstalled: true,
      engineRunning: false,
      engineError: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock.',
    });
    expect(readDocker(output(0, '4 8335937536\n'))).toEqual({
      cliInstalled: true,
      engineRunning: true,
      cpus: 4,
      memoryBytes: 8335937536,
    });
  });

  it('calls a cluster healthy only when all three nodes are Ready', () => {
    const ready = 'runway-control-plane=True\nrunway-worker=True\nrunway-worker2=True\n';
    expect(readClusterHealth(false, undefined)).toEqual({ exists: false, healthy: false });
    expect(readClusterHealth(true, output(0, ready))).toEqual({ exists: true, healthy: true });
    expect(readClusterHealth(true, output(0, 'runway-control-plane=True\nrunway-worker=False\n'))).toEqual({
      exists: true,
      healthy: false,
      problem: 'nodes runway-worker, runway-worker2 not Ready',
    });
    expect(
      readClusterHealth(true, output(1, '', 'The connection to the server 127.0.0.1:39000 was refused'))
        ?.problem,
    ).toBe('its API server does not answer (The connection to the server 127.0.0.1:39000 was refused)');
  });

  it('reads a container: running, image, and whether it is on the kind network', () => {
    expect(readContainer(output(1, '', 'Error: No such object: runway-registry'))).toEqual({
      exists: false,
      running: false,
      onKindNetwork: false,
    });
    expect(
      readContainer(output(0, 'true|registry:2.8.3|{"bridge":{},"kind":{"IPAddress":"172.18.0.3"}}\n')),
    ).toEqual({
      exists: true,
      running: true,
      image: 'registry:2.8.3',
      onKindNetwork: true,
    });
    expect(readContainer(output(0, 'false|registry:2.8.3|{"bridge":{}}'))).toMatchObject({
      running: false,
      onKindNetwork: false,
    });
  });

  it('extracts and compares versions', () => {
    expect(parseVersion('kind v0.31.0 go1.25.5 linux/amd64')).toBe('0.31.0');
    expect(parseVersion('{"clientVersion":{"major":"1","minor":"35","gitVersion":"v1.35.0"}}')).toBe(
      '1.35.0',
    );
    expect(parseVersion('no version here')).toBeUndefined();
    expect(versionAtLeast('1.31.0', [1, 31, 0])).toBe(true);
    expect(versionAtLeast('1.30.9', [1, 31, 0])).toBe(false);
    expect(versionAtLeast('0.100.0', [0, 20, 0])).toBe(true);
  });
});

describe('values learned while running', () => {
  it('takes the digest from docker push', () => {
    const pushed = `local: digest: sha256:${'f'.repeat(64)} size: 1786\n`;
    expect(parseCapture('imageDigest', pushed)).toBe(`sha256:${'f'.repeat(64)}`);
    expect(() => parseCapture('imageDigest', 'error')).toThrow(/printed no image digest/);
  });

  it('takes an IPv4 address for the git server, or says it has none', () => {
    expect(parseCapture('gitServerIp', '172.18.0.5\n')).toBe('172.18.0.5');
    expect(() => parseCapture('gitServerIp', '\n')).toThrow(/no IPv4 address on the kind network/);
  });

  it('decodes passwords from Kubernetes secrets', () => {
    const password = ['s3', 'cret'].join('-');
    expect(parseCapture('argocdPassword', Buffer.from(password).toString('base64'))).toBe(password);
    expect(() => parseCapture('grafanaPassword', '')).toThrow(/Grafana password secret is empty/);
  });
});
