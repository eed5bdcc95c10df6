import { createHash } from 'node:crypto';

/**
 * The platform's own secret patterns, on top of secretlint's recommended preset: the credentials this
 * platform handles (private keys, AWS keys, GitHub tokens, Slack webhooks and tokens, database URLs with a
 * password). Pure: text in, matches out.
 */
export interface SecretRule {
  readonly id: string;
  readonly description: string;
  readonly pattern: RegExp;
  /** The capture group that holds the credential itself (0: the whole match). */
  readonly secretGroup?: number;
  /** A match is a placeholder, not a credential (e.g. `${DB_PASSWORD}`). */
  readonly isPlaceholder?: (secret: string) => boolean;
}

export interface SecretMatch {
  readonly rule: string;
  readonly description: string;
  readonly line: number;
  /** sha256 of the secret, truncated: stable across files and commits, and reveals nothing. */
  readonly fingerprint: string;
  /** The first characters of the secret, for a human to recognise it. */
  readonly preview: string;
}

const isInterpolation = (secret: string): boolean =>
  /^(\$\{.*\}|\$\(.*\)|\$[A-Z_][A-Z0-9_]*|\{\{.*\}\}|<[^>]+>|%s|\*+|x+)$/i.test(secret);

export const SECRET_RULES: readonly SecretRule[] = [
  {
    id: 'secret/private-key',
    description: 'private key',
    pattern: /-----BEGIN ((RSA|DSA|EC|OPENSSH|PGP|ENCRYPTED) )?PRIVATE KEY( BLOCK)?-----/g,
  },
  {
    id: 'secret/aws-access-key-id',
    description: 'AWS access key ID',
    pattern: /\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b/g,
    secretGroup: 1,
  },
  {
    id: 'secret/aws-secret-access-key',
    description: 'AWS secret access key',
    pattern: /aws.{0,20}?(?:secret|SECRET).{0,20}?[=:]\s*["']?([A-Za-z0-9/+=]{40})\b/g,
    secretGroup: 1,
  },
  {
    id: 'secret/github-token',
    description: 'GitHub token',
    pattern: /\b(gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{82})\b/g,
    secretGroup: 1,
  },
  {
    id: 'secret/slack-webhook',
    description: 'Slack webhook URL',
    pattern: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/]{20,}/g,
  },
  {
    id: 'secret/slack-token',
    description: 'Slack token',
    pattern: /\b(xox[abposr]-[A-Za-z0-9-]{10,})\b/g,
    secretGroup: 1,
  },
  {
    id: 'secret/database-url-password',
    description: 'database URL with a password',
    pattern:
      /\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver):\/\/[^\s:/@'"`]+:([^\s@'"`]+)@[^\s'"`]+/g,
    secretGroup: 1,
    isPlaceholder: isInterpolation,
  },
];

export const fingerprintOf = (secret: string): string =>
  createHash('sha256').update(secret).digest('hex').slice(0, 16);

export const previewOf = (secret: string): string => `${secret.slice(0, 4)}…`;

const lineAt = (text: string, index: number): number => {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line += 1;
  return line;
};

export const matchSecretRules = (text: string, rules: readonly SecretRule[] = SECRET_RULES): SecretMatch[] =>
  rules.flatMap((rule) =>
    [...text.matchAll(rule.pattern)].flatMap((match): SecretMatch[] => {
      const secret = match[rule.secretGroup ?? 0] ?? match[0];
      if (rule.isPlaceholder?.(secret)) return [];
      return [
        {
          rule: rule.id,
          description: rule.description,
          line: lineAt(text, match.index),
          fingerprint: fingerprintOf(secret),
          preview: previewOf(secret),
        },
      ];
    }),
  );

/**
 * Whether a credential another scanner found is a placeholder by the platform's rules: secretlint reports
 * `postgres://user:$PASSWORD@host` in a shell script as a connection string with a password.
 */
export const isPlaceholderCredential = (text: string, rules: readonly SecretRule[] = SECRET_RULES): boolean =>
  rules.some((rule) =>
    [...text.matchAll(rule.pattern)].some((match) => {
      const secret = match[rule.secretGroup ?? 0];
      return secret !== undefined && rule.isPlaceholder?.(secret) === true;
    }),
  );
