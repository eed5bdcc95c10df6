import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { environments } from '../src/spec/environments.js';
import { heapSizesFor, nodeOptionsFor } from '../src/synth/node-heap.js';
import type { KubeObject } from '../src/synth/object.js';
import { renderDirectories } from '../src/synth/render.js';
import { fixtureInputs } from './synth-fixtures.js';

type Container = { name: string; resources?: { limits?: { memory?: string } } };

const rendered = renderDirectories(fixtureInputs()).flatMap(({ objects }) => objects);

/** The server container's memory limit and the NODE_OPTIONS its ConfigMap gives it, per namespace. */
const heapSettings = (objects: readonly KubeObject[], namespace: string) => {
  const rollout = objects.find((o) => o.kind === 'Rollout' && o.metadata.namespace === namespace);
  const containers = (rollout?.spec as { template?: { spec?: { containers?: Container[] } } } | undefined)
    ?.template?.spec?.containers;
  const config = objects.find(
    (o) => o.kind === 'ConfigMap' && o.metadata.name === 'links-config' && o.metadata.namespace === namespace,
  ) as (KubeObject & { data?: Record<string, string> }) | undefined;
  return {
    memoryLimit: containers?.find((c) => c.name === 'links')?.resources?.limits?.memory,
    nodeOptions: config?.data?.NODE_OPTIONS,
  };
};

describe('the young generation is sized for the pod, not for the node', () => {
  it.each([
    ['256Mi', '--max-semi-space-size=16 --max-old-space-size=112'],
    ['512Mi', '--max-semi-space-size=64 --max-old-space-size=224'],
    ['1Gi', '--max-semi-space-size=128 --max-old-space-size=544'],
    ['200Mi', '--max-semi-space-size=8 --max-old-space-size=80'],
  ])('%s → %s', (limit, options) => {
    expect(nodeOptionsFor(limit)).toBe(options);
  });

  it("keeps the heap's ceiling inside the pod for every limit from 136Mi to 4Gi", () => {
    for (let limit = 136; limit <= 4096; limit += 8) {
      const { semiSpaceMiB, oldSpaceMiB } = heapSizesFor(`${limit}Mi`);
      expect(3 * semiSpaceMiB + oldSpaceMiB + 96).toBeLessThanOrEqual(limit);
      expect(oldSpaceMiB).toBeGreaterThanOrEqual((3 * semiSpaceMiB) / 2);
    }
  });

  // Node refuses a flag it does not allow in NODE_OPTIONS at start-up; V8 takes both sizes in MiB and sets its
  // heap's ceiling to the old space plus three semi-spaces (measured on Node 24.22: 224 + 3 × 64 = 416).
  it.each(['256Mi', '512Mi'])(
    "is accepted by this Node, and V8's heap ceiling is what it sized (%s)",
    (limit) => {
      const { semiSpaceMiB, oldSpaceMiB } = heapSizesFor(limit);
      const ceilingMiB = Number(
        execFileSync(
          process.execPath,
          ['-p', "require('v8').getHeapStatistics().heap_size_limit / 1048576"],
          {
            env: { PATH: process.env.PATH ?? '', NODE_OPTIONS: nodeOptionsFor(limit) },
            encoding: 'utf8',
          },
        ),
      );
      expect(ceilingMiB).toBe(oldSpaceMiB + 3 * semiSpaceMiB);
    },
  );

  it('refuses a limit it cannot read or one too small for a Node service', () => {
    expect(() => nodeOptionsFor('512M')).toThrow(/whole number of Mi or Gi/);
    expect(() => nodeOptionsFor('0.5Gi')).toThrow(/whole number of Mi or Gi/);
    expect(() => nodeOptionsFor('128Mi')).toThrow(/too small/);
  });

  it.each(environments.map((env) => env.namespace))(
    '%s: NODE_OPTIONS follows the container limit',
    (namespace) => {
      const { memoryLimit, nodeOptions } = heapSettings(rendered, namespace);
      expect(memoryLimit).toMatch(/^\d+(Mi|Gi)$/);
      expect(nodeOptions).toBe(nodeOptionsFor(memoryLimit ?? ''));
    },
  );
});
