import { X509Certificate } from 'node:crypto';
import { type Static, Type } from 'typebox';

/**
 * Prod's RDS connection, as committed in `deploy-inputs/prod.json` from the Terraform outputs of
 * infra/terraform/envs/prod: nothing secret, only where the database is and which Secrets Manager entry holds the
 * service's own login (never the RDS master user, which only bootstraps that login: docs/aws.md).
 */
export const ProdDatabaseInputs = Type.Object(
  {
    /** `terraform output address`: the Multi-AZ endpoint. */
    address: Type.String({ pattern: '^[a-z0-9.-]+$' }),
    port: Type.Integer({ minimum: 1, maximum: 65535 }),
    dbName: Type.String({ pattern: '^[a-z_][a-z0-9_]*$' }),
    /** `terraform output app_database_secret_arn` (runway/prod/database): JSON with `username` and `password`. */
    appUserSecretArn: Type.String({
      pattern: '^arn:aws:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:runway/prod/',
    }),
    /** Private subnets the database lives in: the only place prod pods may open 5432 to. */
    subnetCidrs: Type.Array(Type.String({ pattern: '^[0-9.]+/[0-9]+$' }), { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type ProdDatabaseInputs = Static<typeof ProdDatabaseInputs>;

export const PROD_DATABASE_INPUTS_PATH = 'deploy-inputs/prod.json';

/**
 * The CA certificates prod's pods verify RDS with: the region's bundle from AWS's trust store, committed by a person
 * (docs/aws.md step 8). RDS's certificate authorities are AWS's own, in no public trust store, and pg 8.23 treats
 * `sslmode=require` as `verify-full` (pg-connection-string 2.14 `parse`): without this bundle every connection fails.
 */
export const PROD_DATABASE_CA_PATH = 'deploy-inputs/rds-ca.pem';

/**
 * Where the pods find the bundle: a read-only ConfigMap volume, named by `NODE_EXTRA_CA_CERTS` in the same pod
 * template. Not by `sslrootcert` in DATABASE_URL: the URL's Secret syncs with the environment's base, before the
 * pod template that mounts the file, and every pod started in between (a scale-up, a restart) would fail each
 * connection on a file it does not have.
 */
export const DATABASE_CA_MOUNT = { dir: '/etc/runway/database-ca', file: 'ca.pem' } as const;

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export interface CaCertificate {
  readonly subject: string;
  readonly validTo: Date;
}

/**
 * The certificates of a bundle of RDS certificate authorities, or why `pem` is not one: each block must parse, be
 * a CA and be issued to "Amazon RDS …". Expiry is not judged here: AWS's own bundles carry expired authorities
 * beside the current ones (TLS ignores them), and synth must not start failing for every environment the day one
 * expires; `pinnedCaProblem` checks the one that matters. Pure.
 */
export const parseDatabaseCa = (pem: string): CaCertificate[] | string => {
  const blocks = pem.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) return 'holds no PEM certificate';
  const certificates: CaCertificate[] = [];
  for (const [index, block] of blocks.entries()) {
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(block);
    } catch {
      return `certificate ${index + 1} does not parse`;
    }
    const subject = certificate.subject.replace(/\n/g, ', ');
    if (!certificate.ca) return `certificate ${index + 1} (${subject}) is not a certificate authority`;
    if (!/Amazon RDS/.test(certificate.subject))
      return `certificate ${index + 1} (${subject}) is not an RDS CA`;
    certificates.push({ subject, validTo: new Date(certificate.validTo) });
  }
  return certificates;
};

/** The authority the instance is pinned to (`ca_cert_identifier = "rds-ca-rsa2048-g1"`), by its subject's CN. */
export const pinnedCaCommonName = (region: string): string => `Amazon RDS ${region} Root CA RSA2048 G1`;

/** Why the bundle cannot verify the pinned authority's certificates at `now`; undefined when it can. Pure. */
export const pinnedCaProblem = (
  certificates: readonly CaCertificate[],
  region: string,
  now: Date,
): string | undefined => {
  const name = pinnedCaCommonName(region);
  const pinned = certificates.filter((certificate) => certificate.subject.includes(`CN=${name}`));
  if (pinned.length === 0) return `holds no "${name}", the authority the instance is pinned to`;
  if (pinned.every((certificate) => certificate.validTo <= now))
    return `"${name}" expired on ${pinned[0]?.validTo.toISOString().slice(0, 10)}`;
  return undefined;
};
