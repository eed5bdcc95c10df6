import type { SecretRule } from './rules.js';

/**
 * Provider token formats, each from the provider's own documentation of its credential prefixes and lengths
 * (the same facts gitleaks' rules encode). A prefix-anchored format is reported wherever it appears; formats
 * without a prefix (Datadog, Twilio auth tokens) are left to the generic secret-named-key rule.
 */
const word = (pattern: string): RegExp => new RegExp(`(?<![A-Za-z0-9_])(${pattern})(?![A-Za-z0-9_])`, 'g');

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
    pattern: word('sntry[su]_[0-9A-Za-z_+/=]{40,}'),
    secretGroup: 1,
  },
  // Grafana, "Service account tokens" `glsa_` + 32 + `_` + 8 hex; Grafana Cloud access policy tokens `glc_`.
  {
    id: 'secret/grafana-token',
    description: 'Grafana token',
    pattern: word('glsa_[0-9A-Za-z]{32}_[0-9a-fA-F]{8}|glc_[0-9A-Za-z+/]{32,}={0,2}'),
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
  // JDBC URLs carry the password as a property; .NET / ODBC connection strings as `Password=` / `Pwd=`.
  {
    id: 'secret/connection-string-password',
    description: 'connection string with a password',
    pattern: /jdbc:[a-z0-9]+:[^\s"'`]*?[?;&:](?:password|pwd)=([^\s;&"'`]+)/gi,
    secretGroup: 1,
  },
  {
    id: 'secret/connection-string-password',
    description: 'connection string with a password',
    pattern:
      /(?:Server|Data Source|Host|Address|AccountName|Endpoint)=[^"'`\n]*?;\s*(?:Password|Pwd|SharedAccessKey)=([^;"'`\n]+)/gi,
    secretGroup: 1,
  },
];
