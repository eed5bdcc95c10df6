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

/** Where the pods find the bundle: a read-only ConfigMap volume; the connection URL names the file. */
export const DATABASE_CA_MOUNT = { dir: '/etc/runway/database-ca', file: 'ca.pem' } as const;

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Why `pem` is not a bundle of RDS certificate authorities valid at `now`; undefined when it is. Pure: each block
 * must parse, be a CA, be issued to "Amazon RDS …" and not have expired.
 */
export const databaseCaProblem = (pem: string, now: Date): string | undefined => {
  const blocks = pem.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) return 'holds no PEM certificate';
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
    if (new Date(certificate.validTo) <= now)
      return `certificate ${index + 1} (${subject}) expired on ${certificate.validTo}`;
  }
  return undefined;
};
