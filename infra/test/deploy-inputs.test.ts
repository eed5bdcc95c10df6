import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ProdDatabaseInputs } from '../../packages/platform/src/spec/prod-database.js';
import { isRecord, parseTerraformFile } from './lib/hcl-body.js';

const PROD_OUTPUTS = fileURLToPath(new URL('../terraform/envs/prod/outputs.tf', import.meta.url));

const outputValue = async (name: string): Promise<unknown> => {
  const file = await parseTerraformFile('envs/prod/outputs.tf', await readFile(PROD_OUTPUTS, 'utf8'));
  return file.body.output?.[name]?.[0]?.value;
};

describe('the prod outputs runway reads', () => {
  it('deploy_inputs has exactly the keys of the deploy-inputs/prod.json schema', async () => {
    const value = await outputValue('deploy_inputs');
    expect(isRecord(value)).toBe(true);
    expect(Object.keys(isRecord(value) ? value : {}).sort()).toEqual(
      Object.keys(ProdDatabaseInputs.properties).sort(),
    );
  });

  it.each([
    'region',
    'cluster_name',
    'cluster_endpoint',
    'rds_endpoint',
    'rds_port',
    'db_name',
    'db_secret_arn',
    'session_secret_arn',
  ])('outputs %s', async (name) => {
    expect(await outputValue(name)).toEqual(expect.any(String));
  });
});
