import { isScalar, isSeq, parseAllDocuments } from 'yaml';
import { parsePointer } from '../release/parse.js';
import { imageReference, type ReleasePointer } from '../release/pointer.js';
import { LOCAL_ENV, LOCAL_ENV_DIR, RELEASES_DIR, ROOT_APP_NAME } from './settings.js';

export interface LocalizeOptions {
  /** Where Argo CD reads the snapshot, e.g. `git://172.18.0.4/runway.git`, and on which branch. */
  readonly gitUrl: string;
  readonly branch: string;
  /** The local build; dev runs it unless its release pointer in git already names a local image. */
  readonly localImage: { readonly repository: string; readonly digest: string };
  readonly gitSha: string;
  /** The source commit's time, so the same inputs always give the same local commit. */
  readonly releasedAt: string;
}

type Files = ReadonlyMap<string, string>;

const POINTER_PATH = `${RELEASES_DIR}/${LOCAL_ENV}.json`;

/** The repository the rendered Applications read, as the root Application names it. */
export const canonicalRepository = (files: Files): string | undefined => {
  for (const [path, content] of files) {
    if (!/\.ya?ml$/.test(path)) continue;
    for (const doc of parseAllDocuments(content)) {
      if (doc.get('kind') === 'Application' && doc.getIn(['metadata', 'name']) === ROOT_APP_NAME) {
        const url = doc.getIn(['spec', 'source', 'repoURL']);
        if (typeof url === 'string') return url;
      }
    }
  }
  return undefined;
};

/**
 * Points every Application that reads `canonical` at the snapshot instead, and lets the AppProjects that allowed
 * `canonical` allow the snapshot; Helm-chart sources are left alone.
 */
const repointApplications = (
  content: string,
  canonical: string,
  options: LocalizeOptions,
): string | undefined => {
  const docs = parseAllDocuments(content);
  let changed = false;
  for (const doc of docs) {
    const kind = doc.get('kind');
    if (kind === 'Application' && doc.getIn(['spec', 'source', 'repoURL']) === canonical) {
      doc.setIn(['spec', 'source', 'repoURL'], options.gitUrl);
      doc.setIn(['spec', 'source', 'targetRevision'], options.branch);
      changed = true;
    }
    const repos = doc.getIn(['spec', 'sourceRepos']);
    if (kind === 'AppProject' && isSeq(repos)) {
      const index = repos.items.findIndex((item) => isScalar(item) && item.value === canonical);
      if (index >= 0) {
        repos.set(index, options.gitUrl);
        changed = true;
      }
    }
  }
  return changed ? docs.map((doc) => doc.toString()).join('---\n') : undefined;
};

const localPointer = (pointer: ReleasePointer, options: LocalizeOptions): ReleasePointer => ({
  ...pointer,
  image: options.localImage.repository,
  digest: options.localImage.digest,
  gitSha: options.gitSha,
  releasedAt: options.releasedAt,
  releasedBy: 'runway up (local build)',
  promotedFrom: null,
  verifiedAt: null,
});

/**
 * The local platform's view of a commit, and only two substitutions (decision 17): Applications read the snapshot
 * instead of the canonical repository, and dev runs the local build (its release pointer and manifests). Every
 * kind specific is already in the kind cluster's rendered tree. Returns only the files that change; the input
 * commit is not modified.
 */
export const localizeDeploy = (files: Files, options: LocalizeOptions): Map<string, string> => {
  const changed = new Map<string, string>();
  const canonical = canonicalRepository(files);
  if (canonical) {
    for (const [path, content] of files) {
      if (!/\.ya?ml$/.test(path)) continue;
      const repointed = repointApplications(content, canonical, options);
      if (repointed !== undefined) changed.set(path, repointed);
    }
  }
  const pointerText = files.get(POINTER_PATH);
  if (pointerText === undefined) return changed;
  const pointer = parsePointer(pointerText, POINTER_PATH, LOCAL_ENV);
  if (pointer.image === options.localImage.repository) return changed;
  const released = imageReference(pointer);
  const local = imageReference({ image: options.localImage.repository, digest: options.localImage.digest });
  // The image reference first, then the digest and commit the pods report on /version (IMAGE_DIGEST, GIT_SHA).
  const swap = (content: string): string =>
    content
      .replaceAll(released, local)
      .replaceAll(pointer.digest, options.localImage.digest)
      .replaceAll(pointer.gitSha, options.gitSha);
  for (const [path, content] of files) {
    if (!path.startsWith(`${LOCAL_ENV_DIR}/`)) continue;
    const swapped = swap(content);
    if (swapped !== content) changed.set(path, swapped);
  }
  changed.set(POINTER_PATH, `${JSON.stringify(localPointer(pointer, options), null, 2)}\n`);
  return changed;
};
