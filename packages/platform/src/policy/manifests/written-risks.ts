import type { KubeObject } from '../../synth/object.js';
import type { Finding } from '../finding.js';
import { containersOf, podTemplates } from './pod-templates.js';
import { finding, type ManifestRule } from './rule.js';

const EXPOSING_SERVICE_TYPES = new Set(['NodePort', 'LoadBalancer']);
const SAFE_ADDED_CAPABILITIES = new Set(['NET_BIND_SERVICE']);

/**
 * For a Helm template, whose values fill in what the security rules ask to be present (a securityContext from
 * `.Values`, an image tag), only what is written in it can be judged: a privilege, a host namespace, an exposing
 * Service or a cluster-admin binding spelled out in the template itself. Absence proves nothing there. Pure.
 */
export const writtenRisksRule: ManifestRule = {
  id: 'template/written-risk',
  description:
    'a Helm template spells out a privilege, a host namespace, an exposing Service or cluster-admin',
  check: (objects: readonly KubeObject[]): Finding[] =>
    objects.flatMap((object): Finding[] => {
      const risk = (path: string, what: string) =>
        finding('template/written-risk', object, path, `the template itself grants ${what}`);
      const spec = object.spec as { type?: unknown } | undefined;
      const roleRef = (object as { roleRef?: { name?: unknown } }).roleRef;
      return [
        ...(object.kind === 'Service' && EXPOSING_SERVICE_TYPES.has(String(spec?.type))
          ? [risk('spec.type', `a ${spec?.type} Service, reachable from outside the cluster`)]
          : []),
        ...(/RoleBinding$/.test(object.kind) && roleRef?.name === 'cluster-admin'
          ? [risk('roleRef', 'cluster-admin')]
          : []),
        ...podTemplates(object).flatMap((template) => [
          ...(['hostNetwork', 'hostPID', 'hostIPC'] as const)
            .filter((field) => template.spec[field] === true)
            .map((field) => risk(`${template.path}.${field}`, `the node's ${field.slice(4)} namespace`)),
          ...(template.spec.volumes ?? [])
            .filter((volume) => volume.hostPath !== undefined)
            .map((volume) =>
              risk(`${template.path}.volumes`, `the node's filesystem (hostPath ${volume.name})`),
            ),
          ...(template.spec.securityContext?.runAsUser === 0
            ? [risk(`${template.path}.securityContext`, 'root (runAsUser 0)')]
            : []),
          ...containersOf(template, true).flatMap(({ container, path }) => {
            const context = container.securityContext ?? {};
            const added = ((context.capabilities as { add?: unknown[] } | undefined)?.add ?? []).map(String);
            return [
              ...(context.privileged === true
                ? [risk(`${path}.securityContext`, 'a privileged container')]
                : []),
              ...(context.allowPrivilegeEscalation === true
                ? [risk(`${path}.securityContext`, 'privilege escalation')]
                : []),
              ...(context.runAsUser === 0 ? [risk(`${path}.securityContext`, 'root (runAsUser 0)')] : []),
              ...(context.procMount === 'Unmasked'
                ? [risk(`${path}.securityContext`, 'an unmasked /proc')]
                : []),
              ...added
                .filter((capability) => !SAFE_ADDED_CAPABILITIES.has(capability))
                .map((capability) =>
                  risk(`${path}.securityContext.capabilities`, `the ${capability} capability`),
                ),
            ];
          }),
        ]),
      ];
    }),
};
