import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  ARGOCD_CM_FILE,
  ARGOCD_CONFIG_DIR,
  ARGOCD_HOST_PORT,
  ARGOCD_NODE_PORT,
  CLUSTER_NAME,
  GATEWAY_HOST_PORT,
  GATEWAY_NODE_PORT,
  KIND_CONFIG_PATH,
  NODE_NAMES,
  REGISTRY_CONTAINER,
  REGISTRY_HOST,
  REGISTRY_HOSTING_CONFIGMAP_PATH,
  REGISTRY_HOSTS_TOML_PATH,
} from '../src/cluster/settings.js';

const root = join(import.meta.dirname, '../../..');
const read = (path: string) => readFile(join(root, path), 'utf8');

interface KindNode {
  role: string;
  labels?: Record<string, string>;
  image: string;
  extraPortMappings?: { containerPort: number; hostPort: number; listenAddress: string; protocol: string }[];
}

describe('the committed kind and registry config agree with what runway up assumes', () => {
  it('one control plane and two workers, named as runway expects, on one image pinned by digest', async () => {
    const config = parse(await read(KIND_CONFIG_PATH)) as { name: string; nodes: KindNode[] };
    expect(config.name).toBe(CLUSTER_NAME);
    expect(config.nodes.map((node) => node.role)).toEqual(['control-plane', 'worker', 'worker']);
    expect(NODE_NAMES).toEqual([
      `${CLUSTER_NAME}-control-plane`,
      `${CLUSTER_NAME}-worker`,
      `${CLUSTER_NAME}-worker2`,
    ]);
    const images = new Set(config.nodes.map((node) => node.image));
    expect(images.size).toBe(1);
    expect([...images][0]).toMatch(/^kindest\/node:v\d+\.\d+\.\d+@sha256:[a-f0-9]{64}$/);
  });

  it('labels every node with a zone, each zone with a schedulable worker (no empty domain for the spread)', async () => {
    const config = parse(await read(KIND_CONFIG_PATH)) as { nodes: KindNode[] };
    const zone = (node: KindNode) => node.labels?.['topology.kubernetes.io/zone'];
    expect(config.nodes.every((node) => typeof zone(node) === 'string')).toBe(true);
    const workerZones = new Set(config.nodes.filter((node) => node.role === 'worker').map(zone));
    expect(workerZones.size).toBe(2);
    expect(new Set(config.nodes.map(zone))).toEqual(workerZones);
  });

  it('maps the gateway and Argo CD NodePorts to loopback only', async () => {
    const config = parse(await read(KIND_CONFIG_PATH)) as { nodes: KindNode[] };
    expect(config.nodes[0]?.extraPortMappings).toEqual([
      {
        containerPort: GATEWAY_NODE_PORT,
        hostPort: GATEWAY_HOST_PORT,
        listenAddress: '127.0.0.1',
        protocol: 'TCP',
      },
      {
        containerPort: ARGOCD_NODE_PORT,
        hostPort: ARGOCD_HOST_PORT,
        listenAddress: '127.0.0.1',
        protocol: 'TCP',
      },
    ]);
    expect(config.nodes.slice(1).every((node) => node.extraPortMappings === undefined)).toBe(true);
  });

  it('sends pulls of the local registry name to the registry container', async () => {
    expect(await read(REGISTRY_HOSTS_TOML_PATH)).toContain(`[host."http://${REGISTRY_CONTAINER}:5000"]`);
    const hosting = parse(await read(REGISTRY_HOSTING_CONFIGMAP_PATH)) as { data: Record<string, string> };
    expect(parse(hosting.data['localRegistryHosting.v1'] ?? '')).toMatchObject({ host: REGISTRY_HOST });
  });

  it('bootstraps Argo CD with reconciliation within 60 s (docs/architecture.md, decision 6)', async () => {
    const cm = parse(await read(`${ARGOCD_CONFIG_DIR}/${ARGOCD_CM_FILE}`)) as {
      data: Record<string, string>;
    };
    const timeout = cm.data['timeout.reconciliation'] ?? '';
    expect(timeout).toMatch(/^\d+s$/);
    expect(Number.parseInt(timeout, 10)).toBeLessThanOrEqual(60);
  });
});
