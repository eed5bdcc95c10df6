import type { MachineProbes } from './probes.js';
import { versionAtLeast } from './probes.js';
import {
  ARGOCD_HOST_PORT,
  CLUSTER_NAME,
  DOCKERFILE_PATH,
  GATEWAY_HOST_PORT,
  REGISTRY_HOST_PORT,
  REQUIREMENTS,
} from './settings.js';

/** A missing prerequisite: what is wrong and numbered steps to fix it. */
export interface Problem {
  readonly code: string;
  readonly message: string;
}

export interface UpOptions {
  /** Set when the platform comes from `--repo` rather than this working copy. */
  readonly repoGiven: boolean;
}

const problem = (code: string, what: string, steps: readonly string[]): Problem => ({
  code,
  message: `${what} To fix this:\n${steps.map((step, index) => `  ${index + 1}. ${step}`).join('\n')}`,
});

const gib = (bytes: number): string => `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
const shown = (version: readonly number[]): string => version.join('.');

const PORT_PURPOSE: Readonly<Record<number, string>> = {
  [GATEWAY_HOST_PORT]: 'the gateway (the app)',
  [ARGOCD_HOST_PORT]: 'the Argo CD UI',
  [REGISTRY_HOST_PORT]: 'the local image registry',
};

const dockerProblems = (probes: MachineProbes): Problem[] => {
  const { docker } = probes;
  if (!docker.cliInstalled) {
    return [
      problem('DOCKER_MISSING', 'Docker is not installed.', [
        'Install Docker Engine (Linux: https://docs.docker.com/engine/install/) or Docker Desktop (macOS, Windows).',
        'Start it and check that `docker info` prints a Server section.',
        'Run `npx runway up` again.',
      ]),
    ];
  }
  if (!docker.engineRunning) {
    return [
      problem(
        'DOCKER_NOT_RUNNING',
        `Docker is installed but its engine is not answering${docker.engineError ? ` (${docker.engineError})` : ''}.`,
        [
          'Start Docker Desktop, or on Linux run `sudo systemctl start docker`.',
          'If the error says "permission denied" on /var/run/docker.sock, run `sudo usermod -aG docker $USER`, then log out and back in.',
          'Check that `docker info` prints a Server section, then run `npx runway up` again.',
        ],
      ),
    ];
  }
  const found: Problem[] = [];
  if (docker.memoryBytes !== undefined && docker.memoryBytes < REQUIREMENTS.minDockerMemoryBytes) {
    found.push(
      problem(
        'DOCKER_MEMORY',
        `Docker can use ${gib(docker.memoryBytes)} of memory; the platform needs at least ${gib(REQUIREMENTS.minDockerMemoryBytes)} (${gib(REQUIREMENTS.recommendedDockerMemoryBytes)} recommended).`,
        [
          'Docker Desktop: Settings → Resources → Memory, set 8 GB, then Apply & restart.',
          'Linux: Docker uses the host memory; close other large programs or use a machine with more memory.',
          'Run `npx runway up` again.',
        ],
      ),
    );
  }
  if (docker.cpus !== undefined && docker.cpus < REQUIREMENTS.minCpus) {
    found.push(
      problem(
        'DOCKER_CPUS',
        `Docker can use ${docker.cpus} CPU; the platform needs at least ${REQUIREMENTS.minCpus} (${REQUIREMENTS.recommendedCpus} recommended).`,
        [
          'Docker Desktop: Settings → Resources → CPUs, set 4, then Apply & restart.',
          'Run `npx runway up` again.',
        ],
      ),
    );
  }
  return found;
};

const toolProblems = (probes: MachineProbes): Problem[] => {
  const found: Problem[] = [];
  const { kind, kubectl } = probes;
  if (!kind.installed) {
    found.push(
      problem('KIND_MISSING', 'kind is not installed.', [
        'Install kind: https://kind.sigs.k8s.io/docs/user/quick-start/#installation (macOS: `brew install kind`).',
        'Check with `kind version`.',
        'Run `npx runway up` again.',
      ]),
    );
  } else if (kind.version && !versionAtLeast(kind.version, REQUIREMENTS.minKind)) {
    found.push(
      problem(
        'KIND_OLD',
        `kind ${kind.version} is too old; runway needs ${shown(REQUIREMENTS.minKind)} or newer.`,
        [
          'Upgrade kind: https://kind.sigs.k8s.io/docs/user/quick-start/#installation.',
          'Run `npx runway up` again.',
        ],
      ),
    );
  }
  if (!kubectl.installed) {
    found.push(
      problem('KUBECTL_MISSING', 'kubectl is not installed.', [
        'Install kubectl: https://kubernetes.io/docs/tasks/tools/ (macOS: `brew install kubectl`).',
        'Check with `kubectl version --client`.',
        'Run `npx runway up` again.',
      ]),
    );
  } else if (kubectl.version && !versionAtLeast(kubectl.version, REQUIREMENTS.minKubectl)) {
    found.push(
      problem(
        'KUBECTL_OLD',
        `kubectl ${kubectl.version} is too old; runway needs ${shown(REQUIREMENTS.minKubectl)} or newer (for \`kubectl wait --for=create\`).`,
        ['Upgrade kubectl: https://kubernetes.io/docs/tasks/tools/.', 'Run `npx runway up` again.'],
      ),
    );
  }
  return found;
};

/** A busy port is only a problem when it is not held by runway's own cluster or registry. */
const portProblems = (probes: MachineProbes): Problem[] =>
  probes.busyPorts
    .filter((port) => (port === REGISTRY_HOST_PORT ? !probes.registry.running : !probes.cluster.exists))
    .map((port) =>
      problem(
        'PORT_BUSY',
        `Port ${port} on 127.0.0.1 is in use, and runway needs it for ${PORT_PURPOSE[port] ?? 'the platform'}.`,
        [
          `Find the process: \`lsof -nP -iTCP:${port} -sTCP:LISTEN\` (Linux also: \`ss -ltnp 'sport = :${port}'\`).`,
          'Stop it, or if it is an old runway cluster under another name, delete that cluster (`kind get clusters`, `kind delete cluster --name <name>`).',
          'Run `npx runway up` again.',
        ],
      ),
    );

const memoryProblems = (probes: MachineProbes): Problem[] =>
  !probes.cluster.exists && probes.freeMemoryBytes < REQUIREMENTS.minFreeMemoryBytes
    ? [
        problem(
          'MEMORY_LOW',
          `Only ${gib(probes.freeMemoryBytes)} of memory is free; starting the cluster needs at least ${gib(REQUIREMENTS.minFreeMemoryBytes)} free.`,
          [
            'Close programs you do not need (browsers, IDEs, other clusters: `kind get clusters`).',
            'Run `npx runway up` again.',
          ],
        ),
      ]
    : [];

const repositoryProblems = (probes: MachineProbes, options: UpOptions): Problem[] => {
  const found: Problem[] = [];
  if (!probes.dockerfilePresent) {
    found.push(
      problem(
        'DOCKERFILE_MISSING',
        `${DOCKERFILE_PATH} does not exist, so the service image cannot be built.`,
        [
          'Run `npx runway up` from the root of the runway repository.',
          'If you are there, restore the file: `git checkout -- apps/links/Dockerfile`.',
        ],
      ),
    );
  }
  if (!options.repoGiven && !probes.git.headSha) {
    found.push(
      problem('NO_COMMIT', 'This is not a git repository with a commit, and Argo CD deploys a commit.', [
        'Run `npx runway up` from your clone of the runway repository.',
        'Or take the platform from a repository URL: `npx runway up --repo <url> --revision <branch>`.',
      ]),
    );
  }
  return found;
};

/** Every unmet prerequisite, reported together so one run shows the whole list. */
export const checkPrerequisites = (probes: MachineProbes, options: UpOptions): Problem[] => {
  const docker = dockerProblems(probes);
  const engineUsable = probes.docker.engineRunning;
  return [
    ...docker,
    ...toolProblems(probes),
    ...(engineUsable ? portProblems(probes) : []),
    ...memoryProblems(probes),
    ...repositoryProblems(probes, options),
  ];
};

export const formatProblems = (problems: readonly Problem[]): string =>
  [
    `runway up cannot start the "${CLUSTER_NAME}" platform: ${problems.length} prerequisite${problems.length === 1 ? ' is' : 's are'} missing.`,
    ...problems.map((item, index) => `\n${index + 1}) ${item.message}`),
  ].join('\n');
