import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkDockerfile } from '../src/policy/dockerfile.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const BUILD = `node:24-bookworm-slim@${DIGEST}`;
const RUNTIME = `gcr.io/distroless/nodejs24-debian12:nonroot@${DIGEST}`;

const GOOD = `# syntax=docker/dockerfile:1
ARG NODE_IMAGE=${BUILD}
FROM \${NODE_IMAGE} AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3
RUN npm ci
FROM build AS pruned
RUN npm prune --omit=dev
FROM ${RUNTIME} AS runtime
COPY --from=pruned /app /app
ENV NODE_ENV=production
USER 10001:10001
CMD ["/app/main.js"]
`;

const policies = (content: string) =>
  checkDockerfile('Dockerfile', content).map((finding) => [finding.policy, finding.severity, finding.path]);

describe('Dockerfile policy', () => {
  it('passes a multi-stage, digest-pinned, non-root Dockerfile (stage references and ARG bases resolved)', () => {
    expect(checkDockerfile('Dockerfile', GOOD)).toEqual([]);
  });

  // The bad-input corpus: each Dockerfile breaks one rule, and the rule blocks it.
  it.each([
    ['runs as root', GOOD.replace('USER 10001:10001', 'USER root'), 'dockerfile/non-root-user', 'line 11'],
    ['runs as uid 0', GOOD.replace('USER 10001:10001', 'USER 0'), 'dockerfile/non-root-user', 'line 11'],
    ['names its user', GOOD.replace('USER 10001:10001', 'USER node'), 'dockerfile/non-root-user', 'line 11'],
    ['has no USER', GOOD.replace('USER 10001:10001\n', ''), 'dockerfile/non-root-user', 'line 8'],
    [
      'uses a tag',
      GOOD.replace(`${RUNTIME} AS`, 'gcr.io/distroless/nodejs24-debian12:nonroot AS'),
      'dockerfile/base-pinned-by-digest',
      'line 8',
    ],
    [
      'uses an ARG tag',
      GOOD.replace(`NODE_IMAGE=${BUILD}`, 'NODE_IMAGE=node:24'),
      'dockerfile/base-pinned-by-digest',
      'line 3',
    ],
    ['is single-stage', `FROM ${BUILD}\nUSER 10001\nCMD ["node"]\n`, 'dockerfile/multi-stage', 'line 1'],
    [
      'puts a secret in ENV',
      GOOD.replace('ENV NODE_ENV=production', 'ENV API_TOKEN=abc'),
      'dockerfile/no-secrets-in-arg-env',
      'line 10',
    ],
    [
      'takes a secret ARG',
      GOOD.replace('COPY --from', 'ARG DB_PASSWORD\nCOPY --from'),
      'dockerfile/no-secrets-in-arg-env',
      'line 9',
    ],
    [
      'installs packages in the final stage',
      GOOD.replace('ENV NODE_ENV', 'RUN apk add curl\nENV NODE_ENV'),
      'dockerfile/no-package-manager-in-final-stage',
      'line 10',
    ],
  ])('blocks a Dockerfile that %s', (_name, content, policy, path) => {
    expect(policies(content)).toContainEqual([policy, 'error', path]);
  });

  it('warns when the final base image ships a package manager', () => {
    expect(policies(GOOD.replace(`${RUNTIME} AS runtime`, `${BUILD} AS runtime`))).toEqual([
      ['dockerfile/no-package-manager-in-final-stage', 'warning', 'line 8'],
    ]);
  });

  it('reports a file with no FROM', () => {
    expect(policies('RUN echo hi\n')).toEqual([['dockerfile/syntax', 'error', 'line 1']]);
  });

  it("passes the service's Dockerfile", () => {
    const path = fileURLToPath(new URL('../../../apps/links/Dockerfile', import.meta.url));
    expect(checkDockerfile('apps/links/Dockerfile', readFileSync(path, 'utf8'))).toEqual([]);
  });
});
