import type { Command, Plan } from './plan-types.js';
import { PLACEHOLDERS } from './plan-types.js';
import { ARGOCD_CM_FILE, FIELD_MANAGER } from './settings.js';

/**
 * Argo CD's controller and repo-server read `timeout.reconciliation` and its jitter at start only (Argo CD v3.3
 * `docs/operator-manual/argocd-cm.yaml`: "must be manually restarted after changing the setting"). So the whole
 * rendered argocd-cm must be applied before the upstream install starts them, and every apply of argocd-cm must
 * carry the whole file under one field manager: a server-side apply of a partial argocd-cm under the same manager
 * deletes the keys it no longer names (the jitter-only apply did, defect 7).
 */
export const startSettingsProblems = (plan: Plan): string[] => {
  const commands: Command[] = plan.steps.flatMap((step) => [...step.commands(PLACEHOLDERS)]);
  const install = commands.findIndex((command) => command.argv.some((arg) => arg.endsWith('/install.yaml')));
  const isFullCm = (command: Command): boolean =>
    command.argv.includes('apply') && command.argv.some((arg) => arg.endsWith(`/${ARGOCD_CM_FILE}`));
  const touchesCm = (command: Command): boolean =>
    isFullCm(command) || (command.stdin ?? '').includes('name: argocd-cm');
  const problems: string[] = [];
  const first = commands.findIndex(isFullCm);
  if (install < 0) problems.push('the plan never installs Argo CD');
  if (first < 0 || (install >= 0 && first > install))
    problems.push(`the rendered ${ARGOCD_CM_FILE} is not applied before Argo CD is installed`);
  for (const command of commands.filter(touchesCm)) {
    if (!isFullCm(command))
      problems.push(
        `a partial argocd-cm is applied (${command.argv.join(' ')}); apply the whole rendered file`,
      );
    else if (!command.argv.includes(`--field-manager=${FIELD_MANAGER}`))
      problems.push(`argocd-cm is applied under another field manager: ${command.argv.join(' ')}`);
  }
  return problems;
};
