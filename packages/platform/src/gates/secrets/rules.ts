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

/** A value that stands for a secret rather than being one: an interpolation, a template, a mask, a hint. */
export const isInterpolation = (secret: string): boolean =>
  /^(\$\{.*\}|\$\(.*\)|\$[A-Z_][A-Z0-9_]*|\{\{.*\}\}|<[^>]+>|%s|%\(\w+\)s|\*+|x+|\.+|_+|-+|#\{.*\})$/i.test(
    secret,
  ) ||
  /^\$\{\{.*\}\}$/.test(secret) ||
  /^(changeme|change-me|changeit|replace[-_]?me|password|passwd|secret|your[-_].*|example|placeholder|dummy|redacted|todo|null|none|nil|undefined|true|false|postgres|root|admin|guest|test)$/i.test(
    secret,
  );

export const SECRET_RULES: readonly SecretRule[] = [
  {
    id: 'secret/private-key',
    description: 'private key',
    // RSA, DSA, EC, OPENSSH, ENCRYPTED, PGP … BLOCK, or none; `-{5}` so this line does not match itself.
    pattern: /-{5}BEGIN(?: [A-Z0-9]+){0,3} PRIVATE KEY(?: BLOCK)?-{5}/g,
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
    // `\` + newline (a shell continuation) or `(` + newline (Python) puts the value on the next line.
    pattern:
      /(?:aws|AWS|Aws).{0,20}?(?:secret|SECRET|Secret).{0,20}?[=:]\s*(?:\\\r?\n\s*|\(\s*)?["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/g,
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
    // xoxe: refresh tokens (`xoxe-1-…`) and rotating access tokens (`xoxe.xoxb-1-…`).
    pattern: /\b(xox[abposre](?:\.xox[bp])?-[A-Za-z0-9-]{10,})\b/g,
    secretGroup: 1,
  },
  {
    id: 'secret/database-url-password',
    description: 'database URL with a password',
    // The user may be empty (`redis://:password@host`); the password runs to the last `@` before the host, so
    // punctuation (even an unescaped `@` or `#`) does not cut it short.
    pattern:
      /\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|clickhouse|cockroachdb|neo4j|couchdb|memcached|nats|kafka):\/\/[^\s:/@'"`]*:([^\s'"`]+)@[\w.-]+/g,
    secretGroup: 1,
    isPlaceholder: isInterpolation,
  },
  {
    id: 'secret/basic-auth-url',
    description: 'URL with a password',
    pattern: /\b(?:https?|ftps?|git|ssh|smtps?|ldaps?|wss?|sftp):\/\/[^\s:/@'"`]+:([^\s'"`]+)@[\w.-]+/g,
    secretGroup: 1,
    isPlaceholder: isInterpolation,
  },
];

export const fingerprintOf = (secret: string): string =>
  createHash('sha256').update(secret).digest('hex').slice(0, 16);

export const previewOf = (secret: string): string => `${secret.slice(0, 4)}…`;

export const lineAt = (text: string, index: number): number => {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line += 1;
  return line;
};

/** A rule's hit before it becomes a finding: the allowlist needs the secret and the text around it. */
export interface SecretCandidate {
  readonly rule: string;
  readonly description: string;
  readonly index: number;
  readonly secret: string;
  readonly matched: string;
}

export const candidatesOf = (text: string, rules: readonly SecretRule[] = SECRET_RULES): SecretCandidate[] =>
  rules.flatMap((rule) =>
    [...text.matchAll(rule.pattern)].flatMap((match): SecretCandidate[] => {
      const secret = match[rule.secretGroup ?? 0] ?? match[0];
      if (rule.isPlaceholder?.(secret)) return [];
      return [
        { rule: rule.id, description: rule.description, index: match.index, secret, matched: match[0] },
      ];
    }),
  );

export const toMatch = (candidate: SecretCandidate, line: number): SecretMatch => ({
  rule: candidate.rule,
  description: candidate.description,
  line,
  fingerprint: fingerprintOf(candidate.secret),
  preview: previewOf(candidate.secret),
});

export const matchSecretRules = (text: string, rules: readonly SecretRule[] = SECRET_RULES): SecretMatch[] =>
  candidatesOf(text, rules).map((candidate) => toMatch(candidate, lineAt(text, candidate.index)));

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
