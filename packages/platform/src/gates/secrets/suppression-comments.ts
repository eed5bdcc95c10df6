/**
 * Inline "ignore this secret" comments of other scanners (secretlint, gitleaks, detect-secrets, trufflehog,
 * GitGuardian). The gate does not honour them, and reports them: suppression goes through the reviewed
 * exceptions file (owner, reason, expiry), never a comment an author adds to their own change. The markers are
 * built from parts so this file does not report itself. Pure.
 */
const MARKERS = [
  ['secretlint', '-disable(?:-next-line|-line)?'],
  ['gitleaks', 'allow'],
  ['pragma', ' (?:allow|white)list (?:next ?line )?secret'],
  ['trufflehog', 'ignore'],
  ['gg', 'ignore'],
  ['nosecret', ''],
  ['kics-scan', ' ignore'],
]
  .map(
    ([head, tail]) =>
      `${head}${head === 'gitleaks' || head === 'trufflehog' ? ':' : head === 'pragma' ? ':' : ''}${tail}`,
  )
  .concat([
    // Linters' hard-coded-password checks silenced in place: Bandit's B105-B107 (its own marker and ruff's),
    // Checkov's secret checks, eslint-plugin-no-secrets.
    ['no', 'sec B10[5-7]'].join(''),
    ['no', 'qa: ?S10[5-7]'].join(''),
    ['checkov', ':skip=CKV_SECRET_\\d+'].join(''),
    ['no-secrets', '/no-secrets'].join(''),
    // Semgrep's inline ignore: bare (every rule, its secrets rules too) or with a rule list naming a secrets
    // rule; a list of other rules only (python.lang.security.audit.eval) is not about secrets.
    ['no', String.raw`semgrep(?![\w-])(?![ \t]*:)`].join(''),
    [
      'no',
      String.raw`semgrep[ \t]*:[ \t]*(?:[\w.-]+[ \t]*,[ \t]*)*[\w.-]*?(?:secret|password|credential|token|api-?key)\w*`,
    ].join(''),
  ])
  .join('|');

/** A marker in a comment: after `#`, `//`, `/*`, `<!--`, `--`, `;` or `*` on the same line. */
const SUPPRESSION = new RegExp(
  String.raw`(?:#|\/\/|\/\*|<!--|--|;|^\s*\*|\{\/\*)[^\n]*?\b(${MARKERS})\b`,
  'gim',
);

export interface SuppressionComment {
  readonly marker: string;
  readonly index: number;
}

export const suppressionComments = (text: string): SuppressionComment[] =>
  [...text.matchAll(SUPPRESSION)].map((match) => ({ marker: match[1] ?? '', index: match.index }));
