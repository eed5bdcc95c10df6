import { isInterpolation } from './rules.js';

/**
 * A literal value assigned to a secret-named key in a configuration file: `.env`, YAML, JSON, HCL/Terraform,
 * properties/INI/TOML, .npmrc. Provider formats have their own rules; this one catches what has no format (a
 * database password, a JWT signing secret, a Datadog key). Password-named keys report any real-looking literal;
 * other secret names (token, api key, client secret…) only a high-entropy one, so `token_ttl: 3600` stays quiet.
 * Pure.
 */
export interface GenericMatch {
  readonly key: string;
  readonly secret: string;
  readonly index: number;
}

const CONFIG_FILE =
  /(^|\/)\.env(\.[\w.-]+)?$|\.(env|ya?ml|json|tf|tfvars|hcl|properties|ini|cfg|conf|toml|npmrc|xml|plist|config|kubeconfig)$|(^|\/)\.(npmrc|pypirc|sentryclirc)$|(^|\/)(credentials|config|kubeconfig)$/i;
/** Example env files document which variables exist; a value there is still checked, but for real formats only. */
export const isConfigFile = (file: string): boolean => CONFIG_FILE.test(file);

/** Tested on the key in snake_case (`dbPassword` → `db_password`), so `minipass` is not a password. */
const PASSWORD_KEY = /(^|[_.-])(pass|password|passwd|passphrase|pwd)$/;
const SECRET_KEY =
  /(^|[_.-])(secret|secret[_.-]?key|token|api[_.-]?key|apikey|access[_.-]?key|private[_.-]?key|client[_.-]?secret|signing[_.-]?key|encryption[_.-]?key|master[_.-]?key|auth[_.-]?key|credentials?|license[_.-]?key|app[_.-]?key|sas|dsn|webhook(_url)?|secret[_.-]?key[_.-]?base|jwt[_.-]?key|hmac[_.-]?key)$/;
/** Keys that name where a secret is, or something about it, not the secret. */
const NOT_A_VALUE_KEY =
  /(_file|_path|_dir|_name|_ref|_id|_arn|_url_env|_env|_ttl|_type|_length|_len|_size|_expiry|_expires?(_in)?|_timeout|_header|_field|_key_name|_version|_enabled|_policy|_mode|_provider|_endpoint)$|^(secretName|secretKeyRef|secretRef|tokenUrl|token_url|existingSecret)$/i;

/**
 * key, separator, value (quoted or bare; for `key:` / `key =` at a line end, the value on the next line, unless
 * that line is an assignment of its own: `datadog:` above `  app_key: …` is a mapping, not a value).
 */
const ASSIGNMENT =
  /(?<![\w-]|\$\{)["']?(?:\$env:)?((?:[A-Za-z_][\w-]*:(?=[A-Za-z_][\w.-]*["']?[ \t]*:[ \t]))?[A-Za-z_][\w.-]*)["']?(?:[ \t]*:[ \t]*[A-Za-z_][\w.<>[\]?]*(?=[ \t]*=[^=>])|[ \t]+(?:string|String|str|\[\]byte)(?=[ \t]*=[^=>]))?\s*(?::=|=>|[:=])(?:[ \t]*(?:>-?|\|-?)?[ \t]*\r?\n[ \t]+(?!["']?(?:[A-Za-z_][\w-]*:)?[A-Za-z_][\w.-]*["']?[ \t]*(?::=|=>|[:=])(?:[ \t]|\r?\n|$))|[ \t]*)(?:"((?:[^"\\\n]|\\.){1,400})"|'([^'\n]{1,400})'|([^\s"'#,;}{\][][^\s"',;}{\][]{0,400}))/g;

const entropy = (value: string): number => {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) bits -= (count / value.length) * Math.log2(count / value.length);
  return bits;
};

/** Random-looking: long enough, varied characters, and not a word, a path, a URL without credentials or a number. */
export const looksRandom = (value: string): boolean =>
  value.length >= 12 &&
  // 32+ hex digits carry at most 4 bits a character, and a random draw can land near 3: a lower bar for them.
  entropy(value) >= (/^[0-9a-f]{32,}$/i.test(value) ? 2.8 : 3.2) &&
  /[0-9]/.test(value) &&
  /[A-Za-z]/.test(value) &&
  !/^[a-z]+([_.-][a-z]+)*$/i.test(value) &&
  !/^(\/|\.\/|~\/|[a-z]+:\/\/[^@\s]*$)/i.test(value);

/** A reference to where a secret is kept, or an expression, rather than a literal. */
const isReference = (value: string): boolean =>
  isInterpolation(value) ||
  /^(var|local|data|module|random_\w+|aws_\w+|google_\w+|azurerm_\w+|each|self|resource)\.[\w.[\]"-]+$/.test(
    value,
  ) ||
  /^(process\.env|os\.environ|env|ENV|System\.getenv|secrets|vars|inputs|steps|needs)\b/.test(value) ||
  /^(![A-Za-z]\w*$|!Ref|!Sub|!GetAtt|ref\+|vault:|sm:|ssm:|arn:|projects\/[^/]+\/secrets\/|op:\/\/|awssecretsmanager|keyvault|file:|@Microsoft\.KeyVault)/i.test(
    value,
  ) ||
  /\$\{|\{\{|%\(|#\{|\$\(|^\$[A-Za-z_\d@*#?]/.test(value) ||
  /^(true|false|yes|no|on|off|null|none|nil|~|\d+(\.\d+)?[smhd]?)$/i.test(value);

/**
 * A Sentry DSN with only its public key (`https://<32 hex>@o1.ingest.sentry.io/2`) is meant to ship in browser
 * code; the legacy form with `:<secret key>` after it is still a secret.
 */
const isPublicDsn = (key: string, value: string): boolean =>
  /dsn$/i.test(key) && /^https?:\/\/[0-9a-f]{32}@[\w.-]+(:\d+)?\/\d+$/.test(value);

const isSecretKey = (key: string): 'password' | 'secret' | undefined => {
  // `a.b.password`, and Pulumi's namespaced `app:dbPassword`.
  const last = (key.split(/[.:]/).at(-1) ?? key)
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    // An acronym before a word: `XApiKey` → `X_Api_Key`, `AWSSecretKey` → `AWS_Secret_Key`.
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    // `API_KEY_B64`: the same secret, encoded.
    .replace(/[_.-](b64|base64|encoded)$/, '');
  if (NOT_A_VALUE_KEY.test(last)) return undefined;
  if (PASSWORD_KEY.test(last)) return 'password';
  if (SECRET_KEY.test(last)) return 'secret';
  return undefined;
};

/** Prose in a comment ("# the admin password: run …") is not an assignment; a token format in one still is. */
const isInComment = (text: string, index: number): boolean => {
  const lineStart = text.lastIndexOf('\n', index) + 1;
  return /^\s*(#|\/\/|\/?\*|;|--|<!--)/.test(text.slice(lineStart, index + 1));
};

/**
 * In configuration files every assignment counts; in source code only quoted literals to secret-named keys that
 * look random (a password literal in code is usually a test's; an expression is not a value).
 */
/** `<password>…</password>`, `<add key="ClientSecret" value="…"/>`: XML config (Maven settings, .NET, Java EE). */
const XML_ELEMENT = /<([A-Za-z_][\w.-]*)>[ \t]*([^<>\s][^<>\n]{0,400}?)[ \t]*<\/\1>/g;
const XML_ADD = /<add\s+key="([^"]+)"\s+value="([^"]{1,400})"/g;

/** `.pgpass`: `host:port:database:user:password` a line (the last field is the password; `\:` escapes). */
const PGPASS_FILE = /(^|\/)(\.pgpass|pgpass\.conf)$/;
const PGPASS_LINE = /^[^#\s:]*:[^:\s]*:[^:\s]*:[^:\s]*:((?:[^\n\\]|\\.)+?)\s*$/gm;

/** Gradle's call syntax (`storePassword "…"`) and PHP's `define('DB_PASSWORD', '…')`: a key and a literal. */
const GRADLE_FILE = /\.gradle(\.kts)?$/;
const GRADLE_CALL = /^[ \t]*([A-Za-z_]\w*)[ \t]+["']([^"'\n]{1,400})["'][ \t]*$/gm;
const PHP_DEFINE = /\bdefine\(\s*["'](\w+)["']\s*,\s*["']([^"'\n]{1,400})["']\s*\)/g;

/** What a secret-named key can hold that is no secret: a reference, an interpolation, prose or its own name. */
const isNotAValue = (key: string, secret: string): boolean =>
  isReference(secret) || isInterpolation(secret) || isProse(secret) || namesItself(key, secret);

const callForms = (text: string, file: string): GenericMatch[] =>
  [...(GRADLE_FILE.test(file) ? text.matchAll(GRADLE_CALL) : []), ...text.matchAll(PHP_DEFINE)].flatMap(
    (match): GenericMatch[] => {
      const key = match[1] ?? '';
      const secret = match[2] ?? '';
      const kind = isSecretKey(key);
      if (!kind || isNotAValue(key, secret)) return [];
      const reportable =
        kind === 'password' ? secret.length >= 6 && looksRandom(secret) : looksRandom(secret);
      return reportable ? [{ key, secret, index: match.index }] : [];
    },
  );

/**
 * A real dotenv file (not `.env.example`) holds the values the app runs with: a secret-named value there is a
 * secret even when it is made of words (`JWT_SECRET=correct-horse-battery-staple-jwt`), unless it is a placeholder.
 */
const DOTENV = /(^|\/)\.env(\.(?!example|sample|template|dist|defaults?\b|test|testing|ci\b|e2e)[\w.-]+)?$/i;
const PLACEHOLDER_WORDS =
  /example|sample|placeholder|change|replace|dummy|fake|your|xxx|todo|insert|generate|\bdev\b|local|test|not-?for|do-?not|insecure|<|>/i;
const isDotenvSecret = (file: string, secret: string): boolean =>
  DOTENV.test(file) &&
  secret.length >= 16 &&
  !PLACEHOLDER_WORDS.test(secret) &&
  !/^[a-z]+:\/\//i.test(secret);

const xmlAndCredentialFiles = (text: string, file: string): GenericMatch[] => [
  ...[...text.matchAll(XML_ELEMENT), ...text.matchAll(XML_ADD)].flatMap((match): GenericMatch[] => {
    const key = match[1] ?? '';
    const secret = (match[2] ?? '').trim();
    const kind = isSecretKey(key);
    if (!kind || isNotAValue(key, secret)) return [];
    const reportable =
      kind === 'password' ? secret.length >= 6 && !/^[*xX•.]+$/.test(secret) : looksRandom(secret);
    return reportable ? [{ key, secret, index: match.index }] : [];
  }),
  ...(PGPASS_FILE.test(file)
    ? [...text.matchAll(PGPASS_LINE)].flatMap((match): GenericMatch[] => {
        const secret = match[1] ?? '';
        return secret === '*' || isReference(secret) || isInterpolation(secret)
          ? []
          : [{ key: '.pgpass', secret, index: match.index }];
      })
    : []),
];

/** Bicep: object properties are `name: value`, a quoted literal or a bare reference to a parameter. */
const BICEP_FILE = /\.bicep(param)?$/;

const SHELL_FILE =
  /\.(sh|bash|zsh|ksh|ps1|psm1|mk)$|(^|\/)(Makefile|GNUmakefile|\.envrc|\.bashrc|\.zshrc|\.profile)$/;

/** A label or sentence (`"Confirm your password"`), not a password: words and spaces, no digits. */
const isProse = (value: string): boolean => /^[A-Za-z]+(?: [A-Za-z]+)+[.!?:]?$/.test(value);
/** `password: Password`: the value is the key's own name (a label), not a secret. */
const namesItself = (key: string, value: string): boolean =>
  value.toLowerCase().replace(/[^a-z]/g, '') ===
  (key.split('.').at(-1) ?? key).toLowerCase().replace(/[^a-z]/g, '');
/** A SealedSecret's `encryptedData` is ciphertext only its cluster's controller can open. */
const isSealedSecret = (text: string): boolean => /^kind:\s*SealedSecret\b/m.test(text);

export const genericAssignments = (text: string, file: string): GenericMatch[] => {
  if (isSealedSecret(text)) return [];
  // Bicep is declarative like a config file, but a bare value there is a parameter or a variable.
  const bicep = BICEP_FILE.test(file);
  const config = isConfigFile(file) || bicep;
  // Shell scripts export unquoted values: `export DD_API_KEY=…`.
  const shell = SHELL_FILE.test(file);
  const structured = [
    ...(config || PGPASS_FILE.test(file) ? xmlAndCredentialFiles(text, file) : []),
    ...callForms(text, file),
  ];
  return [
    ...structured,
    ...[...text.matchAll(ASSIGNMENT)].flatMap((match): GenericMatch[] => {
      const key = match[1] ?? '';
      const quoted = match[2] ?? match[3];
      const secret = (quoted ?? match[4] ?? '').trim();
      const kind = isSecretKey(key);
      if (
        !kind ||
        secret === '' ||
        isReference(secret) ||
        isProse(secret) ||
        namesItself(key, secret) ||
        isPublicDsn(key, secret) ||
        isInComment(text, match.index)
      )
        return [];
      if (!config && ((quoted === undefined && !shell) || (kind === 'password' && !looksRandom(secret))))
        return [];
      if (bicep && quoted === undefined) return [];
      const reportable =
        kind === 'password'
          ? secret.length >= 6 && !/^[*xX•.]+$/.test(secret)
          : looksRandom(secret) || isDotenvSecret(file, secret);
      return reportable ? [{ key, secret, index: match.index }] : [];
    }),
  ];
};
