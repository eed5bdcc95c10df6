import { containersOf, podTemplates } from './pod-templates.js';
import { finding, type ManifestRule } from './rule.js';

const ID = 'pod/resources';

/** Requests make scheduling and the HPA's CPU percentage meaningful; limits bound a runaway pod. */
export const resourcesRule: ManifestRule = {
  id: ID,
  description: 'every container sets cpu and memory requests and limits',
  check: (objects) =>
    objects
      .flatMap(podTemplates)
      .flatMap((template) =>
        containersOf(template).flatMap(({ container, path }) =>
          (['requests', 'limits'] as const).flatMap((kind) =>
            (['cpu', 'memory'] as const)
              .filter((resource) => container.resources?.[kind]?.[resource] === undefined)
              .map((resource) =>
                finding(
                  ID,
                  template.object,
                  `${path}.resources.${kind}.${resource}`,
                  `no ${resource} ${kind.slice(0, -1)}`,
                ),
              ),
          ),
        ),
      ),
};
