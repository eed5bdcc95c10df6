import type { ClusterSpec } from '../spec/clusters.js';
import {
  PROD_DATABASE_CA_PATH,
  PROD_DATABASE_INPUTS_PATH,
  parseDatabaseCa,
  pinnedCaProblem,
} from '../spec/prod-database.js';
import { type TlsSpec, tls } from '../spec/tls.js';
import { hostedEnvironments, type SynthInputs } from './render.js';

/** The account the committed examples use (`000000000000`), which no real AWS account has. */
const PLACEHOLDER_ACCOUNT = ':000000000000:';
const PLACEHOLDER_VPC = /^vpc-0{13}/;
/** The ACME contact this repository ships with (packages/platform/src/spec/tls.ts). */
const PLACEHOLDER_ACME_EMAIL = 'platform@runway.dev';

const caProblems = (pem: string | undefined, region: string, now: Date): string[] => {
  if (pem === undefined)
    return [`${PROD_DATABASE_CA_PATH} is missing: prod's pods cannot verify the database's certificate`];
  const certificates = parseDatabaseCa(pem);
  const problem =
    typeof certificates === 'string' ? certificates : pinnedCaProblem(certificates, region, now);
  return problem === undefined ? [] : [`${PROD_DATABASE_CA_PATH} ${problem}`];
};

/**
 * What still stands between a cluster's tree and a working cluster: inputs that are the repository's placeholders
 * or missing (docs/aws.md steps 8 and 10). The repository renders its trees with them, so synth itself passes;
 * `runway synth --check --for-cluster <name>` refuses them before anyone applies `deploy/clusters/<name>`. Pure.
 */
export const clusterReadinessProblems = (
  cluster: ClusterSpec,
  inputs: Pick<SynthInputs, 'prodDatabase' | 'prodDatabaseCa'>,
  tlsSpec: TlsSpec = tls,
  now: Date = new Date(),
): string[] => {
  if (cluster.provider !== 'eks') return [];
  const clustersFile = 'packages/platform/src/spec/clusters.ts';
  const problems = [
    ...(PLACEHOLDER_VPC.test(cluster.aws.vpcId)
      ? [`${clustersFile}: ${cluster.name}'s vpcId is a placeholder`]
      : []),
    ...(cluster.aws.volumesKmsKeyArn.includes(PLACEHOLDER_ACCOUNT)
      ? [`${clustersFile}: ${cluster.name}'s volumesKmsKeyArn is a placeholder`]
      : []),
    ...(tlsSpec.acme.email === PLACEHOLDER_ACME_EMAIL
      ? [`packages/platform/src/spec/tls.ts: the ACME e-mail is the placeholder ${PLACEHOLDER_ACME_EMAIL}`]
      : []),
  ];
  if (!hostedEnvironments(cluster).some((env) => env.database.kind === 'rds')) return problems;
  const database = inputs.prodDatabase;
  return [
    ...problems,
    ...(database.address.includes('placeholder')
      ? [`${PROD_DATABASE_INPUTS_PATH}: address ${database.address} is a placeholder`]
      : []),
    ...(database.appUserSecretArn.includes(PLACEHOLDER_ACCOUNT)
      ? [`${PROD_DATABASE_INPUTS_PATH}: appUserSecretArn is in the placeholder account 000000000000`]
      : []),
    ...caProblems(inputs.prodDatabaseCa, cluster.aws.region, now),
  ];
};
