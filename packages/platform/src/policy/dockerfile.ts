import { Add, Arg, DockerfileParser, Env, From, type Instruction } from 'dockerfile-ast';
import type { Finding } from './finding.js';
import { pipeToShellLines } from './pipe-to-shell.js';

/**
 * Dockerfile policy: pure text in, findings out. Every image starts from bases pinned by digest (a tag can move
 * under you), does not run as root, carries no secrets in ARG/ENV (both are visible in `docker history` and the
 * image config), and runs no unverified download (`curl | sh`, `ADD <url>` without `--checksum`). A service
 * image (what the platform deploys) also builds in stages (toolchains stay out of the runtime image), keeps
 * package managers out of the final stage, and runs as the platform's numeric uid (so Kubernetes
 * `runAsNonRoot` can verify it); a support image (a local git server, a CI tool) may use a named user.
 */
export type ImageKind = 'service' | 'support';

export const RUNTIME_UID = '10001';

const SECRET_NAME =
  /(secret|passw(or)?d|passwd|pwd|token|api_?key|apikey|private_?key|credential|access_?key|signing_?key|(^|_)auth($|_)|(^|_)pat$|(^|_)dsn$)/i;
/** Where a secret is, or something about it (`TOKEN_URL`, `DB_PASSWORD_FILE`), not the secret. */
const NOT_A_SECRET_NAME =
  /_(URL|URI|FILE|PATH|DIR|NAME|ID|TTL|TYPE|HEADER|ENDPOINT|HOST|PORT|VERSION|LENGTH)$/i;
/** A database or broker URL carries its password (`postgres://user:password@…`), whatever its suffix says. */
const CREDENTIAL_URL_NAME =
  /(^|_)(DATABASE|DB|POSTGRES(QL)?|PG|MYSQL|MARIADB|MONGO(DB)?|REDIS|AMQP|RABBITMQ|BROKER)_(URL|URI)$|CONNECTION_?STRING/i;
const CREDENTIALS_IN_URL = /:\/\/[^/@\s]*:[^/@\s]+@|(password|pwd)=/i;
const REMOTE_SOURCE = /^(https?|ftp):\/\/|^git@|\.git(#|$)/i;
const PACKAGE_MANAGER_INSTALL =
  /\b(apt-get|apt|apk|yum|dnf|microdnf|zypper)\s+(install|add)\b|\bnpm\s+(install|i|ci)\b|\bpip3?\s+install\b/;
/** Base image families that ship no package manager in the runtime image. */
const MINIMAL_BASES = [/^scratch$/, /(^|\/)distroless\//, /^cgr\.dev\/chainguard\//, /^dhi\.io\//];

interface Stage {
  readonly from: From;
  readonly name: string | null;
  readonly instructions: readonly Instruction[];
}

const lineOf = (instruction: Instruction): string => `line ${instruction.getRange().start.line + 1}`;

const splitStages = (instructions: readonly Instruction[]): { globalArgs: Arg[]; stages: Stage[] } => {
  const globalArgs: Arg[] = [];
  const stages: { from: From; name: string | null; instructions: Instruction[] }[] = [];
  for (const instruction of instructions) {
    if (instruction instanceof From) {
      stages.push({ from: instruction, name: instruction.getBuildStage(), instructions: [] });
    } else if (stages.length === 0) {
      if (instruction instanceof Arg) globalArgs.push(instruction);
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return { globalArgs, stages };
};

/** Resolves `${NAME}` / `$NAME` in a FROM image from the global ARG defaults. */
const resolveImage = (image: string, globalArgs: readonly Arg[]): string => {
  const defaults = new Map<string, string>();
  for (const arg of globalArgs) {
    for (const property of arg.getProperties()) {
      const value = property.getValue();
      if (value !== null) defaults.set(property.getName(), value);
    }
  }
  return image.replace(
    /\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g,
    (match, name: string) => defaults.get(name) ?? match,
  );
};

const checkBases = (target: string, stages: readonly Stage[], globalArgs: readonly Arg[]): Finding[] => {
  const stageNames = new Set<string>();
  const findings: Finding[] = [];
  for (const stage of stages) {
    const image = resolveImage(stage.from.getImage() ?? '', globalArgs);
    const isStageReference = stageNames.has(image.toLowerCase());
    if (!isStageReference && image !== 'scratch' && !/@sha256:[a-f0-9]{64}$/.test(image)) {
      findings.push({
        policy: 'dockerfile/base-pinned-by-digest',
        severity: 'error',
        target,
        path: lineOf(stage.from),
        message: `base image "${image}" is not pinned by digest: use ${image.split('@')[0]}@sha256:<digest> (a tag can move)`,
      });
    }
    if (stage.name) stageNames.add(stage.name.toLowerCase());
  }
  return findings;
};

const checkUser = (target: string, final: Stage, kind: ImageKind): Finding[] => {
  const users = final.instructions.filter((instruction) => instruction.getKeyword() === 'USER');
  const last = users.at(-1);
  if (!last) {
    return [
      {
        policy: 'dockerfile/non-root-user',
        severity: 'error',
        target,
        path: lineOf(final.from),
        message: `the final stage has no USER: it runs as root; add "USER ${RUNTIME_UID}:${RUNTIME_UID}"`,
      },
    ];
  }
  const user = (last.getArgumentsContent() ?? '').trim();
  const [uid] = user.split(':');
  if (uid === RUNTIME_UID) return [];
  const isRoot = uid === '0' || uid === 'root' || /^\$/.test(uid ?? '');
  if (kind === 'support' && !isRoot) return [];
  const why =
    uid === '0' || uid === 'root'
      ? 'runs as root'
      : /^\d+$/.test(uid ?? '')
        ? `uses uid ${uid}, not the platform's ${RUNTIME_UID}`
        : 'is a name, which Kubernetes runAsNonRoot cannot verify';
  return [
    {
      policy: 'dockerfile/non-root-user',
      severity: 'error',
      target,
      path: lineOf(last),
      message: `"USER ${user}" ${why}; use "USER ${RUNTIME_UID}:${RUNTIME_UID}"`,
    },
  ];
};

const checkSecrets = (target: string, instructions: readonly Instruction[]): Finding[] =>
  instructions.flatMap((instruction) => {
    if (!(instruction instanceof Arg || instruction instanceof Env)) return [];
    return instruction
      .getProperties()
      .filter((property) => {
        const name = property.getName();
        if (CREDENTIAL_URL_NAME.test(name)) {
          // Passed in at build time, or written with its password: `redis://cache:6379` alone opens nothing.
          const value = property.getValue();
          return value === null || CREDENTIALS_IN_URL.test(value);
        }
        return SECRET_NAME.test(name) && !NOT_A_SECRET_NAME.test(name);
      })
      .map(
        (property): Finding => ({
          policy: 'dockerfile/no-secrets-in-arg-env',
          severity: 'error',
          target,
          path: lineOf(instruction),
          message: `${instruction.getKeyword()} ${property.getName()} looks like a secret: build args and env are stored in the image; use a BuildKit secret mount (RUN --mount=type=secret) or runtime env`,
        }),
      );
  });

const checkFinalStagePackages = (
  target: string,
  stages: readonly Stage[],
  globalArgs: readonly Arg[],
): Finding[] => {
  const final = stages.at(-1);
  if (!final) return [];
  const installs: Finding[] = final.instructions
    .filter((instruction) => instruction.getKeyword() === 'RUN')
    .filter((instruction) => PACKAGE_MANAGER_INSTALL.test(instruction.getArgumentsContent() ?? ''))
    .map((instruction) => ({
      policy: 'dockerfile/no-package-manager-in-final-stage',
      severity: 'error',
      target,
      path: lineOf(instruction),
      message: 'the final stage installs packages: install in a build stage and COPY the result',
    }));
  const base = resolveImage(final.from.getImage() ?? '', globalArgs);
  const minimal = MINIMAL_BASES.some((pattern) => pattern.test(base));
  const isStage = stages.some((stage) => stage.name?.toLowerCase() === base.toLowerCase());
  if (minimal || isStage) return installs;
  return [
    ...installs,
    {
      policy: 'dockerfile/no-package-manager-in-final-stage',
      severity: 'warning',
      target,
      path: lineOf(final.from),
      message: `the final base "${base.split('@')[0]}" likely ships a package manager; a distroless base keeps it out of the runtime image`,
    },
  ];
};

const checkDownloads = (target: string, instructions: readonly Instruction[]): Finding[] =>
  instructions.flatMap((instruction): Finding[] => {
    const keyword = instruction.getKeyword();
    const args = instruction.getArgumentsContent() ?? '';
    if (keyword === 'RUN' && pipeToShellLines(args).length > 0) {
      return [
        {
          policy: 'dockerfile/curl-pipe-shell',
          severity: 'error',
          target,
          path: lineOf(instruction),
          message:
            'RUN pipes a download into a shell: whoever controls the URL controls the image; download a pinned release, verify its checksum, then run it',
        },
      ];
    }
    const words = args.split(/\s+/).filter(Boolean);
    const sources = words.filter((word) => !word.startsWith('--')).slice(0, -1);
    // dockerfile-ast keeps flags apart from the arguments: `--checksum` is one of the instruction's flags.
    const checksummed =
      instruction instanceof Add && instruction.getFlags().some((flag) => flag.getName() === 'checksum');
    if (keyword === 'ADD' && sources.some((word) => REMOTE_SOURCE.test(word)) && !checksummed) {
      return [
        {
          policy: 'dockerfile/add-remote',
          severity: 'error',
          target,
          path: lineOf(instruction),
          message:
            'ADD fetches a URL or git repository without --checksum: the content can change under the same URL; add --checksum=sha256:<digest> or download and verify in a RUN',
        },
      ];
    }
    return [];
  });

export const checkDockerfile = (target: string, content: string, kind: ImageKind = 'service'): Finding[] => {
  const instructions = DockerfileParser.parse(content).getInstructions();
  const { globalArgs, stages } = splitStages(instructions);
  const final = stages.at(-1);
  if (!final) {
    return [
      {
        policy: 'dockerfile/syntax',
        severity: 'error',
        target,
        path: 'line 1',
        message: 'no FROM instruction',
      },
    ];
  }
  const multiStage: Finding[] =
    kind === 'service' && stages.length < 2
      ? [
          {
            policy: 'dockerfile/multi-stage',
            severity: 'error',
            target,
            path: lineOf(final.from),
            message:
              'single-stage build: build in one stage and copy only the runtime output into a final stage',
          },
        ]
      : [];
  return [
    ...multiStage,
    ...checkBases(target, stages, globalArgs),
    ...checkUser(target, final, kind),
    ...checkSecrets(target, instructions),
    ...checkDownloads(target, instructions),
    ...(kind === 'service' ? checkFinalStagePackages(target, stages, globalArgs) : []),
  ];
};
