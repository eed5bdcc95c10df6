import { applicationsToAwait, type ChildApplication } from './deploy-layout.js';
import { argocdServerNodePort, type Manifest, namespace, notificationsSecret, toYaml } from './manifests.js';
import type { Command, Plan, Step } from './plan-types.js';
import type { MachineProbes } from './probes.js';
import {
  ARGOCD_CM_FILE,
  ARGOCD_MANIFEST_URL,
  ARGOCD_NAMESPACE,
  CLUSTER_NAME,
  DOCKERFILE_PATH,
  ENV_NAMESPACE_PREFIX,
  FIELD_MANAGER,
  GIT_SERVER_CONTAINER,
  GIT_SERVER_DOCKERFILE,
  GIT_SERVER_IMAGE,
  GRAFANA_NAMESPACE,
  GRAFANA_SECRET,
  KIND_CONFIG_PATH,
  KIND_NETWORK,
  KUBE_CONTEXT,
  LOCAL_ENV,
  LOCAL_IMAGE_REPOSITORY,
  NODE_NAMES,
  REGISTRY_CONTAINER,
  REGISTRY_HOST,
  REGISTRY_HOST_PORT,
  REGISTRY_HOSTING_CONFIGMAP_PATH,
  REGISTRY_IMAGE,
  ROLLOUT_NAME,
  ROOT_APP_NAME,
  SNAPSHOT_REPOSITORY,
  TIMEOUTS,
} from './settings.js';

export interface UpInputs {
  readonly probes: MachineProbes;
  /** The Applications rendered in deploy/ (from the working tree), to wait for each by name. */
  readonly applications: readonly ChildApplication[];
  /** What to snapshot: the working copy (default) or `--repo`, at `revision`. */
  readonly repo?: string;
  readonly revision: string;
  /** Tag of the local build (the short git SHA); the digest is what deploys. */
  readonly imageTag: string;
  /** Where runway keeps the snapshot and the bootstrap manifests (outside the repository). */
  readonly stateDir: string;
  /** Contents of infra/kind/registry-hosts.toml. */
  readonly registryHostsToml: string;
  /** GitHub token for Argo Rollouts' notifications → repository_dispatch (optional locally). */
  readonly notificationsToken?: string;
}

const run = (timeoutSeconds: number, ...argv: string[]): Command => ({ argv, timeoutSeconds });
const kubectl = (timeoutSeconds: number, ...args: string[]): Command =>
  run(timeoutSeconds, 'kubectl', '--context', KUBE_CONTEXT, ...args);
const apply = (timeoutSeconds: number, manifests: readonly Manifest[], stdinLabel?: string): Command => ({
  ...kubectl(
    timeoutSeconds,
    'apply',
    '--server-side',
    `--field-manager=${FIELD_MANAGER}`,
    '--force-conflicts',
    '-f',
    '-',
  ),
  stdin: toYaml(manifests),
  ...(stdinLabel ? { stdinLabel } : {}),
});
const inspectNetworkIp = (container: string): Command => ({
  ...run(
    TIMEOUTS.probe,
    'docker',
    'inspect',
    '--format',
    `{{(index .NetworkSettings.Networks "${KIND_NETWORK}").IPAddress}}`,
    container,
  ),
  capture: 'gitServerIp',
});

interface ContainerState {
  readonly exists: boolean;
  readonly running: boolean;
  readonly image?: string;
  readonly onKindNetwork: boolean;
}

/** Create, repair (wrong image, stopped, off the kind network) or reuse a long-running container. */
const containerCommands = (
  state: ContainerState,
  name: string,
  image: string,
  create: Command,
): { note: string; commands: Command[] } => {
  if (!state.exists) return { note: 'creating', commands: [create] };
  if (state.image !== image) {
    return {
      note: `repairing: runs ${state.image ?? 'an unknown image'} instead of ${image}`,
      commands: [run(TIMEOUTS.registry, 'docker', 'rm', '-f', name), create],
    };
  }
  if (!state.running)
    return {
      note: 'repairing: starting the stopped container',
      commands: [run(TIMEOUTS.registry, 'docker', 'start', name)],
    };
  return { note: 'reusing the running container', commands: [] };
};

const registryStep = ({ registry }: MachineProbes): Step => {
  const create = run(
    TIMEOUTS.registry,
    'docker',
    'run',
    '-d',
    '--restart=always',
    '--name',
    REGISTRY_CONTAINER,
    '-p',
    `127.0.0.1:${REGISTRY_HOST_PORT}:5000`,
    REGISTRY_IMAGE,
  );
  const { note, commands } = containerCommands(registry, REGISTRY_CONTAINER, REGISTRY_IMAGE, create);
  return {
    id: 'registry',
    title: `Local registry ${REGISTRY_HOST}`,
    note,
    hint: `Look at the container: docker ps -a --filter name=${REGISTRY_CONTAINER}; docker logs ${REGISTRY_CONTAINER}`,
    commands: () => commands,
  };
};

const createCluster = (): Command =>
  run(
    TIMEOUTS.cluster,
    'kind',
    'create',
    'cluster',
    '--name',
    CLUSTER_NAME,
    '--config',
    KIND_CONFIG_PATH,
    '--wait',
    `${TIMEOUTS.cluster - 60}s`,
  );

const clusterStep = ({ cluster }: MachineProbes): Step => {
  const base = {
    id: 'cluster',
    title: 'kind cluster: 1 control plane + 2 workers',
    hint: `Look at the nodes: kind get nodes --name ${CLUSTER_NAME}; docker logs ${NODE_NAMES[0]}; kubectl --context ${KUBE_CONTEXT} get nodes -o wide`,
  };
  if (!cluster.exists) return { ...base, note: 'creating', commands: () => [createCluster()] };
  if (!cluster.healthy) {
    return {
      ...base,
      note: `repairing: ${cluster.problem ?? 'the cluster is not healthy'}; recreating it`,
      commands: () => [
        run(TIMEOUTS.down, 'kind', 'delete', 'cluster', '--name', CLUSTER_NAME),
        createCluster(),
      ],
    };
  }
  return { ...base, note: 'reusing the healthy cluster', commands: () => [] };
};

const registryWiringStep = (inputs: UpInputs): Step => {
  const hostsDir = `/etc/containerd/certs.d/${REGISTRY_HOST}`;
  const connected = inputs.probes.registry.onKindNetwork && inputs.probes.cluster.healthy;
  return {
    id: 'registry-wiring',
    title: `Nodes pull ${REGISTRY_HOST}/… from the local registry`,
    hint: `Check the mirror config on a node: docker exec ${NODE_NAMES[0]} cat ${hostsDir}/hosts.toml; docker network inspect ${KIND_NETWORK}`,
    commands: () => [
      ...(connected
        ? []
        : [run(TIMEOUTS.registry, 'docker', 'network', 'connect', KIND_NETWORK, REGISTRY_CONTAINER)]),
      ...NODE_NAMES.map((node) => ({
        ...run(
          TIMEOUTS.probe,
          'docker',
          'exec',
          '-i',
          node,
          'sh',
          '-c',
          `mkdir -p ${hostsDir} && cat > ${hostsDir}/hosts.toml`,
        ),
        stdin: inputs.registryHostsToml,
      })),
      kubectl(
        TIMEOUTS.probe,
        'apply',
        '--server-side',
        `--field-manager=${FIELD_MANAGER}`,
        '-f',
        REGISTRY_HOSTING_CONFIGMAP_PATH,
      ),
    ],
  };
};

const gitServerStep = (inputs: UpInputs): Step => {
  const create = run(
    TIMEOUTS.gitServer,
    'docker',
    'run',
    '-d',
    '--restart=always',
    '--name',
    GIT_SERVER_CONTAINER,
    '--network',
    KIND_NETWORK,
    '-v',
    `${inputs.stateDir}/git:/srv/git:ro`,
    GIT_SERVER_IMAGE,
  );
  const { gitServer } = inputs.probes;
  const { note, commands } = containerCommands(gitServer, GIT_SERVER_CONTAINER, GIT_SERVER_IMAGE, create);
  const reconnect =
    gitServer.exists &&
    gitServer.image === GIT_SERVER_IMAGE &&
    !(gitServer.onKindNetwork && inputs.probes.cluster.healthy);
  return {
    id: 'git-server',
    title: 'Git server Argo CD reads from',
    note,
    hint: `Look at the container: docker logs ${GIT_SERVER_CONTAINER}; git ls-remote ${inputs.stateDir}/git/${SNAPSHOT_REPOSITORY}`,
    commands: () => [
      run(
        TIMEOUTS.gitServer,
        'docker',
        'build',
        '-q',
        '-t',
        GIT_SERVER_IMAGE,
        '-f',
        GIT_SERVER_DOCKERFILE,
        'infra/kind',
      ),
      ...commands,
      ...(reconnect
        ? [run(TIMEOUTS.registry, 'docker', 'network', 'connect', KIND_NETWORK, GIT_SERVER_CONTAINER)]
        : []),
      inspectNetworkIp(GIT_SERVER_CONTAINER),
    ],
  };
};

const localImage = (tag: string): string => `${LOCAL_IMAGE_REPOSITORY}:${tag}`;

const imageSteps = (inputs: UpInputs): Step[] => [
  {
    id: 'image-build',
    title: 'Build the service image',
    hint: `Run the build yourself to see the whole log: docker build -f ${DOCKERFILE_PATH} .`,
    commands: () => [
      run(TIMEOUTS.build, 'docker', 'build', '-f', DOCKERFILE_PATH, '-t', localImage(inputs.imageTag), '.'),
    ],
  },
  {
    id: 'image-push',
    title: `Push it to ${REGISTRY_HOST} and resolve its digest`,
    hint: `Check the registry answers: curl -fsS http://${REGISTRY_HOST}/v2/_catalog`,
    commands: () => [
      { ...run(TIMEOUTS.push, 'docker', 'push', localImage(inputs.imageTag)), capture: 'imageDigest' },
    ],
  },
];

const snapshotStep = (inputs: UpInputs): Step => ({
  id: 'snapshot',
  title: `Snapshot ${inputs.repo ?? 'this repository'} @ ${inputs.revision}: dev on the local build, the kind tree reading the snapshot`,
  hint: `Look at the local commit: git --git-dir ${inputs.stateDir}/git/${SNAPSHOT_REPOSITORY} show --stat local`,
  commands: (captured) => [
    run(
      TIMEOUTS.snapshot,
      'npx',
      'runway',
      'cluster',
      'snapshot',
      ...(inputs.repo ? ['--repo', inputs.repo] : []),
      '--revision',
      inputs.revision,
      '--digest',
      captured.imageDigest ?? '',
      '--git-url',
      `git://${captured.gitServerIp ?? ''}/${SNAPSHOT_REPOSITORY}`,
      '--state-dir',
      inputs.stateDir,
    ),
  ],
});

const argocdSteps = (inputs: UpInputs): Step[] => {
  const secret = inputs.notificationsToken
    ? [
        apply(
          TIMEOUTS.probe,
          notificationsSecret(inputs.notificationsToken),
          '<argo-rollouts-notification-secret from RUNWAY_GITHUB_TOKEN>',
        ),
      ]
    : [];
  const ns = ['-n', ARGOCD_NAMESPACE];
  return [
    {
      id: 'argocd-install',
      title: 'Install Argo CD (pinned upstream manifest, server-side apply)',
      hint: `Look at what was applied: kubectl --context ${KUBE_CONTEXT} -n ${ARGOCD_NAMESPACE} get all`,
      commands: () => [
        apply(TIMEOUTS.probe, [namespace(ARGOCD_NAMESPACE)]),
        // The controller and repo-server read the reconciliation timeout and jitter at start only: the whole
        // rendered argocd-cm goes in first, under the one field manager every later apply of it uses.
        kubectl(
          TIMEOUTS.probe,
          'apply',
          '--server-side',
          `--field-manager=${FIELD_MANAGER}`,
          '--force-conflicts',
          '-f',
          `${inputs.stateDir}/bootstrap/${ARGOCD_CM_FILE}`,
        ),
        ...secret,
        kubectl(
          TIMEOUTS.argocdInstall,
          'apply',
          ...ns,
          '--server-side',
          '--force-conflicts',
          '-f',
          ARGOCD_MANIFEST_URL,
        ),
        apply(TIMEOUTS.probe, [argocdServerNodePort()]),
      ],
    },
    {
      id: 'argocd-ready',
      title: 'Wait for Argo CD to be ready',
      boundSeconds: TIMEOUTS.argocdReady + 10,
      hint: `Look at the pods: kubectl --context ${KUBE_CONTEXT} -n ${ARGOCD_NAMESPACE} get pods; kubectl --context ${KUBE_CONTEXT} -n ${ARGOCD_NAMESPACE} describe pods`,
      commands: () =>
        [
          'deployment/argocd-repo-server',
          'deployment/argocd-server',
          'statefulset/argocd-application-controller',
        ].map((workload) =>
          kubectl(
            TIMEOUTS.argocdReady + 10,
            ...ns,
            'rollout',
            'status',
            workload,
            `--timeout=${TIMEOUTS.argocdReady}s`,
          ),
        ),
    },
    {
      id: 'bootstrap',
      title:
        "Apply the kind tree's bootstrap as rendered: Argo CD config, the platform project, the root app",
      hint: `Look at the root app: kubectl --context ${KUBE_CONTEXT} -n ${ARGOCD_NAMESPACE} describe application ${ROOT_APP_NAME}`,
      commands: () => [
        kubectl(
          TIMEOUTS.rootApp,
          'apply',
          '--server-side',
          `--field-manager=${FIELD_MANAGER}`,
          '--force-conflicts',
          '-f',
          `${inputs.stateDir}/bootstrap`,
        ),
      ],
    },
    {
      id: 'refresh',
      title: 'Refresh every Application, so Argo CD reads the new snapshot now, not at its next poll',
      hint: `Look at the Applications: kubectl --context ${KUBE_CONTEXT} -n ${ARGOCD_NAMESPACE} get applications`,
      commands: () => [
        kubectl(
          TIMEOUTS.probe,
          ...ns,
          'annotate',
          'applications.argoproj.io',
          '--all',
          'argocd.argoproj.io/refresh=normal',
          '--overwrite',
        ),
      ],
    },
  ];
};

const applicationTimeout = (name: string): number =>
  Object.entries(TIMEOUTS.applicationOverrides).find(([fragment]) => name.includes(fragment))?.[1] ??
  TIMEOUTS.application;

const waitCommands = (app: ChildApplication): Command[] => {
  const seconds = applicationTimeout(app.name);
  const wait = (condition: string): Command =>
    kubectl(
      seconds + 10,
      '-n',
      ARGOCD_NAMESPACE,
      'wait',
      `application/${app.name}`,
      condition,
      `--timeout=${seconds}s`,
    );
  return [
    wait('--for=create'),
    wait('--for=jsonpath={.status.sync.status}=Synced'),
    wait('--for=jsonpath={.status.health.status}=Healthy'),
  ];
};

/**
 * One wait over Applications that progress together (the add-ons sync in their waves at once; so do an env's
 * Applications): the step's bound is shared, so a slow first one leaves less for the rest, and the plan's bound
 * stays the sum of the steps, not of every Application's worst case.
 */
const waitStep = (id: string, label: string, apps: readonly ChildApplication[], bound: number): Step => {
  const ctx = `kubectl --context ${KUBE_CONTEXT}`;
  return {
    id,
    title: `${label}: Synced and Healthy (${apps.map((app) => app.name).join(', ')}; ≤ ${bound} s)`,
    boundSeconds: bound,
    hint: [
      'An Application is stuck. Look at it:',
      `  ${ctx} -n ${ARGOCD_NAMESPACE} get applications`,
      `  ${ctx} -n ${ARGOCD_NAMESPACE} describe application <name>`,
      `  ${ctx} -n ${ARGOCD_NAMESPACE} get application <name> -o jsonpath='{.status.conditions}'`,
      ...[...new Set(apps.map((app) => app.destinationNamespace || ARGOCD_NAMESPACE))].map(
        (ns) => `  ${ctx} -n ${ns} get pods,events --sort-by=.lastTimestamp`,
      ),
    ].join('\n'),
    commands: () => apps.flatMap(waitCommands),
  };
};

const waitSteps = (applications: readonly ChildApplication[]): Step[] => {
  const awaited = applicationsToAwait(applications);
  const local = `${ENV_NAMESPACE_PREFIX}${LOCAL_ENV}`;
  const platformApps = awaited.filter((app) => app.destinationNamespace !== local);
  const envApps = awaited.filter((app) => app.destinationNamespace === local);
  return [
    ...(platformApps.length > 0
      ? [waitStep('wait-addons', 'The add-ons and Argo CD config', platformApps, TIMEOUTS.addons)]
      : []),
    ...(envApps.length > 0 ? [waitStep(`wait-${local}`, local, envApps, TIMEOUTS.environment)] : []),
  ];
};

/**
 * The end of `runway up`: dev's Rollout runs the local build and is Healthy. Argo Rollouts reports Healthy only
 * once the current spec is fully promoted and available, so this is the digest running, not just git synced.
 */
const releaseRunningStep = (): Step => {
  const seconds = TIMEOUTS.releaseRunning;
  const ns = `${ENV_NAMESPACE_PREFIX}${LOCAL_ENV}`;
  const wait = (condition: string): Command =>
    kubectl(seconds + 10, '-n', ns, 'wait', `rollout/${ROLLOUT_NAME}`, condition, `--timeout=${seconds}s`);
  return {
    id: 'release-running',
    boundSeconds: seconds + 10,
    title: `${ns}: the Rollout runs the local build and is Healthy (≤ ${seconds} s)`,
    hint: `Look at the Rollout: kubectl --context ${KUBE_CONTEXT} -n ${ns} describe rollout ${ROLLOUT_NAME}; kubectl --context ${KUBE_CONTEXT} -n ${ns} get analysisruns,pods`,
    commands: (captured) => [
      wait(
        `--for=jsonpath={.spec.template.spec.containers[0].image}=${LOCAL_IMAGE_REPOSITORY}@${captured.imageDigest ?? ''}`,
      ),
      wait('--for=jsonpath={.status.phase}=Healthy'),
    ],
  };
};

const credentialsStep = (applications: readonly ChildApplication[]): Step => {
  const grafana = applications.some(
    (app) => app.destinationNamespace === GRAFANA_NAMESPACE && app.name.includes('prometheus'),
  );
  const secret = (
    ns: string,
    name: string,
    key: string,
    capture: 'argocdPassword' | 'grafanaPassword',
  ): Command => ({
    ...kubectl(TIMEOUTS.credentials, '-n', ns, 'get', 'secret', name, '-o', `jsonpath={.data.${key}}`),
    capture,
  });
  return {
    id: 'credentials',
    title: grafana ? 'Read the Argo CD and Grafana credentials' : 'Read the Argo CD credentials',
    hint: `Look at the secret: kubectl --context ${KUBE_CONTEXT} -n ${ARGOCD_NAMESPACE} get secret argocd-initial-admin-secret`,
    commands: () => [
      secret(ARGOCD_NAMESPACE, 'argocd-initial-admin-secret', 'password', 'argocdPassword'),
      ...(grafana ? [secret(GRAFANA_NAMESPACE, GRAFANA_SECRET, 'admin-password', 'grafanaPassword')] : []),
    ],
  };
};

const warnings = (inputs: UpInputs): string[] => {
  const found: string[] = [];
  if (inputs.applications.length === 0) {
    found.push(
      'deploy/ holds no Argo CD Applications yet (run `npx runway synth`); runway up waits only for the release.',
    );
  } else if (
    !inputs.applications.some((app) => app.destinationNamespace === `${ENV_NAMESPACE_PREFIX}${LOCAL_ENV}`)
  ) {
    found.push(
      `No Application deploys ${ENV_NAMESPACE_PREFIX}${LOCAL_ENV}; the local build is pushed but nothing runs it.`,
    );
  }
  if (!inputs.notificationsToken) {
    found.push(
      'RUNWAY_GITHUB_TOKEN is not set: an aborted canary is not reported to GitHub (fine locally; the rollback workflow will not run).',
    );
  }
  return found;
};

/** Everything `runway up` will do on this machine, decided from the probes; on a healthy platform a rerun changes nothing. */
export const planUp = (inputs: UpInputs): Plan => ({
  steps: [
    registryStep(inputs.probes),
    clusterStep(inputs.probes),
    registryWiringStep(inputs),
    gitServerStep(inputs),
    ...imageSteps(inputs),
    snapshotStep(inputs),
    ...argocdSteps(inputs),
    ...waitSteps(inputs.applications),
    releaseRunningStep(),
    credentialsStep(inputs.applications),
  ],
  warnings: warnings(inputs),
});
