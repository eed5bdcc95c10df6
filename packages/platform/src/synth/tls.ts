import type { ClusterSpec } from '../spec/clusters.js';
import { platform } from '../spec/repository.js';
import { tls } from '../spec/tls.js';
import { type KubeObject, meta } from './object.js';
import { HTTP_LISTENER } from './routing.js';

/** Let's Encrypt, proving control of each hostname with HTTP-01 on the Gateway's HTTP listener. */
const acmeIssuer = {
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
};

/**
 * Let's Encrypt through ACME. HTTP-01 is answered by a temporary HTTPRoute that cert-manager attaches to the
 * Gateway's HTTP listener (port 80, where Let's Encrypt asks); routing.ts explains why it wins over the redirect.
 * Validated against the pinned cert-manager's own CRD schema (schemas/README.md).
 */
export const clusterIssuer = (cluster: ClusterSpec): KubeObject => ({
  apiVersion: 'cert-manager.io/v1',
  kind: 'ClusterIssuer',
  metadata: meta(tls.clusterIssuer, undefined),
  // kind cannot be reached by Let's Encrypt: the same issuer name issues self-signed certificates through the same
  // Gateway API path, so the Gateway's annotation resolves on every cluster.
  spec: cluster.provider === 'kind' ? { selfSigned: {} } : acmeIssuer,
});
