import { allInstances, resolve } from '../module-tree.js';
import type { TerraformRepository } from '../repository.js';
import { resources } from '../terraform-dir.js';
import { type Finding, finding, type TerraformPolicy } from './policy.js';

const ID = 'terraform/secret-recovery-window';

/**
 * A Secrets Manager entry deleted with a recovery window keeps its name for that many days (DeleteSecret
 * RecoveryWindowInDays, default 30), so `terraform apply` of a rebuilt cluster fails to create it again until then.
 * Nonprod is torn down and rebuilt, so its entries go at once (0); prod's stay restorable for at least a week.
 */
const acceptable = (cluster: string, days: unknown): boolean =>
  cluster === 'prod' ? typeof days === 'number' && days >= 7 : days === 0;

export const secretRecoveryWindowPolicy: TerraformPolicy = {
  id: ID,
  check: (repository: TerraformRepository): Finding[] =>
    repository.roots
      .filter((root) => root.root.startsWith('envs/'))
      .flatMap((root) => {
        const cluster = root.root.split('/')[1] ?? '';
        return allInstances(root).flatMap((instance) =>
          resources(instance.config)
            .filter((resource) => resource.type === 'aws_secretsmanager_secret')
            .flatMap((resource) => {
              const resolved = resolve(instance, resource.args.recovery_window_in_days);
              const days = resolved.known ? resolved.value : undefined;
              if (acceptable(cluster, days)) return [];
              const got = resolved.known ? JSON.stringify(days ?? null) : `unprovable ${resolved.expression}`;
              const wanted = cluster === 'prod' ? '7 to 30' : '0';
              return [
                finding(
                  ID,
                  resource.file,
                  `${instance.address}/aws_secretsmanager_secret.${resource.name}.recovery_window_in_days`,
                  `must be ${wanted} in ${cluster} (got ${got})`,
                ),
              ];
            }),
        );
      }),
};
