import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promote, type ReleaseContext, release, rollback, verify } from '../src/release/commands.js';
import { readPointers } from '../src/release/store.js';
import { shaOf } from './release-fixtures.js';
import {
  ANALYSIS_REPORTED,
  checkHistory,
  initialPointers,
  type Outcome,
  outcomeOf,
  type ReleaseShell,
  releaseEvent,
} from './release-model.js';
import { TempRepository } from './release-repository.js';

/**
 * The same histories as release-property.test.ts, through the commands `runway` runs (git layer, pointer files,
 * commits, promotion branches merged as their pull requests would be) on a fresh git repository each.
 */
const RUNS = 200;
/** Shorter than the pure run's histories (every event is several git processes); long chains are covered there. */
const shortHistory = fc.array(releaseEvent, { minLength: 1, maxLength: 10, size: 'max' });
const ci = { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/runway', GITHUB_RUN_ID: '7' };
let template: TempRepository;
const scratch = mkdtempSync(join(tmpdir(), 'runway-release-property-'));
let count = 0;

beforeAll(() => {
  template = new TempRepository();
  for (const pointer of Object.values(initialPointers())) template.writePointer(pointer);
  template.commitAll('bootstrap release pointers');
});
afterAll(() => {
  template.remove();
  rmSync(scratch, { recursive: true, force: true });
});

const gitShell = (root: string): ReleaseShell => {
  let now = new Date(0);
  const context: ReleaseContext = {
    cwd: root,
    // deploy/ rendering is tested on its own; here only the pointers matter.
    synth: async () => ({ changed: [] }),
    environment: ci,
    now: () => now,
  };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' });
  return {
    pointers: () => readPointers(root),
    apply: ({ event, digest, now: time, at }): Promise<Outcome> => {
      now = new Date(time);
      switch (event.kind) {
        case 'release':
          return outcomeOf(() => release(context, 'dev', digest, { gitSha: shaOf(event.hex), commit: true }));
        case 'completed':
          return outcomeOf(() =>
            verify(context, event.env, { digest, at, analysis: ANALYSIS_REPORTED[event.how] }),
          );
        case 'aborted':
          return outcomeOf(() => rollback(context, event.env, { digest, at, reason: 'Rollout aborted' }));
        case 'rollback':
          return outcomeOf(() => rollback(context, event.env, { digest, reason: 'rolled back by hand' }));
        case 'promote':
          return outcomeOf(async () => {
            const outcome = await promote(context, event.from, event.from === 'dev' ? 'staging' : 'prod', {});
            if (outcome.branch === undefined) return outcome;
            // The pull request is merged at once, and its branch deleted, as GitHub does.
            git('merge', '--quiet', '--ff-only', outcome.branch);
            git('branch', '--quiet', '--delete', outcome.branch);
            return outcome;
          });
      }
    },
  };
};

describe('the release loop under any order of events (real git repositories)', () => {
  it(`holds every property over ${RUNS} random histories`, async () => {
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(shortHistory, async (events) => {
        const root = join(scratch, String(count++));
        cpSync(template.root, root, { recursive: true });
        try {
          await checkHistory(events, gitShell(root));
          expect(execFileSync('git', ['status', '--porcelain'], { cwd: root, encoding: 'utf8' })).toBe('');
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      }),
      { numRuns: RUNS },
    );
    console.log(`${RUNS} histories on real git in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }, 900_000);
});
