import { readFileSync } from 'node:fs';

/** The version of @runway/platform, from its package.json: the one place it is written. */
export const platformVersion = (): string => {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version?: unknown;
  };
  return typeof manifest.version === 'string' ? manifest.version : 'unknown';
};
