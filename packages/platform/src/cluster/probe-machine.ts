import { access } from 'node:fs/promises';
import { createServer } from 'node:net';
import { freemem } from 'node:os';
import { join } from 'node:path';
import type { Execute } from './exec.js';
import type { MachineProbes, ToolProbe } from './probes.js';
import { parseVersion } from './probes.js';
import { CONTAINER_INSPECT_FORMAT, readClusterHealth, readContainer, readDocker } from './read-probes.js';
import {
  ARGOCD_HOST_PORT,
  CLUSTER_NAME,
  DOCKERFILE_PATH,
  GATEWAY_HOST_PORT,
  GIT_SERVER_CONTAINER,
  KUBE_CONTEXT,
  REGISTRY_CONTAINER,
  REGISTRY_HOST_PORT,
  TIMEOUTS,
} from './settings.js';

const portBusy = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(true));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(false)));
  });

const exists = async (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

/** Read-only questions to the machine: nothing here changes any state. */
export const probeMachine = async (root: string, execute: Execute): Promise<MachineProbes> => {
  const ask = (...argv: string[]) => execute({ argv, timeoutSeconds: TIMEOUTS.probe }, root);
  const tool = async (...argv: string[]): Promise<ToolProbe> => {
    const result = await ask(...argv);
    if (result.missing) return { installed: false };
    const version = parseVersion(result.stdout);
    return { installed: true, ...(version ? { version } : {}) };
  };
  const docker = readDocker(await ask('docker', 'info', '--format', '{{.NCPU}} {{.MemTotal}}'));
  const [kind, kubectl] = await Promise.all([
    tool('kind', 'version'),
    tool('kubectl', 'version', '--client', '-o', 'json'),
  ]);
  const clusters = kind.installed && docker.engineRunning ? await ask('kind', 'get', 'clusters') : undefined;
  const clusterExists = clusters?.code === 0 && clusters.stdout.split('\n').includes(CLUSTER_NAME);
  const nodes =
    clusterExists && kubectl.installed
      ? await ask(
          'kubectl',
          '--context',
          KUBE_CONTEXT,
          'get',
          'nodes',
          '-o',
          'jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}',
        )
      : undefined;
  const container = async (name: string) =>
    docker.engineRunning
      ? readContainer(await ask('docker', 'inspect', '--format', CONTAINER_INSPECT_FORMAT, name))
      : { exists: false, running: false, onKindNetwork: false };
  const head = await ask('git', 'rev-parse', 'HEAD');
  const ports = [GATEWAY_HOST_PORT, ARGOCD_HOST_PORT, REGISTRY_HOST_PORT];
  const busy = await Promise.all(ports.map(portBusy));
  return {
    docker,
    kind,
    kubectl,
    freeMemoryBytes: freemem(),
    busyPorts: ports.filter((_, index) => busy[index]),
    dockerfilePresent: await exists(join(root, DOCKERFILE_PATH)),
    cluster: readClusterHealth(clusterExists, nodes),
    registry: await container(REGISTRY_CONTAINER),
    gitServer: await container(GIT_SERVER_CONTAINER),
    git: head.code === 0 ? { headSha: head.stdout.trim() } : {},
  };
};
