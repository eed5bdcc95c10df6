import { platform } from '../spec/repository.js';
import { tls } from '../spec/tls.js';
import { type KubeObject, meta } from './object.js';
import { HTTP_LISTENER } from './routing.js';

/**
 * Let's Encrypt through ACME. HTTP-01 is answered by a temporary HTTPRoute that cert-manager attaches to the
 * Gateway's HTTP listener (port 80, where Let's Encrypt asks); routing.ts explains why it wins over the redirect.
 * Validated against the pinned cert-manager's own CRD schema (schemas/README.md).
 */
export const clusterIssuer = (): KubeObject => ({
  apiVersion: 'cert-manager.io/v1',
  kind: 'ClusterIssuer',
  metadata: meta(tls.clusterIssuer, undefined),
  spec: {
    acme: {
      server: tls.acme.server,
      email: tls.acme.email,
      privateKeySecretRef: { name: tls.acme.accountKeySecret },
      solvers: [
        {
          http01: {
            gatewayHTTPRoute: {
              parentRefs: [
                {
                  group: 'gateway.networking.k8s.io',
                  kind: 'Gateway',
                  name: platform.gatewayName,
                  namespace: platform.gatewayNamespace,
                  sectionName: HTTP_LISTENER,
                },
              ],
            },
          },
        },
      ],
    },
  },
});
