/**
 * Writes infra/test/data/pinned-modules.json: the variables (name → type) and outputs of each pinned registry module,
 * read from the module's own repository at its release tag, so the policy terraform/module-interface can check every
 * argument and output Runway uses without a registry download.
 *
 *   npx tsx infra/test/tools/extract-module-interface.ts <dir-of-git-mirrors>
 *
 * where <dir-of-git-mirrors>/<owner>+<repo>/repo is a bare clone (e.g. the `fetch` tool's /work/.mirror).
 */
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from '@cdktf/hcl2json';
import { REGISTRY_MODULES } from '../lib/pinned-modules.js';

const mirrors = process.argv[2];
if (mirrors === undefined) throw new Error('usage: extract-module-interface.ts <dir-of-git-mirrors>');

const git = (dir: string, ...args: string[]) =>
  execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' });

const typeText = (type: unknown): string =>
  typeof type === 'string'
    ? type
        .replace(/^\$\{(.*)\}$/s, '$1')
        .replace(/(#|\/\/)[^\n]*/g, '')
        .replace(/\s+/g, ' ')
        .trim()
    : 'any';

const modules = [];
for (const module of REGISTRY_MODULES) {
  const dir = join(mirrors, `${module.repository.replace('/', '+')}/repo`);
  const tag = `v${module.version}`;
  const files = git(dir, 'ls-tree', '--name-only', tag, ...(module.path === '' ? [] : [`${module.path}/`]))
    .split('\n')
    .filter((name) => name.endsWith('.tf'));
  const variables: Record<string, string> = {};
  const outputs: string[] = [];
  for (const file of files) {
    const body = (await parse(file, git(dir, 'show', `${tag}:${file}`))) as {
      variable?: Record<string, { type?: unknown }[]>;
      output?: Record<string, unknown[]>;
    };
    for (const [name, [declared]] of Object.entries(body.variable ?? {}))
      variables[name] = typeText(declared?.type);
    outputs.push(...Object.keys(body.output ?? {}));
  }
  modules.push({
    source: module.source,
    version: module.version,
    from: { repository: module.repository, tag, files },
    variables: Object.fromEntries(Object.entries(variables).sort(([a], [b]) => a.localeCompare(b))),
    outputs: outputs.sort(),
  });
}

const target = fileURLToPath(new URL('../data/pinned-modules.json', import.meta.url));
await writeFile(target, `${JSON.stringify({ modules }, null, 2)}\n`);
console.log(`wrote ${target}: ${modules.map((m) => `${m.source}@${m.version}`).join(', ')}`);
