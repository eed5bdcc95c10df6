import type { IGateway } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway';
import type { IGatewayClass } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/GatewayClass';
import type { IHTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import type { ClusterSpec } from '../spec/clusters.js';
import type { EnvironmentSpec } from '../spec/environments.js';
import { platform } from '../spec/repository.js';
import { service } from '../spec/service.js';
import { tls } from '../spec/tls.js';
import { ENVOY_PROXY, ENVOY_PROXY_GROUP } from './aws.js';
import { type KubeObject, meta, typed } from './object.js';

/** The Envoy Gateway class the cluster's Gateway belongs to. */
export const GATEWAY_CLASS = 'envoy';
/** The plain-HTTP listener: it only redirects to HTTPS and serves cert-manager's HTTP-01 challenges. */
export const HTTP_LISTENER = 'http';
/** The route on the HTTP listener that sends every environment hostname to HTTPS. */
export const HTTPS_REDIRECT_ROUTE = 'https-redirect';

/** One HTTPS listener per environment, so each hostname has its own certificate and admits only its own routes. */
export const httpsListener = (env: EnvironmentSpec): string => `https-${env.name}`;
/** The Secret cert-manager writes the environment's certificate to, beside the Gateway. */
export const tlsSecret = (env: EnvironmentSpec): string => `${env.namespace}-tls`;

/** Public traffic: the shared Gateway's HTTPS listener → the `links` Service (port 80 → 8080). The ops port is never routed. */
export const httpRoute = (env: EnvironmentSpec): KubeObject => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: meta(service.name, env.namespace),
  spec: typed<NonNullable<IHTTPRoute['spec']>>({
    parentRefs: [
      { name: platform.gatewayName, namespace: platform.gatewayNamespace, sectionName: httpsListener(env) },
    ],
    hostnames: [env.hostname],
    rules: [
      {
        matches: [{ path: { type: 'PathPrefix', value: '/' } }],
        backendRefs: [{ name: service.name, port: 80 }],
      },
    ],
  }),
});

/**
 * Plain HTTP answers every environment hostname with a permanent redirect to the same URL over HTTPS.
 * cert-manager's HTTP-01 solver still works on this listener: its HTTPRoute (created beside the Gateway, for the
 * same exact hostname) matches `Exact` `/.well-known/acme-challenge/<token>`, and Gateway API gives an "Exact"
 * path match precedence over any "PathPrefix" match across the routes of a listener (HTTPRouteRule.matches), so
 * the challenge reaches the solver and only everything else is redirected.
 */
const httpsRedirect = (environments: readonly EnvironmentSpec[]): KubeObject => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: meta(HTTPS_REDIRECT_ROUTE, platform.gatewayNamespace),
  spec: typed<NonNullable<IHTTPRoute['spec']>>({
    parentRefs: [{ name: platform.gatewayName, sectionName: HTTP_LISTENER }],
    hostnames: environments.map((env) => env.hostname),
    rules: [
      {
        matches: [{ path: { type: 'PathPrefix', value: '/' } }],
        filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }],
      },
    ],
  }),
});

/**
 * Who may attach to the plain-HTTP listener: in the cloud only the routes beside the Gateway (the redirect and
 * cert-manager's challenge routes), so no app is served in clear text. kind maps only this listener to the host,
 * so there it also admits the namespaces of the environments kind hosts (kind.ts renders their HTTP routes).
 */
const httpAllowedRoutes = (cluster: ClusterSpec, environments: readonly EnvironmentSpec[]) =>
  cluster.provider === 'kind'
    ? {
        namespaces: {
          from: 'Selector' as const,
          selector: {
            matchExpressions: [
              {
                key: 'kubernetes.io/metadata.name',
                operator: 'In',
                values: [platform.gatewayNamespace, ...environments.map((env) => env.namespace)],
              },
            ],
          },
        },
      }
    : { namespaces: { from: 'Same' as const } };

const gateway = (cluster: ClusterSpec, environments: readonly EnvironmentSpec[]): KubeObject => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  // cert-manager's Gateway API support creates a Certificate for each HTTPS listener's hostname and Secret.
  metadata: meta(
    platform.gatewayName,
    platform.gatewayNamespace,
    {},
    {
      'cert-manager.io/cluster-issuer': tls.clusterIssuer,
    },
  ),
  spec: typed<NonNullable<IGateway['spec']>>({
    gatewayClassName: GATEWAY_CLASS,
    listeners: [
      {
        name: HTTP_LISTENER,
        protocol: 'HTTP',
        port: 80,
        allowedRoutes: httpAllowedRoutes(cluster, environments),
      },
      ...environments.map((env) => ({
        name: httpsListener(env),
        protocol: 'HTTPS',
        port: 443,
        hostname: env.hostname,
        tls: { mode: 'Terminate' as const, certificateRefs: [{ kind: 'Secret', name: tlsSecret(env) }] },
        // Only the environment's own namespace, and only while synth labels it for the gateway.
        allowedRoutes: {
          namespaces: {
            from: 'Selector' as const,
            selector: {
              matchLabels: {
                'kubernetes.io/metadata.name': env.namespace,
                'runway.dev/gateway-access': 'true',
              },
            },
          },
        },
      })),
    ],
  }),
});

/**
 * On EKS the class names the EnvoyProxy that annotates the proxy Service for an NLB (aws.ts). Envoy Gateway v1.7.1
 * `internal/provider/kubernetes/helpers.go` refsEnvoyProxy accepts only group `gateway.envoyproxy.io` and kind
 * `EnvoyProxy`, and `controller.go` processGatewayClassParamsRef looks it up in namespace `default` when the ref
 * names none, so the namespace is explicit.
 */
const gatewayClass = (cluster: ClusterSpec): KubeObject => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'GatewayClass',
  metadata: meta(GATEWAY_CLASS, undefined),
  spec: typed<NonNullable<IGatewayClass['spec']>>({
    controllerName: 'gateway.envoyproxy.io/gatewayclass-controller',
    ...(cluster.provider === 'eks'
      ? { parametersRef: { group: ENVOY_PROXY_GROUP, kind: 'EnvoyProxy', ...ENVOY_PROXY } }
      : {}),
  }),
});

/** The cluster's Gateway for the environments it hosts; kind serves them on plain HTTP instead of redirecting. */
export const gatewayObjects = (
  cluster: ClusterSpec,
  environments: readonly EnvironmentSpec[],
): KubeObject[] => [
  {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: meta(platform.gatewayNamespace, undefined, {
      'pod-security.kubernetes.io/enforce': 'restricted',
    }),
  },
  gatewayClass(cluster),
  gateway(cluster, environments),
  ...(cluster.provider === 'kind' ? [] : [httpsRedirect(environments)]),
];
