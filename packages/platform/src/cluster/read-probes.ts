import type { ClusterProbe, ContainerProbe, DockerProbe } from './probes.js';
import { KIND_NETWORK, NODE_NAMES } from './settings.js';

/** Pure readers of probe command output, kept apart from the I/O so each case is testable. */
export interface Output {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly missing: boolean;
}

export const readDocker = (info: Output): DockerProbe => {
  if (info.missing) return { cliInstalled: false, engineRunning: false };
  if (info.code !== 0) {
    const firstLine = info.stderr.trim().split('\n')[0];
    return { cliInstalled: true, engineRunning: false, ...(firstLine ? { engineError: firstLine } : {}) };
  }
  const [cpus, memory] = info.stdout.trim().split(/\s+/).map(Number);
  return {
    cliInstalled: true,
    engineRunning: true,
    ...(Number.isFinite(cpus) ? { cpus } : {}),
    ...(Number.isFinite(memory) ? { memoryBytes: memory } : {}),
  };
};

/** `kubectl get nodes` printed as `name=True` lines; healthy means every expected node exists and is Ready. */
export const readClusterHealth = (exists: boolean, nodes: Output | undefined): ClusterProbe => {
  if (!exists) return { exists: false, healthy: false };
  if (nodes?.code !== 0) {
    return {
      exists: true,
      healthy: false,
      problem: `its API server does not answer (${nodes?.stderr.trim().split('\n')[0] ?? 'not asked'})`,
    };
  }
  const ready = new Map(
    nodes.stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('=') as [string, string]),
  );
  const notReady = NODE_NAMES.filter((node) => ready.get(node) !== 'True');
  return notReady.length === 0
    ? { exists: true, healthy: true }
    : {
        exists: true,
        healthy: false,
        problem: `node${notReady.length > 1 ? 's' : ''} ${notReady.join(', ')} not Ready`,
      };
};

/** What `readContainer` expects `docker inspect --format` to print. */
export const CONTAINER_INSPECT_FORMAT =
  '{{.State.Running}}|{{.Config.Image}}|{{json .NetworkSettings.Networks}}';

/** `docker inspect` of a container printed as `running|image|networks-json`. */
export const readContainer = (inspect: Output): ContainerProbe => {
  if (inspect.code !== 0) return { exists: false, running: false, onKindNetwork: false };
  const [running, image, networks] = inspect.stdout.trim().split('|');
  let onKindNetwork = false;
  try {
    onKindNetwork = Object.hasOwn(JSON.parse(networks ?? '{}') as object, KIND_NETWORK);
  } catch {
    onKindNetwork = false;
  }
  return { exists: true, running: running === 'true', ...(image ? { image } : {}), onKindNetwork };
};
