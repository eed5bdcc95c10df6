import { finding, type ManifestRule } from './rule.js';

/**
 * Secrets never live in git (decision 9): a `Secret` with `data` or `stringData` in the repository is a leaked
 * credential (base64 is an encoding, not encryption). Secrets come from External Secrets or are generated in the
 * cluster; an empty Secret (a placeholder another controller fills) is fine.
 */
export const plaintextSecretRule: ManifestRule = {
  id: 'secret/not-in-git',
  description: 'no Secret with data in the repository',
  check: (objects) =>
    objects.flatMap((object) => {
      if (object.kind !== 'Secret') return [];
      return (['data', 'stringData'] as const)
        .filter((field) => {
          const value = object[field];
          return typeof value === 'object' && value !== null && Object.keys(value).length > 0;
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
