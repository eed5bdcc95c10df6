import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { environments } from '../../packages/platform/src/spec/environments.js';
import { sessionSecretKey } from '../../packages/platform/src/synth/secrets.js';
import { fsSource } from './lib/fs-source.js';
import { loadRepository } from './lib/repository.js';
import { resources, type TerraformDir, terraformBlocks } from './lib/terraform-dir.js';

const run = promisify(execFile);
const TERRAFORM_ROOT = fileURLToPath(new URL('../terraform/', import.meta.url));

/** What env-settings evaluates to for one cluster: the secret names Terraform creates and the prefixes ESO reads. */
interface ClusterSecrets {
  readonly names: readonly string[];
  readonly prefixes: readonly string[];
}

/**
 * The session secrets Terraform creates must be exactly those of the environments the spec reads from Secrets
 * Manager (a missing one leaves a rollout waiting; one for dev would never be read), each inside a prefix its cluster's
 * External Secrets role may read.
 */
const secretProblems = (clusters: Readonly<Record<string, ClusterSecrets>>): string[] => {
  const created = Object.values(clusters).flatMap((cluster) => cluster.names);
  const wanted = environments
    .filter((env) => env.sessionSecret === 'aws-secrets-manager')
    .map(sessionSecretKey);
  return [
    ...wanted.filter((name) => !created.includes(name)).map((name) => `${name} is read but not created`),
    ...created
      .filter((name) => name.endsWith('/session-secret') && !wanted.includes(name))
      .map((name) => `${name} is created but no environment reads it`),
    ...Object.entries(clusters).flatMap(([cluster, { names, prefixes }]) =>
      names
        .filter((name) => !prefixes.some((prefix) => name.startsWith(`runway/${prefix}/`)))
        .map((name) => `${cluster}: ${name} is outside what its External Secrets role reads`),
    ),
  ];
};

const terraformInstalled = await run('terraform', ['version'])
  .then(() => true)
  .catch(() => false);

/** No provider and no resource: Terraform can init, validate and test it here without downloading anything. */
const isProviderFree = (dir: TerraformDir): boolean =>
  resources(dir).length === 0 &&
  resources(dir, 'data').length === 0 &&
  terraformBlocks(dir).every((block) => block.args.required_providers === undefined);

describe.skipIf(!terraformInstalled)('terraform CLI (skipped: terraform is not on PATH)', () => {
  let work: string;
  let env: NodeJS.ProcessEnv;

  const terraform = (cwd: string, ...args: string[]) =>
    run('terraform', args, { cwd, env, timeout: 120_000 });

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'runway-infra-'));
    // An empty CLI config: no credentials helper, no plugin cache, no warning about a missing ~/.terraformrc.
    await writeFile(join(work, 'terraformrc'), '');
    env = {
      ...process.env,
      TF_CLI_CONFIG_FILE: join(work, 'terraformrc'),
      TF_IN_AUTOMATION: '1',
      NO_COLOR: '1',
    };
  });

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('every file is formatted (terraform fmt -check -recursive)', async () => {
    await expect(terraform(TERRAFORM_ROOT, 'fmt', '-check', '-recursive', '-diff')).resolves.toBeDefined();
  });

  it('fmt -check fails on a file that is not formatted, so the check above can fail', async () => {
    const dir = join(work, 'unformatted');
    await cp(join(TERRAFORM_ROOT, 'modules/env-settings'), dir, { recursive: true });
    await writeFile(join(dir, 'extra.tf'), 'locals {\nunaligned   =   1\n}\n');
    await expect(terraform(dir, 'fmt', '-check', '-recursive')).rejects.toMatchObject({
      stdout: 'extra.tf\n',
    });
  });

  /**
   * Terraform 1.11's S3 backend validates kms_key_id itself (internal/backend/remote-state/s3, validateKMSKey: a key
   * ID, an `alias/...` name or a key ARN). With no AWS credentials on this machine, `init` passing that validation
   * stops at the credential lookup instead; a value it refuses stops at "Invalid KMS Key ID".
   */
  const initBackend = async (versionsTf: string) => {
    const dir = await mkdtemp(join(work, 'backend-'));
    await writeFile(join(dir, 'versions.tf'), versionsTf);
    const noAws = Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('AWS_')));
    const result = await run(
      'terraform',
      ['init', '-input=false', '-no-color', '-backend-config=bucket=runway-state-example'],
      {
        cwd: dir,
        timeout: 120_000,
        env: {
          ...noAws,
          AWS_EC2_METADATA_DISABLED: 'true',
          AWS_CONFIG_FILE: join(dir, 'none'),
          AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
        },
      },
    ).catch((error: { stderr?: string }) => ({ stderr: error.stderr ?? '' }));
    return result.stderr.replace(/\s+/g, ' ');
  };

  it("accepts the backend's kms_key_id (the bootstrap key's alias), and the check can fail", async () => {
    const versions = await readFile(join(TERRAFORM_ROOT, 'envs/prod/versions.tf'), 'utf8');
    expect(versions).toContain('kms_key_id = "alias/runway-terraform-state"');
    const accepted = await initBackend(versions);
    expect(accepted).toContain('No valid credential sources found');
    expect(accepted).not.toContain('Invalid KMS Key ID');
    const refused = await initBackend(
      versions.replace('alias/runway-terraform-state', 'runway-terraform-state'),
    );
    expect(refused).toContain('Invalid KMS Key ID');
  });

  /** Evaluates env-settings for each cluster with `terraform console` (provider-free, so it runs here). */
  const evaluateSettings = async (mainTf?: string): Promise<Record<string, ClusterSecrets>> => {
    const dir = await mkdtemp(join(work, 'settings-'));
    await cp(join(TERRAFORM_ROOT, 'modules/env-settings'), dir, { recursive: true });
    if (mainTf !== undefined) await writeFile(join(dir, 'main.tf'), mainTf);
    await terraform(dir, 'init', '-backend=false', '-input=false');
    const result: Record<string, ClusterSecrets> = {};
    for (const cluster of ['nonprod', 'prod']) {
      const evaluation = run(
        'terraform',
        [
          'console',
          `-var=cluster=${cluster}`,
          '-var=vpc_cidr=10.20.0.0/16',
          '-var=availability_zones=["a","b","c"]',
        ],
        { cwd: dir, env, timeout: 60_000 },
      );
      evaluation.child.stdin?.end(
        'jsonencode({ names = keys(local.secrets), prefixes = local.secret_prefixes })\n',
      );
      result[cluster] = JSON.parse(JSON.parse((await evaluation).stdout.trim())) as ClusterSecrets;
    }
    return result;
  };

  it("creates exactly the Secrets Manager entries the spec's environments read, inside their cluster's prefixes", async () => {
    const clusters = await evaluateSettings();
    expect(clusters.nonprod?.names).toEqual([
      'runway/nonprod/alertmanager-slack',
      'runway/staging/session-secret',
    ]);
    expect(secretProblems(clusters)).toEqual([]);
    const main = await readFile(join(TERRAFORM_ROOT, 'modules/env-settings/main.tf'), 'utf8');
    const withDev = main.replace('if env != "dev"', '');
    expect(withDev).not.toBe(main);
    expect(secretProblems(await evaluateSettings(withDev))).toEqual([
      'runway/dev/session-secret is created but no environment reads it',
    ]);
  });

  it('validates and tests every provider-free module', async () => {
    const repository = await loadRepository(fsSource(TERRAFORM_ROOT));
    const pure = repository.dirs.filter(isProviderFree).map((dir) => dir.dir);
    expect(pure).toEqual(['modules/env-settings', 'modules/github-oidc-trust']);
    for (const module of pure) {
      const dir = join(work, module);
      await cp(join(TERRAFORM_ROOT, module), dir, { recursive: true });
      await terraform(dir, 'init', '-backend=false', '-input=false');
      const validated = await terraform(dir, 'validate', '-no-color');
      expect(validated.stdout).toContain('The configuration is valid');
      const tested = await terraform(dir, 'test', '-no-color');
      expect(tested.stdout).toMatch(/Success! \d+ passed, 0 failed/);
    }
  });
});
