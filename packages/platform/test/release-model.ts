import fc from 'fast-check';
import { exitCodeOf, isRunwayError } from '../src/errors.js';
import { parsePointer } from '../src/release/parse.js';
import type { Pointers } from '../src/release/plan.js';
import { ENVIRONMENT_NAMES, type EnvironmentName } from '../src/release/pointer.js';
import { digestOf, pointer } from './release-fixtures.js';

/**
 * A model of the release loop (decision 19): random histories of events, an oracle that knows which signals
 * are genuine, and the properties every history must keep. The same histories run against the pure plans and
 * against the CLI's commands on real git repositories.
 */

/** The bootstrap placeholder every environment starts at; `releasedBy: bootstrap`. */
export const PLACEHOLDER = '0';
const DIGESTS = ['a', 'b', 'c', 'd', 'e'] as const;
/** When the repositories are bootstrapped; the first event happens an hour later, then one a minute. */
export const BOOTSTRAP_TIME = Date.parse('2026-11-23T00:00:00.000Z');
const START = BOOTSTRAP_TIME + 3_600_000;
const STEP = 60_000;

/** A digest an event names: one of a small pool (so duplicates and races are common), or the env's current one. */
type Named = { readonly hex: string } | { readonly current: true };

export type ReleaseEvent =
  /** CI releases a new build to dev. */
  | { readonly kind: 'release'; readonly hex: string }
  /** The Rollout reports it ran a digest to completion, `lag` seconds before the signal is handled. */
  | {
      readonly kind: 'completed';
      readonly env: EnvironmentName;
      readonly named: Named;
      readonly lag: number;
      readonly how: Completion;
    }
  /** The Rollout reports it aborted a digest. */
  | { readonly kind: 'aborted'; readonly env: EnvironmentName; readonly named: Named; readonly lag: number }
  /** A person rolls back by hand, naming the digest they judge bad: an abort decided now. */
  | { readonly kind: 'rollback'; readonly env: EnvironmentName; readonly named: Named }
  /** `runway promote`, its pull request merged at once. */
  | { readonly kind: 'promote'; readonly from: 'dev' | 'staging' };

/**
 * How the Rollout got to completion. Argo Rollouts v1.8.3 reports RolloutCompleted whenever the stable ReplicaSet
 * changes: after the canary's steps and their analyses, but also on the initial deploy (no stable ReplicaSet: full
 * promotion at once, no steps, no analysis; rollout/sync.go `shouldFullPromote`) and on `promote --full` (the steps
 * skipped, a running analysis terminated). Only the first verifies.
 */
export type Completion = 'canary' | 'initial-deploy' | 'full-promotion';

/** The analysis phase each kind of completion reports in its signal: the newest AnalysisRun's, '' when none ran. */
export const ANALYSIS_REPORTED: Readonly<Record<Completion, string>> = {
  canary: 'Successful',
  'initial-deploy': '',
  'full-promotion': 'Running',
};

const env = fc.constantFrom<EnvironmentName>(...ENVIRONMENT_NAMES);
const how = fc.oneof(
  { weight: 4, arbitrary: fc.constant<Completion>('canary') },
  { weight: 1, arbitrary: fc.constantFrom<Completion>('initial-deploy', 'full-promotion') },
);
const named: fc.Arbitrary<Named> = fc.oneof(
  { weight: 5, arbitrary: fc.constant({ current: true as const }) },
  { weight: 1, arbitrary: fc.constantFrom(...DIGESTS, PLACEHOLDER).map((hex) => ({ hex })) },
);
/**
 * Seconds between the Rollout's event and its handling: mostly within the minute since the previous event,
 * sometimes up to 5 minutes, so some signals predate the release they name.
 */
const lag = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 59 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 300 }) },
);

export const releaseEvent: fc.Arbitrary<ReleaseEvent> = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(...DIGESTS).map((hex) => ({ kind: 'release' as const, hex })) },
  { weight: 7, arbitrary: fc.record({ kind: fc.constant('completed' as const), env, named, lag, how }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('aborted' as const), env, named, lag }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('rollback' as const), env, named }) },
  {
    weight: 3,
    arbitrary: fc
      .constantFrom('dev' as const, 'staging' as const)
      .map((from) => ({ kind: 'promote' as const, from })),
  },
);

/** A history: up to 40 events, lengths spread over the whole range so later stages (prod) are reached. */
export const releaseHistory = fc.array(releaseEvent, { minLength: 1, maxLength: 40, size: 'max' });

/** What one event did, as the shell under test reports it. */
export type Outcome =
  | { readonly kind: 'change' | 'unchanged'; readonly summary: string }
  | { readonly kind: 'refused'; readonly code: string; readonly message: string; readonly exitCode: number };

/** Runs a command and turns a RunwayError into a refusal; anything else is a bug and propagates. */
export const outcomeOf = async (
  action: () => Promise<{ summary: string; commit?: string }>,
): Promise<Outcome> => {
  try {
    const { summary, commit } = await action();
    return { kind: commit === undefined ? 'unchanged' : 'change', summary };
  } catch (error) {
    if (!isRunwayError(error)) throw error;
    return { kind: 'refused', code: error.code, message: error.message, exitCode: exitCodeOf(error) };
  }
};

/** One event with everything resolved: the digest it names and, for signals, when the Rollout sent it. */
export interface ResolvedEvent {
  readonly event: ReleaseEvent;
  readonly digest: string;
  readonly now: string;
  readonly at: string;
}

/** The loop under test: the pure plans, or the commands on a git repository. */
export interface ReleaseShell {
  readonly apply: (resolved: ResolvedEvent) => Promise<Outcome>;
  readonly pointers: () => Promise<Pointers>;
}

export const initialPointers = (): Pointers => {
  const bootstrap = (name: EnvironmentName) =>
    pointer(name, PLACEHOLDER, { releasedAt: new Date(BOOTSTRAP_TIME).toISOString() });
  return { dev: bootstrap('dev'), staging: bootstrap('staging'), prod: bootstrap('prod') };
};

const NEXT: Record<'dev' | 'staging', EnvironmentName> = { dev: 'staging', staging: 'prod' };

/** What the oracle knows of one environment: independent of the pointers' own stamps. */
interface Episode {
  /** The digest the environment runs since `start` (ms). */
  digest: string;
  start: number;
  /** When a genuine completion signal for this episode arrived (ms), or the episode restored a proven release. */
  verified: number | undefined;
}

const fail = (message: string, history: string[]): never => {
  throw new Error(`${message}\nhistory:\n  ${history.join('\n  ')}`);
};

/**
 * Runs a history through a shell and checks, after every event:
 * - a digest reaches staging or prod only if a signal naming it verified it after it was released in the
 *   previous environment;
 * - a rollback never targets an unverified or placeholder release, and never rejects a release that did not
 *   abort (the event is an abort naming the current release, sent after it was released);
 * - every event changes the pointers, or leaves them as they were with a message: a repeated event with exit
 *   code 0, any other refusal with its code, a one-line message and exit code 3 (or 1 when a person must act);
 * - a genuine signal is never refused, and every pointer stays valid (verified no earlier than released).
 */
export const checkHistory = async (
  events: readonly ReleaseEvent[],
  shell: ReleaseShell,
  tally?: Map<string, number>,
): Promise<void> => {
  const episodes = new Map<EnvironmentName, Episode>(
    ENVIRONMENT_NAMES.map((name) => [
      name,
      { digest: digestOf(PLACEHOLDER), start: BOOTSTRAP_TIME, verified: undefined },
    ]),
  );
  const proven = new Map<EnvironmentName, Set<string>>(ENVIRONMENT_NAMES.map((name) => [name, new Set()]));
  const rejected = new Set<string>();
  const log: string[] = [];
  let clock = START;
  for (const event of events) {
    clock += STEP;
    const before = await shell.pointers();
    const envOf = event.kind === 'release' ? 'dev' : event.kind === 'promote' ? NEXT[event.from] : event.env;
    const episode = episodes.get(envOf) as Episode;
    const digest =
      'hex' in event
        ? digestOf(event.hex)
        : 'named' in event
          ? 'hex' in event.named
            ? digestOf(event.named.hex)
            : before[envOf].digest
          : before[event.from].digest;
    const at = clock - ('lag' in event ? event.lag * 1000 : 0);
    const resolved = { event, digest, now: new Date(clock).toISOString(), at: new Date(at).toISOString() };
    const outcome = await shell.apply(resolved);
    const after = await shell.pointers();
    log.push(
      `${JSON.stringify({ ...event, digest: digest.slice(7, 8), at: resolved.at, now: resolved.now })} → ${JSON.stringify(outcome)}`,
    );

    for (const name of ENVIRONMENT_NAMES) {
      const text = JSON.stringify(after[name]);
      try {
        parsePointer(text, name, name);
      } catch (error) {
        fail(`pointer of ${name} became invalid: ${(error as Error).message}`, log);
      }
      if (name !== envOf && text !== JSON.stringify(before[name])) fail(`${event.kind} changed ${name}`, log);
    }
    const changed = JSON.stringify(after[envOf]) !== JSON.stringify(before[envOf]);
    const key = `${event.kind} ${envOf} ${outcome.kind === 'refused' ? outcome.code : outcome.kind}`;
    tally?.set(key, (tally.get(key) ?? 0) + 1);
    if ((outcome.kind === 'change') !== changed)
      fail(`outcome ${outcome.kind} but pointer changed: ${changed}`, log);
    if (outcome.kind === 'refused') {
      if (outcome.message.includes('\n') || outcome.message.length < 20)
        fail('refusal without a clear message', log);
      const expected = outcome.code === 'NO_GOOD_RELEASE' || outcome.code === 'BRANCH_EXISTS' ? 1 : 3;
      if (outcome.exitCode !== expected)
        fail(`${outcome.code} exits ${outcome.exitCode}, not ${expected}`, log);
    } else if (outcome.summary.length < 20) fail('an outcome without a clear message', log);

    const current = before[envOf].digest;
    const genuineSignal = digest === current && at >= episode.start;
    const newDigest = after[envOf].digest;
    switch (event.kind) {
      case 'release': {
        if (changed) {
          if (rejected.has(digest)) fail('a rejected digest was released again', log);
          episodes.set('dev', { digest, start: clock, verified: undefined });
        } else if (outcome.kind === 'refused' && !rejected.has(digest))
          fail('a new release was refused', log);
        break;
      }
      case 'completed': {
        // A digest rejected anywhere is never verified, wherever it still runs.
        const genuineCompletion =
          genuineSignal &&
          digest !== digestOf(PLACEHOLDER) &&
          event.how === 'canary' &&
          !rejected.has(digest);
        if (changed) {
          if (event.how !== 'canary')
            fail(`a completion without analysis (${event.how}) verified a release`, log);
          if (rejected.has(digest)) fail('a digest rejected in some environment was verified', log);
          if (!genuineCompletion)
            fail('a completion signal that is stale or predates the release verified it', log);
          if (episode.verified !== undefined) fail('verified twice in one episode', log);
          episode.verified = at;
          proven.get(envOf)?.add(digest);
        } else if (genuineCompletion && episode.verified === undefined) {
          fail('a genuine completion signal was refused', log);
        } else if (outcome.kind === 'unchanged' && episode.verified === undefined) {
          fail('an unverified release was said to be verified', log);
        }
        break;
      }
      case 'aborted':
      case 'rollback': {
        const abortedAfterCompletion = episode.verified === undefined || at >= episode.verified;
        const genuineAbort = genuineSignal && abortedAfterCompletion;
        const targets = [...(proven.get(envOf) ?? [])].filter((d) => d !== current && !rejected.has(d));
        if (changed) {
          if (!genuineAbort) fail('a release that did not abort (in this episode) was rejected', log);
          if (!(proven.get(envOf)?.has(newDigest) ?? false))
            fail('rolled back to an unverified release', log);
          if (newDigest === digestOf(PLACEHOLDER)) fail('rolled back to the bootstrap placeholder', log);
          if (rejected.has(newDigest)) fail('rolled back to a rejected release', log);
          rejected.add(current);
          episodes.set(envOf, { digest: newDigest, start: clock, verified: clock });
        } else if (genuineAbort && targets.length > 0) {
          fail(`a genuine abort was refused although ${targets.length} verified release(s) exist`, log);
        } else if (genuineAbort && outcome.kind === 'refused' && outcome.code !== 'NO_GOOD_RELEASE') {
          fail(`a genuine abort with nothing to go back to was refused as ${outcome.code}`, log);
        }
        break;
      }
      case 'promote': {
        const source = episodes.get(event.from) as Episode;
        const ready = source.verified !== undefined && !rejected.has(digest) && digest !== current;
        if (changed) {
          if (!(proven.get(event.from)?.has(newDigest) ?? false)) {
            fail(
              `${newDigest.slice(0, 13)} reached ${envOf} without a completion signal in ${event.from} after its release there`,
              log,
            );
          }
          if (source.verified === undefined)
            fail(`promoted from ${event.from} while its episode is unverified`, log);
          episodes.set(envOf, { digest: newDigest, start: clock, verified: undefined });
        } else if (ready) fail('a verified release was not promoted', log);
        else if (outcome.kind === 'unchanged' && digest !== current) fail('promotion said unneeded', log);
        else if (outcome.kind === 'refused' && digest === current && !rejected.has(digest)) {
          fail('a repeated promotion was refused', log);
        }
        break;
      }
    }
  }
};
