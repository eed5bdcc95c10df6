/**
 * Every name, version, port and path the local platform depends on, in one place, so a rename in `deploy/`
 * or a version bump is a one-line change here.
 */
export const CLUSTER_NAME = 'runway';
export const KUBE_CONTEXT = `kind-${CLUSTER_NAME}`;
/** kind names nodes `<cluster>-control-plane`, `<cluster>-worker`, `<cluster>-worker2`. */
export const NODE_NAMES = [
  `${CLUSTER_NAME}-control-plane`,
  `${CLUSTER_NAME}-worker`,
  `${CLUSTER_NAME}-worker2`,
];
export const KIND_NETWORK = 'kind';

/** Committed files, relative to the repository root. */
export const KIND_CONFIG_PATH = 'infra/kind/cluster.yaml';
export const REGISTRY_HOSTS_TOML_PATH = 'infra/kind/registry-hosts.toml';
export const REGISTRY_HOSTING_CONFIGMAP_PATH = 'infra/kind/local-registry-hosting.yaml';
export const DOCKERFILE_PATH = 'apps/links/Dockerfile';
/** The kind cluster's tree, rendered by `runway synth` (decision 17); `runway up` applies it as rendered. */
export const KIND_TREE = 'deploy/clusters/kind';
/** Argo CD's own config (applied before Argo CD starts) and the root Application (applied once it runs). */
export const ARGOCD_CONFIG_DIR = `${KIND_TREE}/argocd`;
export const ROOT_DIR = `${KIND_TREE}/root`;
export const ROOT_APP_NAME = 'root';
/** synth's file for Argo CD's main ConfigMap in ARGOCD_CONFIG_DIR. */
export const ARGOCD_CM_FILE = 'configmap-argocd-cm.yaml';
/** The one field manager of everything `runway up` applies: a later apply never drops keys an earlier one set. */
export const FIELD_MANAGER = 'runway';
/** Where `runway up` looks for the Applications the root app creates, to wait for each of them. */
export const APPLICATIONS_DIR = KIND_TREE;
export const RELEASES_DIR = 'deploy/releases';
/** The local env's rendered manifests, where the local build replaces the released image. */
export const LOCAL_ENV_DIR = 'deploy/envs/dev';

/**
 * Argo CD in the cluster reads a local snapshot of the repository, served by a git daemon container on the kind
 * network: the chosen commit plus one local commit that points dev at the local build. Committed deploy/ state and
 * the remote are never touched.
 */
export const GIT_SERVER_CONTAINER = `${CLUSTER_NAME}-git`;
export const GIT_SERVER_IMAGE = 'runway-git-server:local';
export const GIT_SERVER_DOCKERFILE = 'infra/kind/git-server.Dockerfile';
export const SNAPSHOT_REPOSITORY = 'runway.git';
export const SNAPSHOT_BRANCH = 'local';

/** The local registry: reachable as localhost:5001 from the host and (through the mirror config) from the nodes. */
export const REGISTRY_CONTAINER = `${CLUSTER_NAME}-registry`;
export const REGISTRY_IMAGE = 'registry:2.8.3';
export const REGISTRY_HOST_PORT = 5001;
export const REGISTRY_HOST = `localhost:${REGISTRY_HOST_PORT}`;
export const LOCAL_IMAGE_REPOSITORY = `${REGISTRY_HOST}/links`;

/**
 * Host ports mapped by the kind config onto the control-plane node's NodePorts. The gateway's Service must use
 * nodePort 30080 (HTTP); Argo CD's server is switched to nodePort 30443 by `runway up`.
 */
export const GATEWAY_HOST_PORT = 8000;
export { GATEWAY_NODE_PORT } from '../synth/kind.js';
/** The dev env's HTTPRoute hostname; the gateway routes by Host header. */
export const APP_HOSTNAME = 'dev.links.runway.dev';
export const ARGOCD_HOST_PORT = 8443;
export const ARGOCD_NODE_PORT = 30443;

export const ARGOCD_VERSION = 'v3.3.18';
export const ARGOCD_NAMESPACE = 'argocd';
export const ARGOCD_MANIFEST_URL = `https://raw.githubusercontent.com/argoproj/argo-cd/${ARGOCD_VERSION}/manifests/install.yaml`;

/** The env that runs locally and receives the local build. */
export const LOCAL_ENV = 'dev';
/** The service's Rollout in every environment. */
export const ROLLOUT_NAME = 'links';
export const ENV_NAMESPACE_PREFIX = 'links-';

/** Grafana, installed by the kube-prometheus-stack add-on. */
export const GRAFANA_NAMESPACE = 'monitoring';
export const GRAFANA_SERVICE = 'kube-prometheus-stack-grafana';
export const GRAFANA_SECRET = 'kube-prometheus-stack-grafana';
export const GRAFANA_LOCAL_PORT = 3000;

/** What the machine needs (docs/local-platform.md explains the figures). */
export const REQUIREMENTS = {
  minDockerMemoryBytes: 6 * 1024 ** 3,
  recommendedDockerMemoryBytes: 8 * 1024 ** 3,
  minFreeMemoryBytes: 2 * 1024 ** 3,
  minCpus: 2,
  recommendedCpus: 4,
  minKind: [0, 20, 0],
  /** `kubectl wait --for=create` arrived in 1.31. */
  minKubectl: [1, 31, 0],
} as const;

/**
 * Per-command time limits, in seconds, sized for a GitHub-hosted runner (4 vCPU, 16 GB); a step's bound is the sum
 * of its commands' limits (`runway up --dry-run` prints each, and e2e-kind.yml derives its bound from the total).
 */
export const TIMEOUTS = {
  probe: 20,
  gitServer: 120,
  snapshot: 120,
  registry: 60,
  cluster: 240,
  build: 480,
  push: 120,
  argocdInstall: 120,
  /** Shared by Argo CD's three workloads, which start together. */
  argocdReady: 240,
  rootApp: 60,
  /** Each Application's own wait; the heavy add-ons get more. */
  application: 300,
  applicationOverrides: { 'kube-prometheus-stack': 420 } as Readonly<Record<string, number>>,
  /** Shared by every add-on wait: they sync in their waves at once. */
  addons: 720,
  /** Shared by the local env's Applications. */
  environment: 300,
  /** dev's canary: PreSync migration, image pull, 50 % step, analysis (30 s delay + 2 × 30 s), full promotion. */
  releaseRunning: 600,
  credentials: 30,
  down: 180,
} as const;
