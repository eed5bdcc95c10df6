import type { EnvironmentSpec } from '../spec/environments.js';
import { platform } from '../spec/repository.js';
import { service } from '../spec/service.js';
import { type KubeObject, meta } from './object.js';
import { HTTP_LISTENER } from './routing.js';

/**
 * What only the kind cluster has, rendered into its own tree (decision 17): the gateway reached through a fixed
 * NodePort that kind maps to localhost, and the environments it hosts served on that plain-HTTP listener.
 */

/** kind's config maps this NodePort of the control-plane node to 127.0.0.1:8000 (infra/kind/cluster.yaml). */
export const GATEWAY_NODE_PORT = 30080;
/** The Gateway's HTTP listener port. */
const HTTP_LISTENER_PORT = 80;
/**
 * Envoy listens on listener port + 10000 for ports below 1024 (Envoy Gateway v1.7.1
 * `internal/gatewayapi/listener.go` servicePortToContainerPort, `translator.go` wellKnownPortShift).
 */
const ENVOY_HTTP_CONTAINER_PORT = HTTP_LISTENER_PORT + 10_000;

/**
 * A NodePort Service beside the one Envoy Gateway creates, selecting the Gateway's Envoy pods by the labels Envoy
 * Gateway puts on them (v1.7.1 `internal/infrastructure/kubernetes/proxy/resource.go` EnvoyAppLabel, and the
 * owning-gateway labels of `internal/gatewayapi/translator.go`). `Cluster` traffic policy: kind maps the port on
 * the control plane, where no Envoy pod may run.
 */
export const gatewayNodePort = (): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: meta(`${platform.gatewayName}-gateway-nodeport`, platform.gatewayProxyNamespace),
  spec: {
    type: 'NodePort',
    externalTrafficPolicy: 'Cluster',
    selector: {
      'app.kubernetes.io/name': 'envoy',
      'app.kubernetes.io/component': 'proxy',
      'app.kubernetes.io/managed-by': 'envoy-gateway',
      'gateway.envoyproxy.io/owning-gateway-name': platform.gatewayName,
      'gateway.envoyproxy.io/owning-gateway-namespace': platform.gatewayNamespace,
    },
    ports: [
      {
        name: 'http',
        protocol: 'TCP',
        port: HTTP_LISTENER_PORT,
        targetPort: ENVOY_HTTP_CONTAINER_PORT,
        nodePort: GATEWAY_NODE_PORT,
      },
    ],
  },
});

/** The environment on kind's plain-HTTP listener, the one listener kind maps to the host. */
export const plainHttpRoute = (env: EnvironmentSpec): KubeObject => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: meta(`${service.name}-plain-http`, env.namespace),
  spec: {
    parentRefs: [
      { name: platform.gatewayName, namespace: platform.gatewayNamespace, sectionName: HTTP_LISTENER },
    ],
    hostnames: [env.hostname],
    rules: [
      {
        matches: [{ path: { type: 'PathPrefix', value: '/' } }],
        backendRefs: [{ name: service.name, port: 80 }],
      },
    ],
  },
});

/** kind's kubelets serve self-signed certificates that metrics-server cannot verify. */
export const metricsServerKindValues = { args: ['--kubelet-insecure-tls'] } as const;
