import type { IHTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import type { EnvironmentSpec } from '../spec/environments.js';
import { platform } from '../spec/repository.js';
import { service } from '../spec/service.js';
import { type KubeObject, meta, typed } from './object.js';

/** Public traffic: the shared Gateway → the `links` Service (port 80 → 8080). The ops port is never routed. */
export const httpRoute = (env: EnvironmentSpec): KubeObject => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: meta(service.name, env.namespace),
  spec: typed<NonNullable<IHTTPRoute['spec']>>({
    parentRefs: [{ name: platform.gatewayName, namespace: platform.gatewayNamespace, sectionName: 'http' }],
    hostnames: [env.hostname],
    rules: [
      {
        matches: [{ path: { type: 'PathPrefix', value: '/' } }],
        backendRefs: [{ name: service.name, port: 80 }],
      },
    ],
  }),
});

export const gatewayObjects = (): KubeObject[] => [
  {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: meta(platform.gatewayNamespace, undefined, {
      'pod-security.kubernetes.io/enforce': 'restricted',
    }),
  },
  {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'GatewayClass',
    metadata: meta('envoy', undefined),
    spec: { controllerName: 'gateway.envoyproxy.io/gatewayclass-controller' },
  },
  {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: meta(platform.gatewayName, platform.gatewayNamespace),
    spec: {
      gatewayClassName: 'envoy',
      listeners: [
        {
          name: 'http',
          protocol: 'HTTP',
          port: 80,
          // Only namespaces synth labels for it may attach routes.
          allowedRoutes: {
            namespaces: {
              from: 'Selector',
              selector: { matchLabels: { 'runway.dev/gateway-access': 'true' } },
            },
          },
        },
      ],
    },
  },
];
