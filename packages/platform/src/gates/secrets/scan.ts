import { extname } from 'node:path';
import { lintSource } from '@secretlint/core';
import { creator as recommendedPreset } from '@secretlint/secretlint-rule-preset-recommend';
import {
  fingerprintOf,
  isPlaceholderCredential,
  matchSecretRules,
  previewOf,
  type SecretMatch,
} from './rules.js';

type SecretlintConfig = Parameters<typeof lintSource>[0]['options']['config'];

/** secretlint's recommended preset; AWS access key IDs alone are reported only with the ID scan rule on. */
const SECRETLINT_CONFIG: SecretlintConfig = {
  rules: [
    {
      id: '@secretlint/secretlint-rule-preset-recommend',
      rule: recommendedPreset,
      rules: [{ id: '@secretlint/secretlint-rule-aws', options: { enableIDScanRule: true } }],
    },
  ],
};

const secretlintMatches = async (name: string, content: string): Promise<SecretMatch[]> => {
  const result = await lintSource({
    source: { filePath: `/${name}`, content, contentType: 'text', ext: extname(name) },
    options: { config: SECRETLINT_CONFIG, noPhysicFilePath: true },
  });
  return result.messages.flatMap((message) => {
    const secret = content.slice(message.range[0], message.range[1]);
    if (isPlaceholderCredential(secret)) return [];
    return {
      rule: `secretlint/${message.ruleId.replace('@secretlint/secretlint-rule-', '')}`,
      description: message.messageId,
      line: message.loc.start.line,
      fingerprint: fingerprintOf(secret),
      preview: previewOf(secret),
    };
  });
};

/** Text holding a NUL byte is binary: secretlint and the rules read text only. */
export const isBinary = (content: Buffer): boolean => content.subarray(0, 8000).includes(0);

/**
 * All secrets in one text: the platform's rules first, then secretlint's; one finding per line, since both
 * usually recognise the same credential.
 */
export const scanText = async (name: string, content: string): Promise<SecretMatch[]> => {
  const matches = [...matchSecretRules(content), ...(await secretlintMatches(name, content))];
  const seen = new Set<number>();
  return matches.filter((match) => {
    if (seen.has(match.line)) return false;
    seen.add(match.line);
    return true;
  });
};
