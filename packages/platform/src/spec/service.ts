/**
 * The `links` service as the platform sees it: the runtime contract of docs/service-contract.md as data.
 * Change the contract there first, then here.
 */
export const service = {
  name: 'links',
  partOf: 'runway',
  /** uid/gid the image runs as (decision 14). */
  user: 10001,
  ports: { http: 8080, ops: 9464 },
  probes: { startup: '/livez', liveness: '/livez', readiness: '/readyz' },
  commands: { server: ['node', 'dist/main.js'], migrate: ['node', 'dist/cli.js', 'migrate'] },
  /** The one writable path; everything else is a read-only root filesystem. */
  scratchDir: '/tmp',
  /** Milliseconds; the pod's termination grace covers readiness-fail grace + drain deadline + a margin. */
  shutdown: { graceMs: 5000, timeoutMs: 20000 },
} as const;

/** Labels every object Runway renders carries; pods add `app.kubernetes.io/name`, `component` and `env`. */
export const commonLabels = {
  'app.kubernetes.io/part-of': service.partOf,
  'app.kubernetes.io/managed-by': 'runway-synth',
} as const;

/** The labels the manifest policy requires on every object and pod template. */
export const REQUIRED_OBJECT_LABELS = Object.keys(commonLabels);
export const REQUIRED_POD_LABELS = ['app.kubernetes.io/name', 'app.kubernetes.io/part-of', 'env'] as const;
