import { finding, type ManifestRule } from './rule.js';

/**
 * Traffic enters only through the Gateway (decision 7): its controller creates the one load balancer. A
 * NodePort or LoadBalancer Service anywhere else opens a port on every node or a public address around the
 * Gateway's TLS, routing and NetworkPolicies. A Service that selects the Gateway's own Envoy proxy pods (kind's
 * NodePort, synth/kind.ts) is the Gateway's entry, not a way around it: Envoy Gateway v1.7.1 labels its proxies
 * `app.kubernetes.io/managed-by: envoy-gateway`, `app.kubernetes.io/component: proxy` (internal/infrastructure/
 * kubernetes/proxy/resource.go).
 */
const selectsGatewayProxies = (selector: Readonly<Record<string, string>> | undefined): boolean =>
  selector?.['app.kubernetes.io/managed-by'] === 'envoy-gateway' &&
  selector['app.kubernetes.io/component'] === 'proxy';

export const serviceExposureRule: ManifestRule = {
  id: 'service/no-node-port-or-load-balancer',
  description: 'Services are ClusterIP: traffic enters through the Gateway only',
  check: (objects) =>
    objects.flatMap((object) => {
      const spec = object.spec as
        | { type?: string; externalIPs?: unknown[]; selector?: Record<string, string> }
        | undefined;
      if (object.kind !== 'Service') return [];
      const findings = [];
      if (
        (spec?.type === 'NodePort' || spec?.type === 'LoadBalancer') &&
        !selectsGatewayProxies(spec.selector)
      ) {
        findings.push(
          finding(
            'service/no-node-port-or-load-balancer',
            object,
            'spec.type',
            `a ${spec.type} Service bypasses the Gateway (TLS, routes, policies); use ClusterIP and an HTTPRoute`,
          ),
        );
      }
      if ((spec?.externalIPs ?? []).length > 0) {
        findings.push(
          finding(
            'service/no-node-port-or-load-balancer',
            object,
            'spec.externalIPs',
            'externalIPs expose the Service on node addresses around the Gateway (and can intercept traffic, CVE-2020-8554)',
          ),
        );
      }
      return findings;
    }),
};
