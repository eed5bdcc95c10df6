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
