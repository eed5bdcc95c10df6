import type { INetworkPolicySpec } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicySpec';
import type { EnvironmentSpec } from '../spec/environments.js';
import type { ProdDatabaseInputs } from '../spec/prod-database.js';
import { platform } from '../spec/repository.js';
import { service } from '../spec/service.js';
import { appSelector, DATABASE_CLUSTER, serverSelector } from './labels.js';
import { type KubeObject, meta } from './object.js';

const POSTGRES_PORT = 5432;
const namespaceNamed = (name: string) => ({
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } },
});
const databasePods = { podSelector: { matchLabels: { 'cnpg.io/cluster': DATABASE_CLUSTER } } };

const policy = (env: EnvironmentSpec, name: string, spec: INetworkPolicySpec): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: meta(name, env.namespace),
  spec,
});

const dnsEgress = {
  to: [{ ...namespaceNamed('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
  ports: [
    { protocol: 'UDP' as const, port: 53 },
    { protocol: 'TCP' as const, port: 53 },
  ],
};

/** The app's database: the CNPG pods of this namespace only, or prod's RDS subnets. Never another env's. */
const databaseEgress = (env: EnvironmentSpec, prodInputs: ProdDatabaseInputs) => ({
  to:
    env.database.kind === 'rds'
      ? prodInputs.subnetCidrs.map((cidr) => ({ ipBlock: { cidr } }))
      : [databasePods],
  ports: [{ protocol: 'TCP' as const, port: POSTGRES_PORT }],
});

const appPolicies = (env: EnvironmentSpec, prodInputs: ProdDatabaseInputs): KubeObject[] => [
  policy(env, 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
  policy(env, 'allow-dns', { podSelector: {}, policyTypes: ['Egress'], egress: [dnsEgress] }),
  policy(env, `${service.name}-from-gateway`, {
    podSelector: { matchLabels: serverSelector() },
    policyTypes: ['Ingress'],
    ingress: [
      {
        from: [namespaceNamed(platform.gatewayProxyNamespace)],
        ports: [{ protocol: 'TCP' as const, port: service.ports.http }],
      },
    ],
  }),
  policy(env, `${service.name}-from-prometheus`, {
    podSelector: { matchLabels: serverSelector() },
    policyTypes: ['Ingress'],
    ingress: [
      {
        from: [namespaceNamed(platform.monitoringNamespace)],
        ports: [{ protocol: 'TCP' as const, port: service.ports.ops }],
      },
    ],
  }),
  policy(env, `${service.name}-to-database`, {
    podSelector: { matchLabels: appSelector() },
    policyTypes: ['Egress'],
    egress: [databaseEgress(env, prodInputs)],
  }),
];

/** CNPG instances: the app and migrations in, the operator in, replication among themselves, the API server out. */
const databasePolicies = (env: EnvironmentSpec): KubeObject[] =>
  env.database.kind !== 'cloudnative-pg'
    ? []
    : [
        policy(env, `${DATABASE_CLUSTER}-ingress`, {
          ...databasePods,
          policyTypes: ['Ingress'],
          ingress: [
            {
              from: [{ podSelector: { matchLabels: appSelector() } }, databasePods],
              ports: [{ protocol: 'TCP' as const, port: POSTGRES_PORT }],
            },
            {
              from: [namespaceNamed('cnpg-system')],
              ports: [
                { protocol: 'TCP' as const, port: 8000 },
                { protocol: 'TCP' as const, port: POSTGRES_PORT },
              ],
            },
          ],
        }),
        policy(env, `${DATABASE_CLUSTER}-egress`, {
          ...databasePods,
          policyTypes: ['Egress'],
          egress: [
            {
              to: [databasePods],
              ports: [
                { protocol: 'TCP' as const, port: POSTGRES_PORT },
                { protocol: 'TCP' as const, port: 8000 },
              ],
            },
            // The instance manager watches its Cluster through the Kubernetes API.
            {
              ports: [
                { protocol: 'TCP' as const, port: 443 },
                { protocol: 'TCP' as const, port: 6443 },
              ],
            },
          ],
        }),
      ];

export const networkPolicies = (env: EnvironmentSpec, prodInputs: ProdDatabaseInputs): KubeObject[] => [
  ...appPolicies(env, prodInputs),
  ...databasePolicies(env),
];
