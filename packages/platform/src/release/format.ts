import type { ReleasePointer } from './pointer.js';

export const shortSha = (sha: string): string => sha.slice(0, 7);
/** `sha256:` and the first 12 hex characters: enough to tell releases apart in messages. */
export const shortDigest = (digest: string): string => digest.slice(0, 'sha256:'.length + 12);
export const describeRelease = (release: Pick<ReleasePointer, 'digest' | 'gitSha'>): string =>
  `${shortDigest(release.digest)} (git ${shortSha(release.gitSha)})`;
