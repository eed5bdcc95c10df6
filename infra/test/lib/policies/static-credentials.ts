import { isRecord } from '../hcl-body.js';
import type { TerraformRepository } from '../repository.js';
import { resources } from '../terraform-dir.js';
import { type Finding, finding, type TerraformPolicy } from './policy.js';

const ID = 'terraform/no-static-credentials';
const CREDENTIAL_KEYS = new Set(['access_key', 'secret_key', 'aws_access_key_id', 'aws_secret_access_key']);
/** Resources that mint long-lived credentials: CI and people get roles instead. */
const LONG_LIVED = new Set(['aws_iam_access_key', 'aws_iam_user_login_profile']);
const ACCESS_KEY_ID = /\b(AKIA|ASIA)[0-9A-Z]{16}\b/;

const credentialKeys = (value: unknown, path: readonly string[]): string[][] => {
  if (Array.isArray(value))
    return value.flatMap((item, index) => credentialKeys(item, [...path, String(index)]));
  if (!isRecord(value)) return [];
  return Object.entries(value).flatMap(([key, child]) => [
    ...(CREDENTIAL_KEYS.has(key.toLowerCase()) ? [[...path, key]] : []),
    ...credentialKeys(child, [...path, key]),
  ]);
};

export const staticCredentialsPolicy: TerraformPolicy = {
  id: ID,
  check: (repository: TerraformRepository): Finding[] =>
    repository.dirs.flatMap((dir) => [
      ...dir.files.flatMap((file) =>
        credentialKeys(file.body, []).map((path) =>
          finding(
            ID,
            file.path,
            path.join('.'),
            'static credentials in configuration: use OIDC roles or the environment',
          ),
        ),
      ),
      ...dir.files.flatMap((file) =>
        file.text
          .split('\n')
          .flatMap((line, index) => (ACCESS_KEY_ID.test(line) ? [index + 1] : []))
          .map((line) => finding(ID, file.path, `line ${line}`, 'an AWS access key id is committed')),
      ),
      ...resources(dir)
        .filter((resource) => LONG_LIVED.has(resource.type))
        .map((resource) =>
          finding(
            ID,
            resource.file,
            `${resource.type}.${resource.name}`,
            'creates long-lived credentials: use a role',
          ),
        ),
    ]),
};
