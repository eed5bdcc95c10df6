import { describe, expect, it } from 'vitest';
import { RunwayError } from '../src/errors.js';
import { resolveActor } from '../src/release/actor.js';
import {
  parseDigest,
  parseEnvironment,
  parseGitSha,
  parseImage,
  parsePointer,
  parseReason,
  parseSignalTime,
} from '../src/release/parse.js';
import { planPromotion, promotionBranch } from '../src/release/promote.js';
import { planRelease } from '../src/release/release.js';
import { planRollback } from '../src/release/rollback.js';
import { buildStatus, formatStatus } from '../src/release/status.js';
import { planVerify } from '../src/release/verify.js';
import { digestOf, pointer, pointers, shaOf } from './release-fixtures.js';

const now = '2026-11-23T12:00:00.000Z';
const by = 'https://github.com/acme/runway/actions/runs/1';

const refusal = (action: () => unknown): { code: string; message: string } => {
  try {
    action();
  } catch (error) {
    if (error instanceof RunwayError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a RunwayError');
};

const rejectedEntry = (hex: string, reason = 'error ratio 12% > 5%') => ({
  digest: digestOf(hex),
  gitSha: shaOf(hex),
  rejectedAt: '2026-11-20T00:00:00.000Z',
  reason,
});

describe('input parsing', () => {
  it('accepts the three environments and refuses anything else', () => {
    expect(parseEnvironment('staging')).toBe('staging');
    expect(refusal(() => parseEnvironment('qa'))).toEqual({
      code: 'UNKNOWN_ENVIRONMENT',
      message: 'unknown environment "qa": expected one of dev, staging, prod',
    });
  });

  it('accepts only full sha256 digests, full git shas and tagless image repositories', () => {
    expect(parseDigest(digestOf('a'))).toBe(digestOf('a'));
    for (const bad of [
      'sha256:abc',
      `sha256:${'A'.repeat(64)}`,
      'a'.repeat(64),
      `ghcr.io/x@${digestOf('a')}`,
    ]) {
      expect(refusal(() => parseDigest(bad)).code).toBe('DIGEST_INVALID');
    }
    expect(refusal(() => parseGitSha('abc1234')).message).toBe(
      '"abc1234" is not a full git commit sha (40 lowercase hex characters)',
    );
    expect(parseImage('ghcr.io/acme/links')).toBe('ghcr.io/acme/links');
    expect(refusal(() => parseImage('ghcr.io/acme/links:1.0')).code).toBe('IMAGE_INVALID');
  });

  it('keeps a rejection reason to one bounded line', () => {
    expect(parseReason('  analysis\n failed:\terror ratio ')).toBe('analysis failed: error ratio');
    expect(parseReason('x'.repeat(400))).toHaveLength(300);
    expect(refusal(() => parseReason(' \n ')).code).toBe('REASON_INVALID');
  });

  it('reports every schema problem of a pointer file with its path', () => {
    const text = JSON.stringify({
      ...pointer('dev', 'a'),
      digest: 'sha256:1',
      releasedAt: 'yesterday',
      extra: 1,
    });
    expect(refusal(() => parsePointer(text, 'deploy/releases/dev.json', 'dev'))).toEqual({
      code: 'POINTER_INVALID',
      message:
        'deploy/releases/dev.json is not a release pointer: / must not have additional properties (extra); /digest must match pattern "^sha256:[a-f0-9]{64}$"; /releasedAt must match format "date-time"',
    });
    expect(refusal(() => parsePointer('{', 'deploy/releases/dev.json', 'dev')).message).toMatch(
      /^deploy\/releases\/dev\.json is not valid JSON: /,
    );
    expect(
      refusal(() => parsePointer(JSON.stringify(pointer('prod', 'a')), 'deploy/releases/dev.json', 'dev'))
        .message,
    ).toBe('deploy/releases/dev.json is not a release pointer: /env is "prod", expected "dev"');
  });

  it('refuses a pointer verified before it was released (defect 5: a rebased verify of another release)', () => {
    const carried = pointer('dev', 'b', {
      releasedAt: '2026-11-23T10:05:00.000Z',
      verifiedAt: '2026-11-23T10:04:00.000Z',
    });
    expect(refusal(() => parsePointer(JSON.stringify(carried), 'deploy/releases/dev.json', 'dev'))).toEqual({
      code: 'POINTER_INVALID',
      message:
        'deploy/releases/dev.json is not a valid release pointer: verifiedAt 2026-11-23T10:04:00.000Z precedes releasedAt 2026-11-23T10:05:00.000Z, so the verification is of another release; restore the pointer from the commit that released it',
    });
    const same = { ...carried, verifiedAt: carried.releasedAt };
    expect(parsePointer(JSON.stringify(same), 'deploy/releases/dev.json', 'dev')).toEqual(same);
  });

  it('reads a signal time only with a zone, as a canonical instant', () => {
    expect(parseSignalTime('2026-11-23T10:00:00Z')).toBe('2026-11-23T10:00:00.000Z');
    expect(parseSignalTime('2026-11-23T11:00:00+01:00')).toBe('2026-11-23T10:00:00.000Z');
    for (const text of ['2026-11-23T10:00:00', '2026-11-23', 'now', '2026-13-40T10:00:00Z']) {
      expect(refusal(() => parseSignalTime(text)).code).toBe('SIGNAL_TIME_INVALID');
    }
  });
});

describe('resolveActor', () => {
  it('prefers --by, then the GitHub Actions run URL, then the git identity', () => {
    const ci = {
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'acme/runway',
      GITHUB_RUN_ID: '42',
    };
    expect(resolveActor('alice', ci, 'bob@example.com')).toBe('alice');
    expect(resolveActor(undefined, ci, 'bob@example.com')).toBe(
      'https://github.com/acme/runway/actions/runs/42',
    );
    expect(resolveActor(' ', {}, 'bob@example.com')).toBe('bob@example.com');
    expect(refusal(() => resolveActor(undefined, {}, undefined)).code).toBe('ACTOR_UNKNOWN');
  });
});

describe('planRelease', () => {
  const current = pointers(
    pointer('dev', 'a', { verifiedAt: '2026-11-02T00:00:00.000Z', rejected: [rejectedEntry('9')] }),
  );

  it('points the environment at the new digest, unverified, keeping its rejections', () => {
    const plan = planRelease(current, { env: 'dev', digest: digestOf('b'), gitSha: shaOf('c'), by, now });
    expect(plan).toEqual({
      kind: 'change',
      pointer: {
        ...current.dev,
        digest: digestOf('b'),
        gitSha: shaOf('c'),
        releasedAt: now,
        releasedBy: by,
        verifiedAt: null,
      },
      commitMessage: 'release(dev): ccccccc sha256:bbbbbbbbbbbb',
      summary: 'dev now runs sha256:bbbbbbbbbbbb (git ccccccc)',
    });
  });

  it('changes the image repository only when asked', () => {
    const plan = planRelease(current, {
      env: 'dev',
      digest: digestOf('b'),
      gitSha: shaOf('c'),
      image: 'ghcr.io/acme/other',
      by,
      now,
    });
    expect(plan.kind === 'change' && plan.pointer.image).toBe('ghcr.io/acme/other');
  });

  it('does nothing when the environment already runs the digest', () => {
    expect(planRelease(current, { env: 'dev', digest: digestOf('a'), gitSha: shaOf('a'), by, now })).toEqual({
      kind: 'unchanged',
      summary: 'dev already runs sha256:aaaaaaaaaaaa (git aaaaaaa)',
    });
  });

  it('refuses a digest rejected in any environment', () => {
    const rejectedInProd = pointers(
      pointer('dev', 'a'),
      undefined,
      pointer('prod', '0', { rejected: [rejectedEntry('b', 'p95 too high')] }),
    );
    expect(
      refusal(() =>
        planRelease(rejectedInProd, { env: 'dev', digest: digestOf('b'), gitSha: shaOf('b'), by, now }),
      ),
    ).toEqual({
      code: 'RELEASE_REJECTED',
      message:
        'sha256:bbbbbbbbbbbb (git bbbbbbb) was rejected in prod (p95 too high); it can never be released again',
    });
  });
});

describe('planVerify', () => {
  const completed = '2026-11-23T11:00:00.000Z';

  it('refuses a completion whose analysis did not succeed or never ran (initial deploy, promote --full)', () => {
    const unverified = pointers(pointer('dev', 'a', { releasedBy: 'ci' }));
    for (const analysis of [undefined, '', 'Running', 'Failed', 'Inconclusive', 'successful']) {
      expect(
        refusal(() => planVerify(unverified, { env: 'dev', digest: digestOf('a'), at: completed, analysis })),
      ).toEqual({
        code: 'VERIFY_NO_ANALYSIS',
        message: `the completion signal for sha256:aaaaaaaaaaaa in dev reports analysis "${analysis ?? ''}", not "Successful": a completion without a successful canary analysis (initial deploy, promote --full) verifies nothing`,
      });
    }
  });

  it('stamps the current release verified at the time its Rollout completed', () => {
    const plan = planVerify(pointers(pointer('dev', 'a', { releasedBy: 'ci' })), {
      env: 'dev',
      digest: digestOf('a'),
      at: completed,
      analysis: 'Successful',
    });
    expect(plan).toMatchObject({
      kind: 'change',
      pointer: { digest: digestOf('a'), verifiedAt: completed },
      commitMessage: 'verify(dev): aaaaaaa sha256:aaaaaaaaaaaa',
    });
  });

  it('refuses a release rejected in another environment (it can arrive through a promotion PR opened before)', () => {
    const arrived = pointers(
      pointer('dev', 'c', { releasedBy: 'ci', rejected: [rejectedEntry('b', 'p95 too high')] }),
      pointer('staging', 'b', { releasedBy: 'ci' }),
    );
    expect(
      refusal(() =>
        planVerify(arrived, { env: 'staging', digest: digestOf('b'), at: completed, analysis: 'Successful' }),
      ),
    ).toEqual({
      code: 'VERIFY_REJECTED',
      message:
        'staging runs sha256:bbbbbbbbbbbb (git bbbbbbb), which was rejected in dev (p95 too high): it is never verified; roll staging back',
    });
  });

  it('is idempotent: a repeated completion signal changes nothing', () => {
    const verified = pointers(
      pointer('dev', 'a', { releasedBy: 'ci', verifiedAt: '2026-11-22T00:00:00.000Z' }),
    );
    expect(
      planVerify(verified, { env: 'dev', digest: digestOf('a'), at: completed, analysis: 'Successful' }),
    ).toEqual({
      kind: 'unchanged',
      summary:
        'dev release sha256:aaaaaaaaaaaa (git aaaaaaa) was already verified at 2026-11-22T00:00:00.000Z: nothing to do',
    });
  });

  it('refuses a signal for a release the environment no longer runs, or sent before it was released', () => {
    const failure = refusal(() =>
      planVerify(pointers(pointer('dev', 'b')), {
        env: 'dev',
        digest: digestOf('a'),
        at: completed,
        analysis: 'Successful',
      }),
    );
    expect(failure).toEqual({
      code: 'VERIFY_STALE',
      message:
        'dev runs sha256:bbbbbbbbbbbb (git bbbbbbb), not sha256:aaaaaaaaaaaa: the completion signal is for another release, so nothing is verified',
    });
    const early = pointers(pointer('dev', 'a', { releasedBy: 'ci', releasedAt: '2026-11-23T11:00:01.000Z' }));
    expect(
      refusal(() =>
        planVerify(early, { env: 'dev', digest: digestOf('a'), at: completed, analysis: 'Successful' }),
      ).code,
    ).toBe('VERIFY_BEFORE_RELEASE');
    // The bootstrap placeholder names no image, so no Rollout can have completed it.
    expect(
      refusal(() =>
        planVerify(pointers(pointer('dev', '0')), {
          env: 'dev',
          digest: digestOf('0'),
          at: completed,
          analysis: 'Successful',
        }),
      ),
    ).toEqual({
      code: 'VERIFY_PLACEHOLDER',
      message:
        'dev runs the bootstrap placeholder sha256:000000000000, which names no image: nothing is verified',
    });
  });
});

describe('planPromotion', () => {
  const verifiedDev = pointer('dev', 'a', { verifiedAt: '2026-11-22T00:00:00.000Z' });

  it('copies the verified release to the next environment, unverified there, recording where it came from', () => {
    const staging = pointer('staging', '0', { rejected: [rejectedEntry('9')] });
    const plan = planPromotion(pointers(verifiedDev, staging), { from: 'dev', to: 'staging', by, now });
    expect(plan).toEqual({
      kind: 'change',
      pointer: {
        ...staging,
        digest: digestOf('a'),
        gitSha: shaOf('a'),
        releasedAt: now,
        releasedBy: by,
        promotedFrom: 'dev',
        verifiedAt: null,
      },
      commitMessage: 'promote(staging): aaaaaaa sha256:aaaaaaaaaaaa from dev',
      summary: 'staging now runs sha256:aaaaaaaaaaaa (git aaaaaaa), promoted from dev',
    });
    expect(plan.kind === 'change' && promotionBranch(plan)).toBe('promote/staging-aaaaaaa');
  });

  it('refuses to skip an environment, to go backwards, or to promote from prod', () => {
    const all = pointers(verifiedDev);
    expect(refusal(() => planPromotion(all, { from: 'dev', to: 'prod', by, now }))).toEqual({
      code: 'PROMOTION_ORDER',
      message:
        'cannot promote dev to prod: releases go dev → staging → prod one step at a time, so dev promotes to staging',
    });
    expect(refusal(() => planPromotion(all, { from: 'staging', to: 'dev', by, now })).code).toBe(
      'PROMOTION_ORDER',
    );
    expect(refusal(() => planPromotion(all, { from: 'prod', to: 'staging', by, now })).message).toBe(
      'cannot promote from prod: it is the last environment (dev → staging → prod)',
    );
  });

  it('refuses a release rejected in the source environment', () => {
    const dev = pointer('dev', 'a', { verifiedAt: now, rejected: [rejectedEntry('a', 'aborted in dev')] });
    expect(refusal(() => planPromotion(pointers(dev), { from: 'dev', to: 'staging', by, now }))).toEqual({
      code: 'PROMOTION_REJECTED',
      message:
        'cannot promote sha256:aaaaaaaaaaaa (git aaaaaaa) from dev: it was rejected in dev (aborted in dev)',
    });
  });

  it('refuses a release rejected in the target environment', () => {
    const staging = pointer('staging', '0', { rejected: [rejectedEntry('a', 'p95 1.2 s')] });
    expect(
      refusal(() => planPromotion(pointers(verifiedDev, staging), { from: 'dev', to: 'staging', by, now }))
        .message,
    ).toBe(
      'cannot promote sha256:aaaaaaaaaaaa (git aaaaaaa) from dev: it was rejected in staging (p95 1.2 s)',
    );
  });

  it('does nothing, without failing, for a release the target already runs (a repeated signal)', () => {
    const staging = pointer('staging', 'a');
    expect(planPromotion(pointers(verifiedDev, staging), { from: 'dev', to: 'staging', by, now })).toEqual({
      kind: 'unchanged',
      summary: 'staging already runs sha256:aaaaaaaaaaaa (git aaaaaaa): nothing to promote',
    });
  });

  it('refuses a release not verified in the source environment', () => {
    expect(
      refusal(() => planPromotion(pointers(pointer('dev', 'a')), { from: 'dev', to: 'staging', by, now })),
    ).toEqual({
      code: 'PROMOTION_UNVERIFIED',
      message:
        'cannot promote sha256:aaaaaaaaaaaa (git aaaaaaa) from dev: it is not verified there yet (its canary analysis has not passed)',
    });
  });
});

describe('planRollback', () => {
  const reason = 'canary analysis failed';
  /** A release CI made and its Rollout completed: a version a rollback may return to. */
  const passed = (env: 'dev' | 'staging', hex: string) =>
    pointer(env, hex, { releasedBy: 'ci', verifiedAt: '2026-11-10T00:00:00.000Z' });
  const aborted = { reason, by, now, at: now };

  it('restores the newest earlier verified release and rejects the bad one', () => {
    const good = passed('dev', 'a');
    const bad = pointer('dev', 'b', { releasedBy: 'ci', releasedAt: '2026-11-12T00:00:00.000Z' });
    const plan = planRollback(pointers(bad), [bad, good, pointer('dev', '0')], {
      env: 'dev',
      digest: digestOf('b'),
      ...aborted,
    });
    expect(plan).toEqual({
      kind: 'change',
      pointer: {
        ...good,
        releasedAt: now,
        releasedBy: by,
        verifiedAt: now,
        rejected: [{ digest: digestOf('b'), gitSha: shaOf('b'), rejectedAt: now, reason }],
      },
      commitMessage: 'rollback(dev): aaaaaaa sha256:aaaaaaaaaaaa, rejected sha256:bbbbbbbbbbbb',
      summary:
        'dev rolled back to sha256:aaaaaaaaaaaa (git aaaaaaa); sha256:bbbbbbbbbbbb (git bbbbbbb) is rejected (canary analysis failed)',
    });
  });

  it('skips the bad digest, releases rejected anywhere, unverified releases and bootstrap placeholders', () => {
    const bad = pointer('staging', 'c', { releasedBy: 'ci', rejected: [rejectedEntry('b')] });
    const prod = pointer('prod', '0', { rejected: [rejectedEntry('d')] });
    const history = [
      bad,
      passed('staging', 'c'),
      passed('staging', 'b'),
      passed('staging', 'd'),
      pointer('staging', 'e', { releasedBy: 'ci' }),
      pointer('staging', 'f', { verifiedAt: '2026-11-10T00:00:00.000Z' }),
      passed('staging', 'a'),
    ];
    const plan = planRollback(pointers(pointer('dev', 'a'), bad, prod), history, {
      env: 'staging',
      digest: digestOf('c'),
      ...aborted,
    });
    expect(plan.kind === 'change' && plan.pointer.digest).toBe(digestOf('a'));
    expect(plan.kind === 'change' && plan.pointer.rejected.map((entry) => entry.digest)).toEqual([
      digestOf('b'),
      digestOf('c'),
    ]);
  });

  it('says so, as an error, when git history has no earlier verified release', () => {
    const bad = pointer('dev', 'b', { releasedBy: 'ci' });
    const history = [bad, pointer('dev', 'a', { releasedBy: 'ci' }), pointer('dev', '0')];
    expect(
      refusal(() => planRollback(pointers(bad), history, { env: 'dev', digest: digestOf('b'), ...aborted })),
    ).toEqual({
      code: 'NO_GOOD_RELEASE',
      message:
        'cannot roll back dev: none of the 3 versions of its pointer in git history is an earlier verified release that is neither sha256:bbbbbbbbbbbb (git bbbbbbb), a bootstrap placeholder, nor rejected',
    });
  });

  it('refuses an abort signal for another release, from before the release, or from before its completion', () => {
    const current = pointer('dev', 'c', { releasedBy: 'ci', releasedAt: '2026-11-20T00:00:00.000Z' });
    const history = [current, passed('dev', 'a')];
    expect(
      refusal(() =>
        planRollback(pointers(current), history, { env: 'dev', digest: digestOf('b'), ...aborted }),
      ),
    ).toEqual({
      code: 'ROLLBACK_STALE',
      message:
        'dev runs sha256:cccccccccccc (git ccccccc), not sha256:bbbbbbbbbbbb: the abort signal is for another release, so nothing is rolled back',
    });
    const early = { env: 'dev' as const, digest: digestOf('c'), ...aborted, at: '2026-11-19T23:59:59.000Z' };
    expect(refusal(() => planRollback(pointers(current), history, early)).code).toBe(
      'ROLLBACK_BEFORE_RELEASE',
    );
    const completed = { ...current, verifiedAt: '2026-11-21T00:00:00.000Z' };
    const beforeCompletion = { ...early, at: '2026-11-20T12:00:00.000Z' };
    expect(refusal(() => planRollback(pointers(completed), history, beforeCompletion)).code).toBe(
      'ROLLBACK_BEFORE_VERIFY',
    );
  });
});

describe('status', () => {
  const all = pointers(
    pointer('dev', 'b', { verifiedAt: now, rejected: [rejectedEntry('9')] }),
    pointer('staging', 'a', { promotedFrom: 'dev' }),
  );

  it('says what git has per environment and that the cluster is not reachable', () => {
    const report = buildStatus(all, { reachable: false, reason: 'connection refused' });
    expect(report.environments.map((env) => [env.env, env.digest, env.rejectedCount, env.cluster])).toEqual([
      ['dev', digestOf('b'), 1, undefined],
      ['staging', digestOf('a'), 0, undefined],
      ['prod', digestOf('0'), 0, undefined],
    ]);
    const text = formatStatus(report);
    expect(text).toContain(
      `dev\n  git       sha256:bbbbbbbbbbbb (git bbbbbbb) released 2026-11-01T00:00:00.000Z by bootstrap\n  state     verified ${now}, 1 rejected`,
    );
    expect(text).toContain('promoted from dev');
    expect(text.endsWith('cluster: not reachable (connection refused)\n')).toBe(true);
  });

  it('compares what each Rollout runs with what git says', () => {
    const running = { found: true as const, phase: 'Healthy', message: '' };
    const report = buildStatus(all, {
      reachable: true,
      rollouts: {
        dev: { ...running, image: `ghcr.io/acme/links@${digestOf('b')}` },
        staging: {
          ...running,
          image: `ghcr.io/acme/links@${digestOf('9')}`,
          phase: 'Degraded',
          message: 'RolloutAborted',
        },
        prod: { found: false, message: 'no Rollout links readable: NotFound' },
      },
    });
    expect(report.environments.map((env) => env.cluster?.found && env.cluster.matchesGit)).toEqual([
      true,
      false,
      false,
    ]);
    const text = formatStatus(report);
    expect(text).toContain('  cluster   Rollout Healthy, runs sha256:bbbbbbbbbbbb\n');
    expect(text).toContain(
      '  cluster   Rollout Degraded: RolloutAborted, runs sha256:999999999999 (differs from git',
    );
    expect(text).toContain('  cluster   no Rollout links readable: NotFound');
    expect(text.endsWith('cluster: reachable\n')).toBe(true);
  });
});
