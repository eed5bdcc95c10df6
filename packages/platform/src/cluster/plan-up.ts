import {
  applicationsToAwait,
  type ChildApplication,
  type DeployLayout,
  localEnvApplication,
} from './deploy-layout.js';
import {
  argocdConfig,
  argocdServerNodePort,
  childOverridePatch,
  gitHubRepository,
  type Manifest,
  namespace,
  notificationsConfig,
  notificationsSecret,
  rootApplication,
  toYaml,
} from './manifests.js';
import type { Command, Plan, Step } from './plan-types.js';
import type { MachineProbes } from './probes.js';
import {
  ARGOCD_MANIFEST_URL,
  ARGOCD_NAMESPACE,
  CLUSTER_NAME,
  DOCKERFILE_PATH,
  GRAFANA_NAMESPACE,
  GRAFANA_SECRET,
  KIND_CONFIG_PATH,
  KIND_NETWORK,
  KUBE_CONTEXT,
  LOCAL_IMAGE_REPOSITORY,
  NODE_NAMES,
  REGISTRY_CONTAINER,
  REGISTRY_HOST,
  REGISTRY_HOST_PORT,
  REGISTRY_HOSTING_CONFIGMAP_PATH,
  REGISTRY_IMAGE,
  ROOT_APP_NAME,
  TIMEOUTS,
} from './settings.js';

export interface UpInputs {
  readonly probes: MachineProbes;
  readonly layout: DeployLayout;
  /** The repository and revision Argo CD reads (the git remote and HEAD unless overridden). */
  readonly repoUrl: string;
  readonly revision: string;
  /** Tag of the local build (the short git SHA); the digest is what deploys. */
  readonly imageTag: string;
  /** Contents of infra/kind/registry-hosts.toml. */
  readonly registryHostsToml: string;
  /** GitHub token for Argo CD Notifications → repository_dispatch (optional locally). */
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
    '--field-manager=runway',
    '--force-conflicts',
    '-f',
    '-',
  ),
  stdin: toYaml(manifests),
  ...(stdinLabel ? { stdinLabel } : {}),
});

const registryRun = (): Command =>
  run(
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

const registryStep = ({ registry }: MachineProbes): Step => {
  const base = {
    id: 'registry',
    hint: `Look at the container: docker ps -a --filter name=${REGISTRY_CONTAINER}; docker logs ${REGISTRY_CONTAINER}`,
  };
  if (!registry.exists)
    return { ...base, title: 'Local registry', note: 'creating', commands: () => [registryRun()] };
  if (registry.image !== REGISTRY_IMAGE) {
    return {
      ...base,
      title: 'Local registry',
      note: `repairing: runs ${registry.image ?? 'an unknown image'} instead of ${REGISTRY_IMAGE}`,
      commands: () => [run(TIMEOUTS.registry, 'docker', 'rm', '-f', REGISTRY_CONTAINER), registryRun()],
    };
  }
  if (!registry.running) {
    return {
      ...base,
      title: 'Local registry',
      note: 'repairing: starting the stopped container',
      commands: () => [run(TIMEOUTS.registry, 'docker', 'start', REGISTRY_CONTAINER)],
    };
  }
  return { ...base, title: 'Local registry', note: 'reusing the running registry', commands: () => [] };
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
    title: 'kind cluster (1 control plane + 2 workers)',
    hint: `Look at the nodes: kind get nodes --name ${CLUSTER_NAME}; docker logs ${CLUSTER_NAME}-control-plane; kubectl --context ${KUBE_CONTEXT} get nodes -o wide`,
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
  const connect =
    inputs.probes.registry.onKindNetwork && inputs.probes.cluster.healthy
      ? []
      : [run(TIMEOUTS.registry, 'docker', 'network', 'connect', KIND_NETWORK, REGISTRY_CONTAINER)];
  return {
    id: 'registry-wiring',
    title: `Nodes pull ${REGISTRY_HOST} from the local registry`,
    hint: `Check the mirror config on a node: docker exec ${NODE_NAMES[0]} cat ${hostsDir}/hosts.toml; docker network inspect ${KIND_NETWORK}`,
    commands: () => [
      ...connect,
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
        '--field-manager=runway',
        '-f',
        REGISTRY_HOSTING_CONFIGMAP_PATH,
      ),
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

const argocdSteps = (inputs: UpInputs): Step[] => {
  const github = gitHubRepository(inputs.repoUrl);
  const notifications = github ? [apply(TIMEOUTS.probe, [notificationsConfig(github)])] : [];
  const secret = inputs.notificationsToken
    ? [
        apply(
          TIMEOUTS.probe,
          [notificationsSecret(inputs.notificationsToken)],
          '<argocd-notifications-secret with RUNWAY_GITHUB_TOKEN>',
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
        apply(TIMEOUTS.probe, [argocdConfig()]),
        ...notifications,
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
  ];
};

interface Override {
  readonly name: string;
  /** Whether this child runs the local build (the local env, when Argo CD can substitute its image). */
  readonly localBuild: boolean;
}

const overridesFor = (inputs: UpInputs): Override[] => {
  const local = localEnvApplication(inputs.layout.applications);
  return inputs.layout.applications
    .filter((app) => app.fromThisRepository)
    .map((app) => ({ name: app.name, localBuild: app.name === local?.name && app.kustomize }));
};

const rootSteps = (inputs: UpInputs): Step[] => {
  const overrides = overridesFor(inputs);
  const ns = ['-n', ARGOCD_NAMESPACE];
  const root = rootApplication({
    repoUrl: inputs.repoUrl,
    revision: inputs.revision,
    overriddenChildren: overrides.map((item) => item.name),
  });
  return [
    {
      id: 'root-app',
      title: `Apply the root app (${inputs.repoUrl} @ ${inputs.revision})`,
      hint: `Look at it: kubectl --context ${KUBE_CONTEXT} -n ${ARGOCD_NAMESPACE} describe application ${ROOT_APP_NAME}`,
      commands: () => [apply(TIMEOUTS.rootApp, [root])],
    },
    {
      id: 'local-overrides',
      title: "Point this repository's Applications at the same revision; run the local build in dev",
      hint: `Look at the Applications: kubectl --context ${KUBE_CONTEXT} -n ${ARGOCD_NAMESPACE} get applications`,
      commands: (captured) =>
        overrides.flatMap((override) => [
          kubectl(
            TIMEOUTS.rootApp + 10,
            ...ns,
            'wait',
            `application/${override.name}`,
            '--for=create',
            `--timeout=${TIMEOUTS.rootApp}s`,
          ),
          kubectl(
            TIMEOUTS.probe,
            ...ns,
            'patch',
            'application',
            override.name,
            '--type',
            'merge',
            '-p',
            childOverridePatch({
              repoUrl: inputs.repoUrl,
              revision: inputs.revision,
              ...(override.localBuild
                ? {
                    images: [
                      `${inputs.layout.releasedImageRepository}=${LOCAL_IMAGE_REPOSITORY}@${captured.imageDigest ?? ''}`,
                    ],
                  }
                : {}),
            }),
          ),
        ]),
    },
  ];
};

const applicationTimeout = (app: ChildApplication): number =>
  Object.entries(TIMEOUTS.applicationOverrides).find(([fragment]) => app.name.includes(fragment))?.[1] ??
  TIMEOUTS.application;

const waitStep = (app: ChildApplication): Step => {
  const seconds = applicationTimeout(app);
  const ns = ['-n', ARGOCD_NAMESPACE];
  const target = `application/${app.name}`;
  const wait = (condition: string): Command =>
    kubectl(seconds + 10, ...ns, 'wait', target, condition, `--timeout=${seconds}s`);
  return {
    id: `wait-${app.name}`,
    title: `${app.name} Synced and Healthy (≤ ${seconds} s)`,
    hint: [
      `${app.name} is stuck. Look at it:`,
      `  kubectl --context ${KUBE_CONTEXT} -n ${ARGOCD_NAMESPACE} describe application ${app.name}`,
      `  kubectl --context ${KUBE_CONTEXT} -n ${ARGOCD_NAMESPACE} get application ${app.name} -o jsonpath='{.status.conditions}'`,
      `  kubectl --context ${KUBE_CONTEXT} -n ${app.destinationNamespace || ARGOCD_NAMESPACE} get pods,events --sort-by=.lastTimestamp`,
    ].join('\n'),
    commands: () => [
      wait('--for=create'),
      wait('--for=jsonpath={.status.sync.status}=Synced'),
      wait('--for=jsonpath={.status.health.status}=Healthy'),
    ],
  };
};

const credentialsStep = (layout: DeployLayout): Step => {
  const grafana = layout.applications.some(
    (app) => app.name.includes('prometheus') || app.name.includes('grafana'),
  );
  return {
    id: 'credentials',
    title: grafana ? 'Read the Argo CD and Grafana credentials' : 'Read the Argo CD credentials',
    hint: `Look at the secrets: kubectl --context ${KUBE_CONTEXT} -n ${ARGOCD_NAMESPACE} get secret argocd-initial-admin-secret; kubectl --context ${KUBE_CONTEXT} -n ${GRAFANA_NAMESPACE} get secrets`,
    commands: () => [
      {
        ...kubectl(
          TIMEOUTS.credentials,
          '-n',
          ARGOCD_NAMESPACE,
          'get',
          'secret',
          'argocd-initial-admin-secret',
          '-o',
          'jsonpath={.data.password}',
        ),
        capture: 'argocdPassword',
      },
      ...(grafana
        ? [
            {
              ...kubectl(
                TIMEOUTS.credentials,
                '-n',
                GRAFANA_NAMESPACE,
                'get',
                'secret',
                GRAFANA_SECRET,
                '-o',
                'jsonpath={.data.admin-password}',
              ),
              capture: 'grafanaPassword' as const,
            },
          ]
        : []),
    ],
  };
};

const warnings = (inputs: UpInputs): string[] => {
  const found: string[] = [];
  const local = localEnvApplication(inputs.layout.applications);
  if (inputs.layout.applications.length === 0) {
    found.push(
      'deploy/ holds no Argo CD Applications yet (run `npx runway synth`); runway up waits only for the root app.',
    );
  } else if (!local) {
    found.push(
      'No Application deploys the dev env (namespace links-dev); the local build is pushed but not deployed.',
    );
  } else if (!local.kustomize) {
    found.push(
      `${local.path ?? local.name} has no kustomization.yaml, so Argo CD cannot substitute the local build; dev runs the released image.`,
    );
  }
  if (!gitHubRepository(inputs.repoUrl)) {
    found.push(
      `${inputs.repoUrl} is not a GitHub repository: Argo CD Notifications (rollback on aborted canary) is not configured.`,
    );
  } else if (!inputs.notificationsToken) {
    found.push(
      'RUNWAY_GITHUB_TOKEN is not set: an aborted canary is not reported to GitHub (the rollback workflow will not run).',
    );
  }
  return found;
};

/** Everything `runway up` will do on this machine, decided from the probes; running it again on a healthy platform changes nothing. */
export const planUp = (inputs: UpInputs): Plan => {
  const toAwait = applicationsToAwait(inputs.layout.applications);
  const rootWait = waitStep({
    name: ROOT_APP_NAME,
    destinationNamespace: ARGOCD_NAMESPACE,
    repoURL: inputs.repoUrl,
    fromThisRepository: true,
    wave: 0,
    kustomize: false,
  });
  return {
    steps: [
      registryStep(inputs.probes),
      clusterStep(inputs.probes),
      registryWiringStep(inputs),
      ...imageSteps(inputs),
      ...argocdSteps(inputs),
      ...rootSteps(inputs),
      ...toAwait.map(waitStep),
      rootWait,
      credentialsStep(inputs.layout),
    ],
    warnings: warnings(inputs),
  };
};
