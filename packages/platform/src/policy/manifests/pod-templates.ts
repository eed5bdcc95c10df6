import type { KubeObject } from '../../synth/object.js';

/** A container as far as the policies look at it. */
export interface ContainerView {
  readonly name?: string;
  readonly image?: string;
  readonly ports?: readonly { readonly name?: string; readonly containerPort?: number }[];
  readonly resources?: {
    readonly requests?: Readonly<Record<string, unknown>>;
    readonly limits?: Readonly<Record<string, unknown>>;
  };
  readonly securityContext?: Readonly<Record<string, unknown>>;
  readonly startupProbe?: ProbeView;
  readonly readinessProbe?: ProbeView;
  readonly livenessProbe?: ProbeView;
}

export interface ProbeView {
  readonly httpGet?: { readonly port?: number | string };
  readonly tcpSocket?: { readonly port?: number | string };
  readonly grpc?: { readonly port?: number };
}

export interface PodSpecView {
  readonly containers?: readonly ContainerView[];
  readonly initContainers?: readonly ContainerView[];
  /** Debug containers (`kubectl debug`); a Pod manifest can carry them, and they get the pod's privileges. */
  readonly ephemeralContainers?: readonly ContainerView[];
  readonly volumes?: readonly Readonly<Record<string, unknown>>[];
  readonly securityContext?: Readonly<Record<string, unknown>>;
  readonly hostNetwork?: boolean;
  readonly hostPID?: boolean;
  readonly hostIPC?: boolean;
}

/** A pod template found in an object, with the path policies report against. */
export interface PodTemplate {
  readonly object: KubeObject;
  readonly path: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The pod's annotations (AppArmor profiles were annotations before the securityContext field). */
  readonly annotations: Readonly<Record<string, string>>;
  readonly spec: PodSpecView;
  /** Long-running pods need all three probes; Jobs run to completion and need none. */
  readonly longRunning: boolean;
}

const LONG_RUNNING = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Rollout']);
const TEMPLATED = new Set([...LONG_RUNNING, 'Job']);

type Template = {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: PodSpecView;
};

export const podTemplates = (object: KubeObject): PodTemplate[] => {
  const spec = object.spec as
    | { template?: Template; jobTemplate?: { spec?: { template?: Template } } }
    | undefined;
  if (object.kind === 'Pod') {
    return [
      {
        object,
        path: 'spec',
        labels: object.metadata.labels ?? {},
        annotations: (object.metadata as { annotations?: Record<string, string> }).annotations ?? {},
        spec: (object.spec ?? {}) as PodSpecView,
        longRunning: true,
      },
    ];
  }
  if (object.kind === 'CronJob') {
    const template = spec?.jobTemplate?.spec?.template;
    return template
      ? [
          {
            object,
            path: 'spec.jobTemplate.spec.template.spec',
            labels: template.metadata?.labels ?? {},
            annotations: template.metadata?.annotations ?? {},
            spec: template.spec ?? {},
            longRunning: false,
          },
        ]
      : [];
  }
  if (!TEMPLATED.has(object.kind) || !spec?.template) return [];
  return [
    {
      object,
      path: 'spec.template.spec',
      labels: spec.template.metadata?.labels ?? {},
      annotations: spec.template.metadata?.annotations ?? {},
      spec: spec.template.spec ?? {},
      longRunning: LONG_RUNNING.has(object.kind),
    },
  ];
};

/** Every container with its path, init containers included; ephemeral ones too when security is the question. */
export const containersOf = (
  template: PodTemplate,
  withEphemeral = false,
): { container: ContainerView; path: string }[] => [
  ...(withEphemeral ? (template.spec.ephemeralContainers ?? []) : []).map((container, index) => ({
    container,
    path: `${template.path}.ephemeralContainers[${index}]`,
  })),
  ...(template.spec.initContainers ?? []).map((container, index) => ({
    container,
    path: `${template.path}.initContainers[${index}]`,
  })),
  ...(template.spec.containers ?? []).map((container, index) => ({
    container,
    path: `${template.path}.containers[${index}]`,
  })),
];
