import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fsSource } from './lib/fs-source.js';
import { loadRepository } from './lib/repository.js';
import { resources, type TerraformDir, terraformBlocks } from './lib/terraform-dir.js';

const run = promisify(execFile);
const TERRAFORM_ROOT = fileURLToPath(new URL('../terraform/', import.meta.url));

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
