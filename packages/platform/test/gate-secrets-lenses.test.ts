import { describe, expect, it } from 'vitest';
import { scanContent, scanText } from '../src/gates/secrets/scan.js';
import { token } from './fixtures/gate/corpus/tokens.js';

const p = (...parts: string[]): string => parts.join('');
const rules = async (file: string, text: string) => (await scanText(file, text)).map((match) => match.rule);

describe('allowlist: known examples and loopback test fixtures, exactly', () => {
  const exampleId = p('AKIAIOSF', 'ODNN7EXAMPLE');
  const exampleSecret = ['wJalrXUtnFEMI', 'K7MDENG', 'bPxRfiCYEXAMPLEKEY'].join('/');

  it("AWS's documented example pair passes; a key that only ends like it does not", async () => {
    expect(
      await rules('docs/aws.md', `id = ${exampleId}\naws_secret_access_key = ${exampleSecret}\n`),
    ).toEqual([]);
    expect(await rules('docs/aws.md', `id = ${token.awsId().slice(0, 8)}ODNN7EXAMPLE\n`)).not.toEqual([]);
  });

  it('a loopback database URL passes in test code only', async () => {
    const url = `${p('postgres', '://app:s3cret-pw')}@127.0.0.1:5432/test`;
    expect(await rules('apps/links/test/helpers/db.ts', `const url = '${url}';\n`)).toEqual([]);
    expect(await rules('src/db.ts', `const url = '${url}';\n`)).toContain('secret/database-url-password');
    expect(
      await rules('test/db.ts', `const url = '${url.replace('127.0.0.1', 'db.internal')}';\n`),
    ).toContain('secret/database-url-password');
  });
});

describe('lenses: what a file says once decoded or joined', () => {
  it('reads UTF-16 files instead of skipping them as binary', async () => {
    const text = `TOKEN=${token.githubClassic()}\r\n`;
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect((await scanContent('a.env', le)).map((match) => match.rule)).toContain('secret/github-token');
    expect(await scanContent('a.bin', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 0, 0, 9]))).toEqual(
      [],
    );
  });

  it('decodes base64 and joins split literals', async () => {
    const encoded = Buffer.from(`key=${token.stripeLive()}`).toString('base64');
    expect(await rules('a.json', `{ "x": "${encoded}" }`)).toContain('secret/stripe-key');
    const id = token.awsId();
    expect(await rules('a.ts', `const k = '${id.slice(0, 6)}' +\n  '${id.slice(6)}';`)).toContain(
      'secret/aws-access-key-id',
    );
  });

  it('reports inline suppression comments, not the same words in prose', async () => {
    expect(await rules('a.ts', `const x = 1; // ${p('gitleaks', ':allow')}\n`)).toEqual([
      'secret/inline-suppression',
    ]);
    expect(await rules('README.md', `Do not use \`${p('gitleaks', ':allow')}\` comments.\n`)).toEqual([]);
  });
});
