import { finding, type ManifestRule } from './rule.js';

/**
 * Secrets never live in git (decision 9): a `Secret` with `data` or `stringData` in the repository is a leaked
 * credential (base64 is an encoding, not encryption). Secrets come from External Secrets or are generated in the
 * cluster; an empty Secret (a placeholder another controller fills) is fine, and so is a placeholder whose every
 * value is the bare address of a loopback port (kind's Slack webhooks, synth/alertmanager.ts): no user, password,
 * path or query, so nothing in it can be a credential.
 */
const isLoopbackPlaceholder = (value: unknown): boolean => {
  if (typeof value !== 'string' || !URL.canParse(value)) return false;
  const url = new URL(value);
  const loopback =
    /^127\.\d+\.\d+\.\d+$/.test(url.hostname) || url.hostname === '[::1]' || url.hostname === 'localhost';
  return (
    loopback &&
    url.username === '' &&
    url.password === '' &&
    url.pathname === '/' &&
    url.search === '' &&
    url.hash === ''
  );
};

export const plaintextSecretRule: ManifestRule = {
  id: 'secret/not-in-git',
  description: 'no Secret with data in the repository',
  check: (objects) =>
    objects.flatMap((object) => {
      if (object.kind !== 'Secret') return [];
      return (['data', 'stringData'] as const)
        .filter((field) => {
          const value = object[field];
          if (typeof value !== 'object' || value === null || Object.keys(value).length === 0) return false;
          const values = Object.values(value);
          return field === 'data' || !values.every(isLoopbackPlaceholder);
        })
        .map((field) =>
          finding(
            'secret/not-in-git',
            object,
            field,
            'a Secret with its values is committed (base64 is not encryption): remove it, rotate the values, and deliver them with an ExternalSecret',
          ),
        );
    }),
};
