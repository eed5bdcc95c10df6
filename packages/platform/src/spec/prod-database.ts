import { type Static, Type } from 'typebox';

/**
 * Prod's RDS connection, as committed in `deploy-inputs/prod.json` from the Terraform outputs of
 * infra/terraform (module links-database): nothing secret, only where the database is and which Secrets Manager
 * entry holds its credentials.
 */
export const ProdDatabaseInputs = Type.Object(
  {
    /** `terraform output address`: the Multi-AZ endpoint. */
    address: Type.String({ pattern: '^[a-z0-9.-]+$' }),
    port: Type.Integer({ minimum: 1, maximum: 65535 }),
    dbName: Type.String({ pattern: '^[a-z_][a-z0-9_]*$' }),
    /** `terraform output master_user_secret_arn`: JSON with `username` and `password`. */
    masterUserSecretArn: Type.String({ pattern: '^arn:aws:secretsmanager:' }),
    /** Private subnets the database lives in: the only place prod pods may open 5432 to. */
    subnetCidrs: Type.Array(Type.String({ pattern: '^[0-9.]+/[0-9]+$' }), { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type ProdDatabaseInputs = Static<typeof ProdDatabaseInputs>;

export const PROD_DATABASE_INPUTS_PATH = 'deploy-inputs/prod.json';
