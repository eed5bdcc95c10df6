import { finding, type ManifestRule } from './rule.js';

const BINDINGS = new Set(['RoleBinding', 'ClusterRoleBinding']);
/** Roles that give everything: Kubernetes' built-in superuser roles and any role that grants `*` on `*`. */
const SUPERUSER_ROLES = new Set(['cluster-admin', 'admin', 'system:masters']);

type Rule = { verbs?: string[]; resources?: string[]; apiGroups?: string[] };

/**
 * No binding to cluster-admin (or the namespace `admin` role), and no Role/ClusterRole that grants every verb on
 * every resource: either hands whoever holds the subject the whole cluster. Add-ons get their own RBAC from their
 * pinned charts; what this repository adds must be least-privilege.
 */
export const rbacRule: ManifestRule = {
  id: 'rbac/no-superuser',
  description: 'no binding to cluster-admin and no wildcard role',
  check: (objects) =>
    objects.flatMap((object) => {
      if (BINDINGS.has(object.kind)) {
        const roleRef = object.roleRef as { name?: string } | undefined;
        const subjects = (object.subjects ?? []) as { kind?: string; name?: string }[];
        const groups = subjects.filter(
          (subject) => subject.kind === 'Group' && subject.name === 'system:masters',
        );
        if (SUPERUSER_ROLES.has(roleRef?.name ?? '') || groups.length > 0) {
          return [
            finding(
              'rbac/no-superuser',
              object,
              'roleRef.name',
              `binds ${roleRef?.name}: its subjects get the whole ${object.kind === 'RoleBinding' ? 'namespace' : 'cluster'}; bind a role with only the verbs and resources they need`,
            ),
          ];
        }
        return [];
      }
      if (object.kind !== 'Role' && object.kind !== 'ClusterRole') return [];
      return ((object.rules ?? []) as Rule[]).flatMap((rule, index) =>
        rule.verbs?.includes('*') && rule.resources?.includes('*')
          ? [
              finding(
                'rbac/no-superuser',
                object,
                `rules[${index}]`,
                'grants every verb on every resource: that is cluster-admin by another name; list the verbs and resources needed',
              ),
            ]
          : [],
      );
    }),
};
