import type { IClusterSecretStore } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ClusterSecretStore';
import type { IExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret';
import type { IPassword } from '@kubernetes-models/external-secrets/generators.external-secrets.io/v1alpha1/Password';
import type { EnvironmentSpec } from '../spec/environments.js';
import type { ProdDatabaseInputs } from '../spec/prod-database.js';
import { platform } from '../spec/repository.js';
import { service } from '../spec/service.js';
import { DATABASE_CLUSTER } from './labels.js';
import { type KubeObject, meta, typed } from './object.js';

type ExternalSecretSpec = NonNullable<IExternalSecret['spec']>;

export const SESSION_SECRET_NAME = `${service.name}-session`;
const PROD_DATABASE_SECRET = `${service.name}-database`;
const SESSION_GENERATOR = `${service.name}-session`;

/** Where DATABASE_URL comes from: CloudNativePG's own app secret, or the ExternalSecret built from RDS's. */
export const databaseUrlSecret = (env: EnvironmentSpec): { name: string; key: string } =>
  env.database.kind === 'rds'
    ? { name: PROD_DATABASE_SECRET, key: 'url' }
    : { name: `${DATABASE_CLUSTER}-app`, key: 'uri' };

/**
 * Secrets Manager names per environment, under `runway/<env>/`, the prefix the cluster's Pod Identity role may read;
 * created out of band (docs/secrets.md), never in git.
 */
export const sessionSecretKey = (env: EnvironmentSpec): string => `runway/${env.name}/session-secret`;

const sessionFromGenerator = (env: EnvironmentSpec): KubeObject[] => [
  {
    apiVersion: 'generators.external-secrets.io/v1alpha1',
    kind: 'Password',
    metadata: meta(SESSION_GENERATOR, env.namespace),
    spec: typed<NonNullable<IPassword['spec']>>({
      length: 48,
      digits: 8,
      symbols: 0,
      noUpper: false,
      allowRepeat: true,
    }),
  },
  {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: meta(SESSION_SECRET_NAME, env.namespace),
    spec: typed<ExternalSecretSpec>({
      // Generated once and kept: a new value on every refresh would log everyone out.
      refreshInterval: '0s',
      target: {
        name: SESSION_SECRET_NAME,
        creationPolicy: 'Owner',
        template: { data: { secret: '{{ .password }}' } },
      },
      dataFrom: [
        {
          sourceRef: {
            generatorRef: {
              apiVersion: 'generators.external-secrets.io/v1alpha1',
              kind: 'Password',
              name: SESSION_GENERATOR,
            },
          },
        },
      ],
    }),
  },
];

/**
 * An ExternalSecret that copies `data` from AWS Secrets Manager (the cluster's one store) into the Secret `name`.
 * Hourly refresh: a rotated value (docs/secrets.md, "Rotation") reaches the cluster within the hour.
 */
export const fromSecretsManager = (
  name: string,
  namespace: string,
  data: ExternalSecretSpec['data'],
  template?: NonNullable<ExternalSecretSpec['target']>['template'],
): KubeObject => ({
  apiVersion: 'external-secrets.io/v1',
  kind: 'ExternalSecret',
  metadata: meta(name, namespace),
  spec: typed<ExternalSecretSpec>({
    refreshInterval: '1h',
    secretStoreRef: { kind: 'ClusterSecretStore', name: platform.secretStore },
    target: { name, creationPolicy: 'Owner', ...(template === undefined ? {} : { template }) },
    data,
  }),
});

const sessionFromSecretsManager = (env: EnvironmentSpec): KubeObject =>
  fromSecretsManager(SESSION_SECRET_NAME, env.namespace, [
    { secretKey: 'secret', remoteRef: { key: sessionSecretKey(env) } },
  ]);

/**
 * Prod's DATABASE_URL, assembled in the cluster from the service's own login (runway/prod/database, written by a
 * person; rotated by switching between two logins, docs/secrets.md) and the committed endpoint. `verify-full`: pg
 * checks the certificate and the host name against Node's trust store, to which the pod adds the committed RDS CA
 * bundle (`NODE_EXTRA_CA_CERTS`, synth/workload.ts).
 */
const prodDatabase = (env: EnvironmentSpec, inputs: ProdDatabaseInputs): KubeObject =>
  fromSecretsManager(
    PROD_DATABASE_SECRET,
    env.namespace,
    [
      { secretKey: 'username', remoteRef: { key: inputs.appUserSecretArn, property: 'username' } },
      { secretKey: 'password', remoteRef: { key: inputs.appUserSecretArn, property: 'password' } },
    ],
    {
      engineVersion: 'v2',
      data: {
        url: `postgres://{{ .username | urlquery }}:{{ .password | urlquery }}@${inputs.address}:${inputs.port}/${inputs.dbName}?sslmode=verify-full`,
      },
    },
  );

export const secretReferences = (env: EnvironmentSpec, prodInputs: ProdDatabaseInputs): KubeObject[] => [
  ...(env.sessionSecret === 'generated' ? sessionFromGenerator(env) : [sessionFromSecretsManager(env)]),
  ...(env.database.kind === 'rds' ? [prodDatabase(env, prodInputs)] : []),
];

/**
 * An EKS cluster's one store: AWS Secrets Manager through EKS Pod Identity. Terraform associates an IAM role with
 * the `external-secrets` service account; with no `auth` block the provider uses the AWS SDK's default credential
 * chain, which picks that role up. An `auth.jwt.serviceAccountRef` (the IRSA path) would bypass Pod Identity and
 * fail (External Secrets v2.9.0 `providers/v1/aws/auth/auth.go` constructCredsProvider, and
 * `docs/provider/aws-access.md` "EKS Pod Identity": "No `auth` section is defined").
 */
export const clusterSecretStore = (): KubeObject => ({
  apiVersion: 'external-secrets.io/v1',
  kind: 'ClusterSecretStore',
  metadata: meta(platform.secretStore, undefined),
  spec: typed<NonNullable<IClusterSecretStore['spec']>>({
    provider: { aws: { service: 'SecretsManager', region: platform.awsRegion } },
    // Only the environments' namespaces, and monitoring for Alertmanager's Slack webhooks, may read through this store.
    conditions: [
      { namespaceSelector: { matchLabels: { 'app.kubernetes.io/part-of': service.partOf } } },
      { namespaces: [platform.monitoringNamespace] },
    ],
  }),
});
