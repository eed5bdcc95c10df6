/** One process to run: argv (never a shell string), optional stdin, and its own time limit. */
export interface Command {
  readonly argv: readonly string[];
  readonly stdin?: string;
  /** Shown instead of stdin in plans and logs when stdin holds a secret. */
  readonly stdinLabel?: string;
  readonly timeoutSeconds: number;
  /** Extra environment variables (the rest is inherited). */
  readonly env?: Readonly<Record<string, string>>;
  /** Names the value this command's stdout yields for later steps. */
  readonly capture?: CaptureKey;
}

export type CaptureKey = 'imageDigest' | 'gitServerIp' | 'argocdPassword' | 'grafanaPassword';

/** Values learned while running; later steps read them (a dry run shows placeholders). */
export type Captured = Readonly<Partial<Record<CaptureKey, string>>>;

export interface Step {
  readonly id: string;
  readonly title: string;
  /** Why the step is (not) needed on this machine, e.g. "reusing the healthy cluster". */
  readonly note?: string;
  readonly commands: (captured: Captured) => readonly Command[];
  /** What to look at when the step fails or times out. */
  readonly hint: string;
  /**
   * The step's own time limit when its commands share one (waits on things that progress together): each command
   * is stopped at the step's remaining time. Without it, the step's bound is the sum of its commands' limits.
   */
  readonly boundSeconds?: number;
}

export interface Plan {
  readonly steps: readonly Step[];
  /** Things that do not stop `runway up` but that the user should know. */
  readonly warnings: readonly string[];
}

export const PLACEHOLDERS: Required<Record<CaptureKey, string>> = {
  imageDigest: 'sha256:<digest printed by docker push>',
  gitServerIp: '<git server IP on the kind network>',
  argocdPassword: '<from argocd-initial-admin-secret>',
  grafanaPassword: '<from the Grafana secret>',
};
