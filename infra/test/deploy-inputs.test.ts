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
    'db_master_secret_arn',
    'app_database_secret_arn',
    'argocd_bootstrap_path',
  ])('outputs %s', async (name) => {
    expect(await outputValue(name)).toEqual(expect.any(String));
  });
});

/** Terraform's cidrsubnet for IPv4: the `netnum`-th block of `prefix + newbits` bits inside `base`. */
const cidrsubnet = (base: string, newbits: number, netnum: number): string => {
  const [address = '', prefix = ''] = base.split('/');
  const start = address.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0);
  const length = Number(prefix) + newbits;
  const network = start + netnum * 2 ** (32 - length);
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256);
  return `${octets.join('.')}/${length}`;
};

describe('deploy-inputs/prod.json', () => {
  it("names prod's database subnets (env-settings: cidrsubnet(vpc_cidr, 8, 52 + i))", async () => {
    const variables = await parseTerraformFile(
      'envs/prod/variables.tf',
      await readFile(fileURLToPath(new URL('../terraform/envs/prod/variables.tf', import.meta.url)), 'utf8'),
    );
    const vpcCidr = variables.body.variable?.vpc_cidr?.[0]?.default;
    expect(vpcCidr).toBe('10.30.0.0/16');
    const inputs = JSON.parse(
      await readFile(fileURLToPath(new URL('../../deploy-inputs/prod.json', import.meta.url)), 'utf8'),
    ) as { subnetCidrs: unknown };
    expect(inputs.subnetCidrs).toEqual([52, 53, 54].map((netnum) => cidrsubnet(String(vpcCidr), 8, netnum)));
  });
});
