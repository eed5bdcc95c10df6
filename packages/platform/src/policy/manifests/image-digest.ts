import { containersOf, podTemplates } from './pod-templates.js';
import { finding, type ManifestRule } from './rule.js';

const ID = 'pod/image-digest';
const BY_DIGEST = /@sha256:[a-f0-9]{64}$/;

/** A tag can be moved; a digest cannot. What was reviewed and scanned is exactly what runs. */
export const imageDigestRule: ManifestRule = {
  id: ID,
  description: 'images are referenced by digest, never by a mutable tag',
  check: (objects) =>
    objects.flatMap(podTemplates).flatMap((template) =>
      containersOf(template)
        .filter(({ container }) => !BY_DIGEST.test(container.image ?? ''))
        .map(({ container, path }) =>
          finding(
            ID,
            template.object,
            `${path}.image`,
            `${container.image ?? '(none)'} is not pinned by @sha256 digest`,
          ),
        ),
    ),
};
