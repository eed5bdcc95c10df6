// The image cannot be built on this machine, so its properties are proven statically: the Dockerfile is parsed
// and checked against the runtime contract (docs/service-contract.md) and decision 14 of docs/architecture.md. Each rule is also
// run against a broken copy, so a rule that could never fail would show up here.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Copy, DockerfileParser, type Instruction, Label } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';

const repoRoot = join(import.meta.dirname, '..', '..', '..');
const dockerfileText = readFileSync(join(repoRoot, 'apps/links/Dockerfile'), 'utf8');
const dockerignoreText = readFileSync(join(repoRoot, '.dockerignore'), 'utf8');
const linksManifest: { scripts: Record<string, string>; dependencies: Record<string, string> } = JSON.parse(
  readFileSync(join(repoRoot, 'apps/links/package.json'), 'utf8'),
);
const linksScripts = linksManifest.scripts;

interface Stage {
  readonly name: string;
  readonly image: string;
  readonly instructions: readonly Instruction[];
}

interface Inputs {
  readonly dockerfile: string;
  readonly dockerignore: string;
  readonly exists: (path: string) => boolean;
  readonly scripts: Record<string, string>;
}

const realInputs: Inputs = {
  dockerfile: dockerfileText,
  dockerignore: dockerignoreText,
  exists: (path) => existsSync(join(repoRoot, path)),
  scripts: linksScripts,
};

const stagesOf = (text: string): Stage[] => {
  const stages: { name: string; image: string; instructions: Instruction[] }[] = [];
  for (const instruction of DockerfileParser.parse(text).getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      const [image = '', , name = String(stages.length)] = instruction
        .getArguments()
        .map((a) => a.getValue());
      stages.push({ name, image, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
};

const words = (instruction: Instruction): string[] => instruction.getArguments().map((a) => a.getValue());
const ofKind = (stage: Stage, keyword: string): Instruction[] =>
  stage.instructions.filter((instruction) => instruction.getKeyword() === keyword);
const copyFrom = (instruction: Instruction): string | undefined =>
  instruction instanceof Copy ? (instruction.getFromFlag()?.getValue() ?? undefined) : undefined;

/** Docker's .dockerignore semantics: `*` stays within a segment, `**` crosses segments, the last match wins,
 * and a pattern that matches a parent folder matches everything below it. */
const globToRegExp = (pattern: string): RegExp => {
  const segments = pattern.split('/');
  const source = segments
    .map((segment, index) => {
      if (segment === '**') return index === segments.length - 1 ? '.*' : '(?:[^/]+/)*';
      const glob = segment
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '[^/]');
      return index === segments.length - 1 ? glob : `${glob}/`;
    })
    .join('');
  return new RegExp(`^${source}$`);
};

const isIgnored = (dockerignore: string, path: string): boolean => {
  const candidates = path.split('/').map((_, index, parts) => parts.slice(0, index + 1).join('/'));
  let ignored = false;
  for (const line of dockerignore.split('\n').map((l) => l.trim())) {
    if (line === '' || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    const pattern = globToRegExp((negated ? line.slice(1) : line).replace(/\/+$/, ''));
    if (candidates.some((candidate) => pattern.test(candidate))) ignored = !negated;
  }
  return ignored;
};

const mustStayOutOfContext = [
  '.git',
  'node_modules',
  '.data',
  '.env',
  'apps/links/test/dockerfile.test.ts',
  'apps/links/dist',
  'apps/links/node_modules',
  'apps/links/src/app.test.ts',
  'deploy/dev/rollout.yaml',
  'infra/terraform/main.tf',
  'compose/secrets/session-secret',
  'e2e/browser/journey.test.ts',
];

const digestPinned = /@sha256:[0-9a-f]{64}$/;
const node24Runtime = /^(gcr\.io\/distroless\/nodejs24-debian1\d(:[a-z]+)?|node:24[.\w-]*-slim)@/;
const requiredLabels = ['title', 'description', 'source', 'revision', 'created'].map(
  (name) => `org.opencontainers.image.${name}`,
);
const runtimeCopies = ['./dist', './migrations', './node_modules', './package.json'];

/** Every way the Dockerfile (with its .dockerignore and the repository) breaks the contract, as messages. */
const findings = ({ dockerfile, dockerignore, exists, scripts }: Inputs): string[] => {
  const problems: string[] = [];
  const stages = stagesOf(dockerfile);
  const runtime = stages.at(-1);
  if (!runtime) return ['no FROM'];
  const stageNames = new Set(stages.map((stage) => stage.name));

  for (const stage of stages) {
    if (!stageNames.has(stage.image) && !digestPinned.test(stage.image)) {
      problems.push(`FROM ${stage.image} is not pinned by digest`);
    }
    for (const copy of ofKind(stage, 'COPY')) {
      if (copyFrom(copy) !== undefined) continue;
      for (const source of words(copy).slice(0, -1)) {
        if (!exists(source)) problems.push(`COPY source ${source} does not exist`);
        else if (isIgnored(dockerignore, source))
          problems.push(`COPY source ${source} is excluded by .dockerignore`);
      }
    }
    if (ofKind(stage, 'ADD').length > 0) problems.push(`stage ${stage.name} uses ADD (use COPY)`);
  }

  if (!node24Runtime.test(runtime.image))
    problems.push(`runtime base ${runtime.image} is not a Node 24 slim/distroless image`);
  if (ofKind(runtime, 'RUN').length > 0)
    problems.push('the runtime stage runs commands (it must only copy artefacts)');
  if (ofKind(runtime, 'ENTRYPOINT').length > 0)
    problems.push('the runtime stage overrides the base entrypoint (node)');
  if (ofKind(runtime, 'USER').at(-1)?.getArgumentsContent() !== '10001:10001') {
    problems.push('the runtime stage must end as USER 10001:10001');
  }
  if (ofKind(runtime, 'WORKDIR').at(-1)?.getArgumentsContent() !== '/app')
    problems.push('the runtime WORKDIR must be /app');
  // The service binds loopback by default (a dev server); in a container it must answer other hosts.
  const env = ofKind(runtime, 'ENV').flatMap(words);
  if (!env.includes('HOST=0.0.0.0')) problems.push('the runtime stage must set HOST=0.0.0.0');
  const cmd = ofKind(runtime, 'CMD').at(-1)?.getArgumentsContent()?.replace(/\s+/g, '');
  if (cmd !== '["dist/main.js"]') problems.push('the runtime CMD must be ["dist/main.js"] (exec form)');

  const destinations = ofKind(runtime, 'COPY').map((copy) => words(copy).at(-1) ?? '');
  if (JSON.stringify([...destinations].sort()) !== JSON.stringify(runtimeCopies)) {
    problems.push(
      `the runtime stage copies ${destinations.join(', ')}; expected exactly ${runtimeCopies.join(', ')}`,
    );
  }
  const stageRunning = (instruction: Instruction | undefined): Stage | undefined =>
    stages.find((stage) => stage.name === (instruction && copyFrom(instruction)));
  const copyOf = (destination: string) =>
    ofKind(runtime, 'COPY').find((copy) => words(copy).at(-1) === destination);
  const depsRuns = ofKind(stageRunning(copyOf('./node_modules')) ?? runtime, 'RUN').map((run) =>
    words(run).join(' '),
  );
  if (!depsRuns.some((run) => /\bnpm ci\b.*--omit=dev/.test(run))) {
    problems.push('node_modules must come from a stage that runs `npm ci --omit=dev`');
  }
  const npmScripts = ofKind(stageRunning(copyOf('./dist')) ?? runtime, 'RUN').flatMap((run) =>
    words(run).flatMap((word, i, all) =>
      word === 'npm' && all[i + 1] === 'run' ? all.slice(i + 2, i + 3) : [],
    ),
  );
  if (npmScripts.length === 0) problems.push('dist must come from a stage that runs `npm run <script>`');
  for (const script of npmScripts) {
    if (!(script in scripts))
      problems.push(`the build stage runs npm script "${script}", which @runway/links lacks`);
  }

  const labels = new Set(
    runtime.instructions.flatMap((i) =>
      i instanceof Label ? i.getProperties().map((p) => p.getName()) : [],
    ),
  );
  for (const label of requiredLabels) if (!labels.has(label)) problems.push(`label ${label} is missing`);

  for (const path of mustStayOutOfContext) {
    if (!isIgnored(dockerignore, path)) problems.push(`${path} would enter the build context`);
  }
  return problems;
};

/** The package a bare import specifier names: `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
const packageOf = (specifier: string): string =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

/**
 * Packages the compiled code loads at run time that `dependencies` does not declare: the image installs only
 * those (`npm ci --omit=dev`), so such an import works in the repository and crashes in the container.
 * `import type` vanishes at compile time; `import { type X }` does not (verbatimModuleSyntax keeps the import).
 */
const undeclaredRuntimeImports = (
  sources: readonly string[],
  dependencies: ReadonlySet<string>,
): string[] => {
  const imports =
    /^\s*(?:import|export)\s+(?!type\s)[^;]*?\sfrom\s+'([^']+)'|^\s*import\s+'([^']+)'|\bimport\('([^']+)'\)/gm;
  const packages = sources.flatMap((source) =>
    [...source.matchAll(imports)]
      .map((match) => match[1] ?? match[2] ?? match[3] ?? '')
      .filter((specifier) => !specifier.startsWith('.') && !specifier.startsWith('node:'))
      .map(packageOf),
  );
  return [...new Set(packages)].filter((name) => !dependencies.has(name)).sort();
};

const linksSources = readdirSync(join(repoRoot, 'apps/links/src'), { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts'))
  .map((file) => readFileSync(join(repoRoot, 'apps/links/src', file), 'utf8'));

const broken = (edit: (text: string) => string): Inputs => ({
  ...realInputs,
  dockerfile: edit(dockerfileText),
});

describe('apps/links/Dockerfile', () => {
  it('meets the runtime contract, with a .dockerignore that admits only what the build needs', () => {
    expect(findings(realInputs)).toEqual([]);
  });

  it('builds in stages and runs distroless Node 24 as 10001, node_modules from npm ci --omit=dev', () => {
    const stages = stagesOf(dockerfileText);
    expect(stages.map((stage) => stage.name)).toEqual(['deps', 'build', 'runtime']);
    expect(stages.at(-1)?.image).toMatch(/^gcr\.io\/distroless\/nodejs24-debian12:nonroot@sha256:/);
    expect(dockerfileText).toContain('npm run build --workspace @runway/links');
    expect(linksScripts.build).toMatch(/^tsc /);
  });

  it.each([
    [
      'an unpinned base',
      (t: string) => t.replace(/(FROM node:24-bookworm-slim)@sha256:\w+/, '$1'),
      'is not pinned by digest',
    ],
    ['a root user', (t: string) => t.replace('USER 10001:10001', 'USER root'), 'USER 10001:10001'],
    [
      'a package install at run time',
      (t: string) => t.replace('ENV NODE_ENV', 'RUN apt-get install -y curl\nENV NODE_ENV'),
      'runs commands',
    ],
    ['no listen address', (t: string) => t.replace(' HOST=0.0.0.0', ''), 'HOST=0.0.0.0'],
    ['dev dependencies', (t: string) => t.replace('--omit=dev ', ''), 'npm ci --omit=dev'],
    [
      'a missing source',
      (t: string) => t.replace('COPY apps/links/migrations', 'COPY apps/links/sql'),
      'apps/links/sql does not exist',
    ],
    ['an unknown npm script', (t: string) => t.replace('npm run build', 'npm run compile'), '"compile"'],
    [
      'a shell-form CMD',
      (t: string) => t.replace('CMD ["dist/main.js"]', 'CMD node dist/main.js'),
      'exec form',
    ],
    ['a non-LTS base', (t: string) => t.replace('nodejs24-debian12', 'nodejs22-debian12'), 'not a Node 24'],
    [
      'the whole tree copied',
      (t: string) => t.replace('COPY apps/links/package.json ./package.json', 'COPY . .'),
      'expected exactly',
    ],
    [
      'a missing label',
      (t: string) => t.replace(/\s+org\.opencontainers\.image\.revision="\$\{GIT_SHA\}" \\/, ''),
      'revision is missing',
    ],
  ])('rejects %s', (_name, edit, message) => {
    expect(findings(broken(edit)).join('\n')).toContain(message);
  });

  it('rejects a .dockerignore that lets the repository in', () => {
    const open = dockerignoreText.replace(/^\*$/m, '');
    const problems = findings({ ...realInputs, dockerignore: open });
    expect(problems).toContain('.git would enter the build context');
    expect(problems).toContain('compose/secrets/session-secret would enter the build context');
  });

  it('installs every package the service imports at run time (the image has production dependencies only)', () => {
    const declared = new Set(Object.keys(linksManifest.dependencies));
    expect(linksSources.length).toBeGreaterThan(10);
    expect(undeclaredRuntimeImports(linksSources, declared)).toEqual([]);
  });

  it('notices a runtime import of a dev-only package, and ignores type-only imports', () => {
    const sources = [
      "import { parse } from 'yaml';",
      "import type { Browser } from 'playwright-core';",
      "import {\n  type Page,\n} from '@scope/dev-tool/sub';",
      "const lazy = await import('tsx');",
      "import { Type } from 'typebox';\nimport { readFile } from 'node:fs';\nimport { a } from './a.js';",
    ];
    expect(undeclaredRuntimeImports(sources, new Set(['typebox']))).toEqual([
      '@scope/dev-tool',
      'tsx',
      'yaml',
    ]);
  });

  it('rejects a COPY source that .dockerignore excludes', () => {
    const problems = findings({
      ...realInputs,
      dockerignore: `${dockerignoreText}\napps/links/migrations\n`,
    });
    expect(problems).toContain('COPY source apps/links/migrations is excluded by .dockerignore');
  });
});
