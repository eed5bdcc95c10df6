import type { Queryable } from '../db/database.js';
import { currentSchemaVersion, schemaProblem } from '../db/migrations.js';

export type Readiness = { ready: true } | { ready: false; reason: string };

/**
 * Ready when not draining, the database answers, and its schema is at least what this build needs. The reason
 * is public (`/readyz` is on the public port), so a driver's error, which names internal hosts and ports, goes
 * to `onUnreachable` (the log) and never into the reason. Each check also records whether the database answered,
 * for `links_database_up`: the kubelet keeps probing a pod that is not ready, so the gauge stays current while the
 * pod is out of its Service and gets no other traffic.
 */
export const createReadiness = (
  db: Queryable,
  requiredVersion: number,
  onUnreachable: (error: unknown) => void = () => undefined,
) => {
  let draining = false;
  // Unknown until the first check; it counts as down, and the first probe settles it within seconds.
  let databaseAnswered = false;
  return {
    startDraining(): void {
      draining = true;
    },
    /** Whether the database answered the last check that asked it. */
    databaseUp(): boolean {
      return databaseAnswered;
    },
    async check(): Promise<Readiness> {
      if (draining) return { ready: false, reason: 'draining' };
      let version: number;
      try {
        version = await currentSchemaVersion(db);
        databaseAnswered = true;
      } catch (error) {
        databaseAnswered = false;
        onUnreachable(error);
        return { ready: false, reason: 'database unreachable' };
      }
      const problem = schemaProblem(version, requiredVersion);
      return problem === undefined ? { ready: true } : { ready: false, reason: problem };
    },
  };
};

export type ReadinessProbe = ReturnType<typeof createReadiness>;
