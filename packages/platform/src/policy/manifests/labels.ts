import { REQUIRED_OBJECT_LABELS, REQUIRED_POD_LABELS } from '../../spec/service.js';
import { podTemplates } from './pod-templates.js';
import { finding, type ManifestRule } from './rule.js';

const ID = 'meta/required-labels';

/** Ownership labels on every object; name, part-of and env on pods (what dashboards, alerts and selectors use). */
export const requiredLabelsRule: ManifestRule = {
  id: ID,
  description: 'objects and pod templates carry the required labels',
  check: (objects) => [
    ...objects.flatMap((object) =>
      REQUIRED_OBJECT_LABELS.filter((label) => !object.metadata.labels?.[label]).map((label) =>
        finding(ID, object, `metadata.labels["${label}"]`, 'required label missing'),
      ),
    ),
    ...objects
      .flatMap(podTemplates)
      .flatMap((template) =>
        REQUIRED_POD_LABELS.filter((label) => !template.labels[label]).map((label) =>
          finding(
            ID,
            template.object,
            `${template.path.replace(/\.spec$/, '')}.metadata.labels["${label}"]`,
            'required pod label missing',
          ),
        ),
      ),
  ],
};
