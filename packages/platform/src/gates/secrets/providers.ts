import { isInterpolation, type SecretRule } from './rules.js';

/**
 * Provider token formats, each from the provider's own documentation of its credential prefixes and lengths
 * (the same facts gitleaks' rules encode). A prefix-anchored format is reported wherever it appears; formats
 * without a prefix (Datadog, Twilio auth tokens) are left to the generic secret-named-key rule.
 */
const word = (pattern: string): RegExp => new RegExp(`(?<![A-Za-z0-9_])(${pattern})(?![A-Za-z0-9_])`, 'g');
/** For formats that could also be a run inside a base64 blob or a dashed name: no base64 or `-` either side. */
const token = (pattern: string): RegExp =>
  new RegExp(`(?<![A-Za-z0-9_+/=-])(${pattern})(?![A-Za-z0-9_+/=-])`, 'g');
/** An upper-case name (`USER:API_TOKEN`, `YOUR_TOKEN`) stands for a value in documentation. */
const isPlaceholderName = (secret: string): boolean =>
  isInterpolation(secret) ||
  /^[A-Z][A-Z0-9_]*$/.test(secret) ||
  // A word that names what goes there: `mypassword`, `api_token`, `secret-key`.
  /^[A-Za-z_-]*(pass(word)?|token|secret|key)[A-Za-z_-]*$/i.test(secret);
/** `Basic` + base64 of `user:password`: a placeholder when the password part is one. */
const isPlaceholderBasic = (encoded: string): boolean => {
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const password = decoded.includes(':') ? decoded.slice(decoded.indexOf(':') + 1) : '';
  return password.length < 6 || isPlaceholderName(password);
};

/** `$NAME`, `${NAME}`, `$(cmd)` (a whole value or inside one): a value substituted later, not a literal. */
const isVariableReference = (secret: string): boolean =>
  /^\$[A-Za-z_]\w*$/.test(secret) || /\$\{|\$\(/.test(secret);
const GUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

export const PROVIDER_RULES: readonly SecretRule[] = [
  // Stripe, "API keys": secret `sk_live_`, restricted `rk_live_`; webhook signing secrets `whsec_`.
  {
    id: 'secret/stripe-key',
    description: 'Stripe live key',
    pattern: word('(?:sk|rk)_live_[0-9A-Za-z]{20,247}'),
    secretGroup: 1,
  },
  {
    id: 'secret/stripe-webhook-secret',
    description: 'Stripe webhook signing secret',
    pattern: word('whsec_[0-9A-Za-z+/]{32,}'),
    secretGroup: 1,
  },
  // GitLab, "Token prefixes": personal/project/group `glpat-`, deploy `gldt-`, runner `glrt-`, trigger `glptt-`,
  // CI job `glcbt-`, incoming mail `glimt-`, feed `glft-`, agent `glagent-`, OAuth app secret `gloas-`, SCIM `glsoat-`.
  {
    id: 'secret/gitlab-token',
    description: 'GitLab token',
    pattern: word('gl(?:pat|dt|rt|ptt|cbt|imt|ft|agent|oas|soat|ffct)-[0-9A-Za-z_.-]{20,}'),
    secretGroup: 1,
  },
  // Slack, "Token types": xapp- app-level tokens (bot/user/legacy xox? tokens and webhooks are in rules.ts).
  {
    id: 'secret/slack-token',
    description: 'Slack app token',
    pattern: word(String.raw`xapp-\d-[A-Z0-9]+-\d+-[a-z0-9]{32,}`),
    secretGroup: 1,
  },
  // Google Cloud, "API keys": `AIza` + 35; OAuth client secrets `GOCSPX-` + 28.
  {
    id: 'secret/google-api-key',
    description: 'Google API key',
    pattern: word('AIza[0-9A-Za-z_-]{35}'),
    secretGroup: 1,
  },
  {
    id: 'secret/google-oauth-client-secret',
    description: 'Google OAuth client secret',
    pattern: word('GOCSPX-[0-9A-Za-z_-]{28}'),
    secretGroup: 1,
  },
  // Azure Storage, "Configure connection strings": AccountKey= a 64-byte key in base64 (88 chars); SAS `sig=`.
  {
    id: 'secret/azure-storage-key',
    description: 'Azure storage account key',
    pattern: /AccountKey=([A-Za-z0-9+/]{86}==)/g,
    secretGroup: 1,
  },
  {
    id: 'secret/azure-sas-token',
    description: 'Azure shared access signature',
    pattern: /[?&]sv=\d{4}-\d{2}-\d{2}[^\s"'<>]*?&sig=([A-Za-z0-9%+/=]{30,})/g,
    secretGroup: 1,
  },
  // Microsoft Entra ID client secrets: three characters, `8Q~`, then 31-34 (the "Q~" marker of v2 secrets).
  {
    id: 'secret/azure-client-secret',
    description: 'Microsoft Entra client secret',
    pattern: word(String.raw`[0-9A-Za-z_~.-]{3}\dQ~[0-9A-Za-z_~.-]{31,34}`),
    secretGroup: 1,
  },
  // Twilio, "API keys": key SIDs `SK` + 32 hex.
  {
    id: 'secret/twilio-api-key',
    description: 'Twilio API key',
    pattern: word('SK[0-9a-fA-F]{32}'),
    secretGroup: 1,
  },
  // SendGrid, "API keys": `SG.` + 22 + `.` + 43.
  {
    id: 'secret/sendgrid-api-key',
    description: 'SendGrid API key',
    pattern: word(String.raw`SG\.[0-9A-Za-z_-]{22}\.[0-9A-Za-z_-]{43}`),
    secretGroup: 1,
  },
  // npm, "About access tokens": granular and classic tokens `npm_` + 36; .npmrc `_authToken=` / `_auth=`.
  {
    id: 'secret/npm-token',
    description: 'npm access token',
    pattern: word('npm_[0-9A-Za-z]{36}'),
    secretGroup: 1,
  },
  {
    id: 'secret/npmrc-auth',
    description: 'registry credential in .npmrc form',
    pattern: /:_(?:authToken|auth|password)\s*=\s*["']?([^\s"'$][^\s"']{7,})/g,
    secretGroup: 1,
  },
  // New Relic, "API keys": user keys `NRAK-` + 27, insert keys `NRII-`, browser `NRJS-`, license keys end `NRAL`.
  {
    id: 'secret/new-relic-key',
    description: 'New Relic key',
    pattern: word('NR(?:AK|II|JS)-[0-9A-Za-z]{19,32}|[0-9a-f]{36}NRAL'),
    secretGroup: 1,
  },
  // Sentry, "Auth tokens": organization `sntrys_`, user `sntryu_`.
  {
    id: 'secret/sentry-token',
    description: 'Sentry auth token',
    // The organization token is `sntrys_` + base64 of its JSON claims (`eyJ…`) + `_` + a url-safe base64 secret
    // (`-` and `_` in it); user tokens `sntryu_` + 64 hex. Any of base64's alphabets, standard or url-safe.
    pattern: word('sntry[su]_[0-9A-Za-z_+/=-]{40,}'),
    secretGroup: 1,
  },
  // Grafana, "Service account tokens" `glsa_` + 32 + `_` + 8 hex; Grafana Cloud access policy tokens `glc_`.
  {
    id: 'secret/grafana-token',
    description: 'Grafana token',
    // `glc_` is base64 of a JSON document, standard or url-safe (`-`, `_`).
    pattern: word('glsa_[0-9A-Za-z]{32}_[0-9a-fA-F]{8}|glc_[0-9A-Za-z+/_-]{32,}={0,2}'),
    secretGroup: 1,
  },
  // OpenAI, "API keys": `sk-` (legacy, with the `T3BlbkFJ` marker), `sk-proj-`, `sk-svcacct-`, `sk-admin-`.
  {
    id: 'secret/openai-key',
    description: 'OpenAI API key',
    pattern: word(
      'sk-(?:proj-|svcacct-|admin-)?[0-9A-Za-z_-]{20,}T3BlbkFJ[0-9A-Za-z_-]{20,}|sk-(?:proj|svcacct|admin)-[0-9A-Za-z_-]{40,}',
    ),
    secretGroup: 1,
  },
  // Anthropic, "API keys": `sk-ant-api03-` / `sk-ant-admin01-` + 93 + `AA`.
  {
    id: 'secret/anthropic-key',
    description: 'Anthropic API key',
    pattern: word(String.raw`sk-ant-(?:api|admin)\d\d-[0-9A-Za-z_-]{80,}`),
    secretGroup: 1,
  },
  // PyPI, "API tokens": `pypi-` + a macaroon whose base64 starts with the issuer (`AgEIcHlwaS5vcmc` = pypi.org,
  // `AgENdGVzdC5weXBpLm9yZw` = test.pypi.org).
  {
    id: 'secret/pypi-token',
    description: 'PyPI API token',
    pattern: word('pypi-(?:AgEIcHlwaS5vcmc|AgENdGVzdC5weXBpLm9yZw)[0-9A-Za-z_-]{50,}'),
    secretGroup: 1,
  },
  // Mailgun, "API keys": legacy private keys `key-` + 32 hex.
  {
    id: 'secret/mailgun-key',
    description: 'Mailgun API key',
    pattern: token('key-[0-9a-f]{32}'),
    secretGroup: 1,
  },
  // Square, "Access tokens": production `EAAA` + 60, legacy `sq0atp-` + 22; OAuth application secrets `sq0csp-` + 43.
  {
    id: 'secret/square-token',
    description: 'Square access token or application secret',
    pattern: token('EAAA[0-9A-Za-z_-]{60}|sq0atp-[0-9A-Za-z_-]{22}|sq0csp-[0-9A-Za-z_-]{43}'),
    secretGroup: 1,
  },
  // Shopify, "Access tokens": admin `shpat_`, custom app `shpca_`, private app `shppa_`, shared secret `shpss_` + 32 hex.
  {
    id: 'secret/shopify-token',
    description: 'Shopify access token',
    pattern: word('shp(?:at|ca|pa|ss)_[0-9a-fA-F]{32}'),
    secretGroup: 1,
  },
  // Heroku, "Platform API tokens": `HRKU-AA` + 58.
  {
    id: 'secret/heroku-token',
    description: 'Heroku API token',
    pattern: word('HRKU-AA[0-9A-Za-z_-]{58}'),
    secretGroup: 1,
  },
  // DigitalOcean, "Personal access tokens": `dop_v1_`, OAuth `doo_v1_`, refresh `dor_v1_` + 64 hex.
  {
    id: 'secret/digitalocean-token',
    description: 'DigitalOcean token',
    pattern: word('do[opr]_v1_[0-9a-f]{64}'),
    secretGroup: 1,
  },
  // HashiCorp Vault, "Tokens": service `hvs.` (90+), batch `hvb.` (138+), recovery `hvr.`.
  {
    id: 'secret/vault-token',
    description: 'HashiCorp Vault token',
    pattern: word(String.raw`hv[sr]\.[0-9A-Za-z_-]{90,}|hvb\.[0-9A-Za-z_-]{138,}`),
    secretGroup: 1,
  },
  // Databricks, "Personal access tokens": `dapi` + 32 hex, optionally `-N`.
  {
    id: 'secret/databricks-token',
    description: 'Databricks token',
    pattern: word('dapi[0-9a-f]{32}(?:-\\d)?'),
    secretGroup: 1,
  },
  // Doppler, "Token formats": `dp.` + kind (service st, service account sa, CLI ct, personal pt, scim, audit) + 40-44.
  {
    id: 'secret/doppler-token',
    description: 'Doppler token',
    pattern: word(String.raw`dp\.(?:st|sa|ct|pt|scim|audit)\.(?:[0-9A-Za-z_-]{1,40}\.)?[0-9A-Za-z]{40,44}`),
    secretGroup: 1,
  },
  // Linear, "API keys": `lin_api_` + 40; OAuth `lin_oauth_` + 64 hex.
  {
    id: 'secret/linear-key',
    description: 'Linear API key',
    pattern: word('lin_(?:api_[0-9A-Za-z]{40}|oauth_[0-9a-f]{64})'),
    secretGroup: 1,
  },
  // Atlassian, "API tokens": `ATATT3` + ~186 (token, `=`, 8-hex checksum).
  {
    id: 'secret/atlassian-token',
    description: 'Atlassian API token',
    pattern: word('ATATT3[0-9A-Za-z_=-]{150,}'),
    secretGroup: 1,
  },
  // Postman, "API keys": `PMAK-` + 24 hex + `-` + 34 hex.
  {
    id: 'secret/postman-key',
    description: 'Postman API key',
    pattern: word('PMAK-[0-9a-f]{24}-[0-9a-f]{34}'),
    secretGroup: 1,
  },
  // Dynatrace, "Access tokens": `dt0` + kind letter + 2 digits, `.` 24 public, `.` 64 secret, upper-case alphanumeric.
  {
    id: 'secret/dynatrace-token',
    description: 'Dynatrace token',
    pattern: word(String.raw`dt0[a-z]\d\d\.[0-9A-Z]{24}\.[0-9A-Z]{64}`),
    secretGroup: 1,
  },
  // .netrc (curl, git, ftp): `machine <host> login <user> password <secret>`, on one line or several.
  {
    id: 'secret/netrc-password',
    description: '.netrc password',
    pattern:
      /\b(?:machine\s+\S+\s+(?:login\s+\S+\s+)?|default\s+login\s+\S+\s+)password\s+([^\s"'$<\\][^\s\\]{5,})/g,
    secretGroup: 1,
    isPlaceholder: isPlaceholderName,
  },
  // An htpasswd entry: user, then an APR1-MD5, bcrypt or SHA-1 password hash (crackable offline).
  {
    id: 'secret/htpasswd-hash',
    description: 'htpasswd password hash',
    pattern:
      /^[^\s:#]+:(\$apr1\$[./0-9A-Za-z]{1,8}\$[./0-9A-Za-z]{22}|\$2[aby]\$\d\d\$[./0-9A-Za-z]{53}|\{SHA\}[A-Za-z0-9+/]{27}=)\s*$/gm,
    secretGroup: 1,
  },
  // PuTTY's private key file header (PPK v2/v3); its body is the key.
  { id: 'secret/private-key', description: 'PuTTY private key', pattern: /PuTTY-User-Key-File-\d:/g },
  // kubeconfig users: `client-key-data` is the base64 of a private key; `token` a bearer credential.
  {
    id: 'secret/kubeconfig-client-key',
    description: 'kubeconfig client key',
    pattern: /client-key-data:\s*["']?([A-Za-z0-9+/]{40,}={0,2})/g,
    secretGroup: 1,
  },
  // A signed JWT (header.payload.signature, both JSON parts base64url of `{"`): a bearer credential.
  {
    id: 'secret/jwt',
    description: 'signed JSON Web Token',
    pattern: word(String.raw`eyJ[0-9A-Za-z_-]{8,}\.eyJ[0-9A-Za-z_-]{8,}\.[0-9A-Za-z_-]{16,}`),
    secretGroup: 1,
  },
  // Docker config `auths` entries: base64 of `user:password`.
  {
    id: 'secret/docker-config-auth',
    description: 'container registry credential',
    pattern: /"auth"\s*:\s*"([A-Za-z0-9+/]{12,}={0,2})"/g,
    secretGroup: 1,
  },
  // JDBC URLs carry the password as a property; .NET / ODBC connection strings as a Password or Pwd key.
  {
    id: 'secret/connection-string-password',
    description: 'connection string with a password',
    pattern: /jdbc:[a-z0-9]+:[^\s"'`]*?[?;&:](?:password|pwd)=([^\s;&"'`]+)/gi,
    secretGroup: 1,
    // `password=test`, `password=${DB_PASSWORD}`: a placeholder, as in every other connection-string form.
    isPlaceholder: isInterpolation,
  },
  // Oracle's thin driver puts `user/password@` in the URL itself.
  {
    id: 'secret/connection-string-password',
    description: 'connection string with a password',
    pattern: /jdbc:oracle:thin:[^\s/@"'`:]+\/([^\s@"'`]+)@/gi,
    secretGroup: 1,
    // scott/tiger: Oracle's documented demo account. A `$` inside a random password is a character, not a
    // variable: only a whole `$NAME`, `${…}` or `$(…)` stands for one.
    isPlaceholder: (secret) => isPlaceholderName(secret) || secret === 'tiger' || isVariableReference(secret),
  },
  {
    id: 'secret/connection-string-password',
    description: 'connection string with a password',
    pattern:
      /(?:Server|Data Source|Host|Address|AccountName|Endpoint|User ?ID|UID|Username|Database|Initial Catalog)=[^"'`\n]*?;\s*(?:Password|Pwd|SharedAccessKey)=([^;"'`\n]+)/gi,
    secretGroup: 1,
    isPlaceholder: isInterpolation,
  },
  // The password key first, then another key and value after its `;`.
  {
    id: 'secret/connection-string-password',
    description: 'connection string with a password',
    pattern: /\b(?:Password|Pwd)=([^;"'`\s<>{}$][^;"'`\n]*?);\s*[A-Za-z][\w ]*=/gi,
    secretGroup: 1,
    isPlaceholder: isInterpolation,
  },
  // StackExchange.Redis: `host:port,password=…,ssl=True`.
  {
    id: 'secret/connection-string-password',
    description: 'Redis connection string with a password',
    pattern: /[\w.-]+:\d{2,5}(?:,[\w]+=[^,"'`\s]*)*,password=([^,"'`\s$][^,"'`\s]*)/gi,
    secretGroup: 1,
    isPlaceholder: isInterpolation,
  },
  // Passwords on a command line: `sshpass -p <secret>`, `mysql -p<secret>`, `--password=<secret>`, `curl -u <user>:<secret>`.
  {
    id: 'secret/command-line-password',
    description: 'password on a command line',
    pattern:
      /(?:\bsshpass\s+-p\s*|\bmysql(?:dump|admin)?\b[^\n|;&]*?\s-p|\s--password[= ]|\bcurl\b[^\n|;&]*?\s(?:-u|--user)\s+["']?[^\s:"'$]+:)["']?([^\s"'$<{*-][^\s"']{5,})/g,
    secretGroup: 1,
    isPlaceholder: isPlaceholderName,
  },
  // An HTTP Authorization header with a literal credential (Basic: base64 of user:password).
  {
    id: 'secret/authorization-header',
    description: 'literal credential in an Authorization header',
    pattern: /\bAuthorization["']?\s*[:=]\s*["']?Basic\s+([A-Za-z0-9+/]{12,}={0,2})(?![A-Za-z0-9+/=])/gi,
    secretGroup: 1,
    isPlaceholder: isPlaceholderBasic,
  },
  // PowerShell: a literal turned into a credential.
  {
    id: 'secret/command-line-password',
    description: 'plaintext password in ConvertTo-SecureString',
    pattern: /ConvertTo-SecureString\s+(?:-String\s+)?["']([^"'$]{6,})["']\s+-AsPlainText/gi,
    secretGroup: 1,
  },
  // Webhook URLs carry their own credential: Discord, Microsoft Teams incoming webhooks.
  {
    id: 'secret/webhook-url',
    description: 'chat webhook URL',
    pattern:
      /https:\/\/(?:(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d{17,20}\/[\w-]{60,68}|[\w-]+\.webhook\.office\.com\/webhookb2\/[\w@.-]+\/IncomingWebhook\/[0-9a-f]{32}\/[\w-]+)/g,
  },
  // Redis, "redis.conf": `requirepass` / `masterauth` hold the server's and the replica's password;
  // `redis-cli -a <password>` / `--pass <password>` pass it on the command line.
  {
    id: 'secret/redis-password',
    description: 'Redis password',
    pattern: /^[ \t]*(?:requirepass|masterauth)[ \t]+["']?([^\s"'#]{6,})/gm,
    secretGroup: 1,
    isPlaceholder: (secret) => isPlaceholderName(secret) || isVariableReference(secret),
  },
  {
    id: 'secret/command-line-password',
    description: 'Redis password on a command line',
    pattern: /\bredis-cli\b[^\n|;&]*?\s(?:-a|--pass)\s+["']?([^\s"'$<{*-][^\s"']{5,})/g,
    secretGroup: 1,
    isPlaceholder: isPlaceholderName,
  },
  // Adyen, "API credentials": API keys start `AQE` and are three base64 segments joined by `-` (`…=-…=-…`).
  {
    id: 'secret/adyen-api-key',
    description: 'Adyen API key',
    pattern: token('AQE[0-9A-Za-z+/]{20,}={0,2}-[0-9A-Za-z+/]{20,}={0,2}-[0-9A-Za-z+/_]{8,}={0,2}'),
    secretGroup: 1,
  },
  // Honeycomb, "API keys": ingest keys `hcaik_` / `hcxik_` (environment, classic), management keys `hcamk_` /
  // `hcxmk_`, then `01` and lower-case alphanumerics; older configuration keys are 22 alphanumerics (32 hex for
  // classic) and travel in the `x-honeycomb-team` header.
  {
    id: 'secret/honeycomb-key',
    description: 'Honeycomb API key',
    pattern: word('hc[ax](?:ik|mk|lk)_[0-9a-z]{20,}'),
    secretGroup: 1,
  },
  {
    id: 'secret/honeycomb-key',
    description: 'Honeycomb API key',
    pattern: /\bx-honeycomb-team["']?\s*[:=]\s*["']?([0-9A-Za-z]{22}|[0-9a-fA-F]{32})(?![0-9A-Za-z_-])/gi,
    secretGroup: 1,
  },
  // Splunk HTTP Event Collector tokens are GUIDs: `Authorization: Splunk <guid>`, fluent-bit `Splunk_Token`,
  // HEC `token` settings next to a Splunk endpoint.
  {
    id: 'secret/splunk-hec-token',
    description: 'Splunk HEC token',
    pattern: new RegExp(
      String.raw`(?:\bSplunk[ \t]+|\b(?:splunk[_-]?(?:hec[_-]?)?token|hec[_-]?token)["']?[ \t]*[:=]?[ \t]*["']?)(${GUID})(?![0-9A-Za-z-])`,
      'gi',
    ),
    secretGroup: 1,
  },
  // PagerDuty integration keys (Events API v1 `service_key`, v2 `routing_key` / `integration_key`): 32 hex.
  {
    id: 'secret/pagerduty-key',
    description: 'PagerDuty integration key',
    pattern:
      /\b(?:routing|integration|service)[_-]?key["']?\s*(?:[:=]|=>)\s*["']?([0-9a-fA-F]{32})(?![0-9A-Za-z_-])/gi,
    secretGroup: 1,
  },
  // Logz.io shipping tokens (32 letters): the logstash output's `key`, a listener URL's `?token=`.
  {
    id: 'secret/logzio-token',
    description: 'Logz.io shipping token',
    pattern:
      /(?:\blogzio\s*\{[^}]*?\bkey\s*=>\s*["']|listener(?:-[a-z]{2})?\.logz\.io(?::\d+)?\/?\?token=)([0-9A-Za-z]{32})(?![0-9A-Za-z])/g,
    secretGroup: 1,
  },
  // Alibaba Cloud AccessKey IDs `LTAI` + 12-20; Tencent Cloud SecretIds `AKID` + 32; Google OAuth access tokens `ya29.`.
  {
    id: 'secret/cloud-access-key',
    description: 'cloud provider access key',
    pattern: token('LTAI[0-9A-Za-z]{12,20}|AKID[0-9A-Za-z]{32}|ya29\\.[0-9A-Za-z_-]{30,}'),
    secretGroup: 1,
  },
];
