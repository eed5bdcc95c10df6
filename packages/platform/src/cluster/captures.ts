import { RunwayError } from '../errors.js';
import type { CaptureKey } from './plan-types.js';

const DIGEST = /digest: (sha256:[a-f0-9]{64})/;

/** Turns a command's stdout into the value a later step needs. */
export const parseCapture = (key: CaptureKey, stdout: string): string => {
  if (key === 'imageDigest') {
    const digest = DIGEST.exec(stdout)?.[1];
    if (!digest)
      throw new RunwayError(
        'DIGEST_MISSING',
        'docker push printed no image digest, so the build cannot be deployed by digest.',
      );
    return digest;
  }
  if (key === 'gitServerIp') {
    const ip = stdout.trim();
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) {
      throw new RunwayError(
        'GIT_SERVER_ADDRESS',
        `the git server container has no IPv4 address on the kind network (got "${ip}").`,
      );
    }
    return ip;
  }
  const decoded = Buffer.from(stdout.trim(), 'base64').toString('utf8');
  if (!decoded)
    throw new RunwayError(
      'SECRET_EMPTY',
      `the ${key === 'argocdPassword' ? 'Argo CD' : 'Grafana'} password secret is empty.`,
    );
  return decoded;
};
