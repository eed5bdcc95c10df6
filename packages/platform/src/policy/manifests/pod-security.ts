import type { Finding } from '../finding.js';
import { containersOf, podTemplates } from './pod-templates.js';
import { finding, type ManifestRule } from './rule.js';

const ID = 'pod/restricted';
/** Volume types the "restricted" Pod Security Standard allows. */
const ALLOWED_VOLUMES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);
const ALLOWED_SECCOMP = new Set(['RuntimeDefault', 'Localhost']);

/**
 * The "restricted" Pod Security Standard (which the namespaces also enforce at admission): non-root, no privilege
 * escalation, ALL capabilities dropped and none added, a seccomp profile, no host namespaces, no hostPath, the
 * default procMount, no HostProcess or unconfined AppArmor; for every container, ephemeral ones included (the standard covers them too).
 */
export const podSecurityRule: ManifestRule = {
  id: ID,
  description: 'pods meet the restricted Pod Security Standard',
  check: (objects) =>
    objects.flatMap(podTemplates).flatMap((template): Finding[] => {
      const { object, spec, path } = template;
      const found: Finding[] = [];
      for (const host of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
        if (spec[host] === true) found.push(finding(ID, object, `${path}.${host}`, `${host} is not allowed`));
      }
      (spec.volumes ?? []).forEach((volume, index) => {
        const type = Object.keys(volume).find((key) => key !== 'name');
        if (type && !ALLOWED_VOLUMES.has(type)) {
          found.push(
            finding(ID, object, `${path}.volumes[${index}].${type}`, `volume type ${type} is not allowed`),
          );
        }
      });
      const podContext = spec.securityContext ?? {};
      for (const [key, value] of Object.entries(template.annotations)) {
        if (key.startsWith('container.apparmor.security.beta.kubernetes.io/') && value === 'unconfined') {
          found.push(
            finding(
              ID,
              object,
              `metadata.annotations.${key}`,
              'an unconfined AppArmor profile is not allowed',
            ),
          );
        }
      }
      const podSeccomp = (podContext.seccompProfile as { type?: string } | undefined)?.type;
      for (const { container, path: containerPath } of containersOf(template, true)) {
        const context = container.securityContext ?? {};
        const at = `${containerPath}.securityContext`;
        if (context.privileged === true)
          found.push(finding(ID, object, `${at}.privileged`, 'privileged containers are not allowed'));
        if (context.procMount !== undefined && context.procMount !== 'Default') {
          found.push(
            finding(
              ID,
              object,
              `${at}.procMount`,
              'must be Default: an Unmasked /proc exposes the host kernel',
            ),
          );
        }
        const windows = (context.windowsOptions ?? podContext.windowsOptions) as
          | { hostProcess?: boolean }
          | undefined;
        if (windows?.hostProcess === true)
          found.push(
            finding(
              ID,
              object,
              `${at}.windowsOptions.hostProcess`,
              'Windows HostProcess containers are not allowed',
            ),
          );
        const appArmor = (context.appArmorProfile ?? podContext.appArmorProfile) as
          | { type?: string }
          | undefined;
        if (appArmor?.type === 'Unconfined')
          found.push(
            finding(
              ID,
              object,
              `${at}.appArmorProfile.type`,
              'an Unconfined AppArmor profile is not allowed',
            ),
          );
        if (context.allowPrivilegeEscalation !== false) {
          found.push(finding(ID, object, `${at}.allowPrivilegeEscalation`, 'must be false'));
        }
        if (context.runAsNonRoot !== true && podContext.runAsNonRoot !== true) {
          found.push(finding(ID, object, `${at}.runAsNonRoot`, 'must be true (on the container or the pod)'));
        }
        const runAsUser = context.runAsUser ?? podContext.runAsUser;
        if (runAsUser === 0) found.push(finding(ID, object, `${at}.runAsUser`, 'must not be 0 (root)'));
        const capabilities = (context.capabilities ?? {}) as { drop?: string[]; add?: string[] };
        if (!capabilities.drop?.includes('ALL'))
          found.push(finding(ID, object, `${at}.capabilities.drop`, 'must drop ALL'));
        if ((capabilities.add ?? []).length > 0) {
          found.push(
            finding(
              ID,
              object,
              `${at}.capabilities.add`,
              `adds ${capabilities.add?.join(', ')}; no capability may be added`,
            ),
          );
        }
        const seccomp = (context.seccompProfile as { type?: string } | undefined)?.type ?? podSeccomp;
        if (!seccomp || !ALLOWED_SECCOMP.has(seccomp)) {
          found.push(finding(ID, object, `${at}.seccompProfile.type`, 'must be RuntimeDefault or Localhost'));
        }
        (container.ports ?? []).forEach((port, index) => {
          if ((port as { hostPort?: number }).hostPort !== undefined) {
            found.push(
              finding(ID, object, `${containerPath}.ports[${index}].hostPort`, 'hostPort is not allowed'),
            );
          }
        });
      }
      return found;
    }),
};

/** Decision 14 beyond the standard: a read-only root filesystem. */
export const readOnlyRootRule: ManifestRule = {
  id: 'pod/read-only-root',
  description: 'containers run with a read-only root filesystem',
  check: (objects) =>
    objects.flatMap(podTemplates).flatMap((template) =>
      containersOf(template)
        .filter(({ container }) => container.securityContext?.readOnlyRootFilesystem !== true)
        .map(({ path }) =>
          finding(
            'pod/read-only-root',
            template.object,
            `${path}.securityContext.readOnlyRootFilesystem`,
            'must be true',
          ),
        ),
    ),
};
