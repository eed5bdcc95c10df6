import { commonLabels } from '../../spec/service.js';
import type { KubeObject } from '../../synth/object.js';
import type { Finding } from '../finding.js';
import { type ContainerView, type PodTemplate, podTemplates } from './pod-templates.js';
import { finding, type ManifestRule } from './rule.js';

const ID = 'pod/ports-exist';

const declares = (containers: readonly ContainerView[], port: number | string): boolean =>
  containers.some((container) =>
    (container.ports ?? []).some((declared) =>
      typeof port === 'number' ? declared.containerPort === port : declared.name === port,
    ),
  );

const probePorts = (template: PodTemplate): Finding[] =>
  (template.spec.containers ?? []).flatMap((container, index) =>
    (['startupProbe', 'readinessProbe', 'livenessProbe'] as const).flatMap((probe) => {
      const handler = container[probe];
      const port = handler?.httpGet?.port ?? handler?.tcpSocket?.port ?? handler?.grpc?.port;
      return port === undefined || declares([container], port)
        ? []
        : [
            finding(
              ID,
              template.object,
              `${template.path}.containers[${index}].${probe}`,
              `port ${port} is not declared by the container`,
            ),
          ];
    }),
  );

const selects = (
  selector: Readonly<Record<string, string>>,
  labels: Readonly<Record<string, string>>,
): boolean => Object.entries(selector).every(([key, value]) => labels[key] === value);

type ServiceSpec = {
  selector?: Record<string, string>;
  ports?: { port?: number; targetPort?: number | string }[];
};

/** Pods another controller creates (e.g. Envoy Gateway's proxies) have no template here to check against. */
const selectsForeignPods = (selector: Readonly<Record<string, string>>): boolean => {
  const manager = selector['app.kubernetes.io/managed-by'];
  return manager !== undefined && manager !== commonLabels['app.kubernetes.io/managed-by'];
};

/** A Service's targetPort must exist on every pod template it selects, and it must select at least one. */
const servicePorts = (service: KubeObject, templates: readonly PodTemplate[]): Finding[] => {
  const spec = (service.spec ?? {}) as ServiceSpec;
  if (!spec.selector || selectsForeignPods(spec.selector)) return [];
  const selector = spec.selector;
  const selected = templates.filter(
    (template) =>
      template.object.metadata.namespace === service.metadata.namespace && selects(selector, template.labels),
  );
  if (selected.length === 0) return [finding(ID, service, 'spec.selector', 'selects no pod template')];
  return (spec.ports ?? []).flatMap((port, index) => {
    const target = port.targetPort ?? port.port;
    if (target === undefined) return [];
    return selected
      .filter((template) => !declares(template.spec.containers ?? [], target))
      .map((template) =>
        finding(
          ID,
          service,
          `spec.ports[${index}].targetPort`,
          `port ${target} is not declared by ${template.object.kind}/${template.object.metadata.name}`,
        ),
      );
  });
};

export const portsRule: ManifestRule = {
  id: ID,
  description: 'every probe and Service port exists on the container',
  check: (objects) => {
    const templates = objects.flatMap(podTemplates);
    return [
      ...templates.flatMap(probePorts),
      ...objects
        .filter((object) => object.apiVersion === 'v1' && object.kind === 'Service')
        .flatMap((service) => servicePorts(service, templates)),
    ];
  },
};
