import type { ChildApplication } from '../src/cluster/deploy-layout.js';
import type { UpInputs } from '../src/cluster/plan-up.js';
import type { MachineProbes } from '../src/cluster/probes.js';

const GIB = 1024 ** 3;

/** A machine with everything runway needs and nothing of runway's running yet. */
export const freshMachine: MachineProbes = {
  docker: { cliInstalled: true, engineRunning: true, cpus: 4, memoryBytes: 8 * GIB },
  kind: { installed: true, version: '0.31.0' },
  kubectl: { installed: true, version: '1.35.0' },
  freeMemoryBytes: 6 * GIB,
  busyPorts: [],
  dockerfilePresent: true,
  cluster: { exists: false, healthy: false },
  registry: { exists: false, running: false, onKindNetwork: false },
  gitServer: { exists: false, running: false, onKindNetwork: false },
  git: { headSha: 'a'.repeat(40) },
};

/** The same machine after a successful `runway up`. */
export const healthyMachine: MachineProbes = {
  ...freshMachine,
  busyPorts: [8000, 8443, 5001],
  cluster: { exists: true, healthy: true },
  registry: { exists: true, running: true, image: 'registry:2.8.3', onKindNetwork: true },
  gitServer: { exists: true, running: true, image: 'runway-git-server:local', onKindNetwork: true },
};

export const applications: ChildApplication[] = [
  { name: 'envoy-gateway', destinationNamespace: 'envoy-gateway-system', wave: -20, gated: true },
  { name: 'kube-prometheus-stack', destinationNamespace: 'monitoring', wave: -20, gated: true },
  { name: 'platform-config', destinationNamespace: 'monitoring', wave: 0, gated: false },
  { name: 'links-dev-base', destinationNamespace: 'links-dev', wave: 0, gated: true },
  { name: 'links-prod', destinationNamespace: 'links-prod', wave: 1, gated: true },
  { name: 'links-dev', destinationNamespace: 'links-dev', wave: 1, gated: true },
];

export const upInputs = (probes: MachineProbes, extra: Partial<UpInputs> = {}): UpInputs => ({
  probes,
  applications,
  revision: 'a'.repeat(40),
  imageTag: 'aaaaaaaaaaaa',
  stateDir: '/home/dev/.local/state/runway',
  registryHostsToml: '[host."http://runway-registry:5000"]\n',
  ...extra,
});
