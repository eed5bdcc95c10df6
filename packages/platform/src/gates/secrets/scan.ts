import { extname } from 'node:path';
import { lintSource } from '@secretlint/core';
import { creator as recommendedPreset } from '@secretlint/secretlint-rule-preset-recommend';
import {
  isDocumentedExample,
  isLoopbackTestUrl,
  isReservedHostUrl,
  overlapsDocumentedExample,
} from './allowlist.js';
import {
  base64Blobs,
  decodeText,
  hexBlobs,
  inlineConstants,
  joinSplitLiterals,
  markdownShellBlocks,
} from './decode.js';
import { genericAssignments, looksRandom } from './generic.js';
import { PROVIDER_RULES } from './providers.js';
import {
  candidatesOf,
  fingerprintOf,
  isPlaceholderCredential,
  lineAt,
  previewOf,
  SECRET_RULES,
  type SecretCandidate,
  type SecretMatch,
  toMatch,
} from './rules.js';
import { suppressionComments } from './suppression-comments.js';

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

const ALL_RULES = [...SECRET_RULES, ...PROVIDER_RULES];

/**
 * A documentation host (example.com, .test…) opens nothing, but a random password there is a real one pasted with
 * its host replaced: only a word-like password on a reserved host is an example.
 */
const isAllowed = (file: string, candidate: Pick<SecretCandidate, 'secret' | 'matched'>): boolean =>
  isDocumentedExample(candidate.secret) ||
  isLoopbackTestUrl(file, candidate.matched) ||
  (isReservedHostUrl(candidate.matched) && !looksRandom(candidate.secret));

const secretlintMatches = async (name: string, content: string): Promise<SecretMatch[]> => {
  const result = await lintSource({
    source: { filePath: `/${name}`, content, contentType: 'text', ext: extname(name) },
    options: { config: SECRETLINT_CONFIG, noPhysicFilePath: true },
  });
  return result.messages.flatMap((message) => {
    const secret = content.slice(message.range[0], message.range[1]);
    if (isPlaceholderCredential(secret) || isAllowed(name, { secret, matched: secret })) return [];
    if (overlapsDocumentedExample(content, message.range[0], message.range[1])) return [];
    if (candidatesOf(secret, ALL_RULES).some((candidate) => isAllowed(name, candidate))) return [];
    // secretlint's range can stop short of the value (`aws_secret_access_key = je7M…/2Zp`): judge its whole line.
    const lineStart = content.lastIndexOf('\n', message.range[0]) + 1;
    const lineEnd = content.indexOf('\n', message.range[1]);
    const line = content.slice(lineStart, lineEnd === -1 ? content.length : lineEnd);
    const onLine = candidatesOf(line, ALL_RULES);
    if (onLine.length > 0 && onLine.every((candidate) => isAllowed(name, candidate))) return [];
    return {
      rule: `secretlint/${message.ruleId.replace('@secretlint/secretlint-rule-', '')}`,
      description: message.messageId,
      line: message.loc.start.line,
      fingerprint: fingerprintOf(secret),
      preview: previewOf(secret),
    };
  });
};

/** Secrets in a text seen through one lens (as written, joined, decoded), each placed on a line of the file. */
const lensMatches = (
  file: string,
  text: string,
  lineOf: (index: number) => number,
  configName: string,
): SecretMatch[] => [
  ...candidatesOf(text, ALL_RULES)
    .filter((candidate) => !isAllowed(file, candidate))
    .map((candidate) => toMatch(candidate, lineOf(candidate.index))),
  ...genericAssignments(text, configName)
    .filter((match) => !isDocumentedExample(match.secret))
    .map((match) =>
      toMatch(
        {
          rule: 'secret/generic-assignment',
          description: `literal secret assigned to "${match.key}"`,
          index: match.index,
          secret: match.secret,
          matched: match.secret,
        },
        lineOf(match.index),
      ),
    ),
];

const MARKDOWN = /\.(md|markdown|mdx)$/i;
/**
 * Other scanners' ignore and baseline files (gitleaks, secretlint, trufflehog, detect-secrets, GitGuardian): each
 * hides paths or findings from that scanner, a suppression the author writes for their own change.
 */
const IGNORE_FILE =
  /(^|\/)(\.gitleaksignore|\.secretlintignore|\.trufflehogignore|\.secrets\.baseline|\.gitguardian\.ya?ml|\.ggignore)$/;

/** Where text split across lines and joined back lands in the file: the line of the first piece. */
const joinedLineOf = (original: string, joined: string) => {
  const originalLines = original.split('\n');
  return (index: number): number => {
    const head = joined.slice(index, index + 6);
    const found = originalLines.findIndex((line) => line.includes(head));
    return found === -1 ? 1 : found + 1;
  };
};

/**
 * All secrets in one text: the platform's and providers' formats, secret-named assignments, the same over
 * split-and-joined literals and decoded base64, inline suppression comments, then secretlint's preset; one
 * finding per line, since several lenses usually recognise the same credential.
 */
export const scanText = async (name: string, content: string): Promise<SecretMatch[]> => {
  const atLine = (index: number) => lineAt(content, index);
  const joined = joinSplitLiterals(inlineConstants(content));
  const matches: SecretMatch[] = [
    ...lensMatches(name, content, atLine, name),
    ...(joined === content
      ? []
      : candidatesOf(joined, ALL_RULES)
          .filter((candidate) => !isAllowed(name, candidate))
          .map((candidate) => toMatch(candidate, joinedLineOf(content, joined)(candidate.index)))),
    ...base64Blobs(content).flatMap((blob) =>
      lensMatches(name, blob.text, () => atLine(blob.index), 'decoded.env').map((match) => ({
        ...match,
        description: `${match.description}, base64-encoded`,
      })),
    ),
    ...hexBlobs(content).flatMap((blob) =>
      candidatesOf(blob.text, ALL_RULES)
        .filter((candidate) => !isAllowed(name, candidate))
        .map((candidate) => ({
          ...toMatch(candidate, atLine(blob.index)),
          description: `${candidate.description}, hex-encoded`,
        })),
    ),
    ...(MARKDOWN.test(name)
      ? markdownShellBlocks(content).flatMap((block) =>
          lensMatches(name, block.text, (index) => atLine(block.index + index), 'README.sh'),
        )
      : []),
    ...(IGNORE_FILE.test(name) && content.trim() !== ''
      ? [
          {
            rule: 'secret/ignore-file',
            description: `a secret scanner's ignore file: the gate does not read it; accept a false positive in .runway/exceptions.yaml`,
            line: 1,
            fingerprint: fingerprintOf(`${name}:ignore-file`),
            preview: previewOf(name.split('/').at(-1) ?? name),
          },
        ]
      : []),
    ...suppressionComments(content).map(
      (comment): SecretMatch => ({
        rule: 'secret/inline-suppression',
        description: `an inline "${comment.marker}" comment: the gate ignores it; accept a false positive in .runway/exceptions.yaml`,
        line: atLine(comment.index),
        fingerprint: fingerprintOf(`${name}:${comment.marker}`),
        preview: previewOf(comment.marker),
      }),
    ),
    ...(await secretlintMatches(name, content)),
  ];
  const seen = new Set<number>();
  return matches.filter((match) => {
    if (seen.has(match.line)) return false;
    seen.add(match.line);
    return true;
  });
};

/** A file's bytes: text (UTF-8 or UTF-16) is scanned, binary content is not. */
export const scanContent = async (name: string, content: Buffer): Promise<SecretMatch[]> => {
  const text = decodeText(content);
  return text === undefined ? [] : scanText(name, text);
};
