import { type Static, Type } from 'typebox';
import { Compile } from 'typebox/compile';
import pinned from '../../data/pinned-modules.json' with { type: 'json' };
import { parseType, typeProblems } from '../module-interface.js';
import { REGISTRY_MODULES } from '../pinned-modules.js';
import type { TerraformRepository } from '../repository.js';
import { moduleCalls, type TerraformDir } from '../terraform-dir.js';
import { type Finding, finding, type TerraformPolicy } from './policy.js';

const ID = 'terraform/module-interface';

/** Meta-arguments Terraform itself takes on a module call: never a variable of the module. */
const META_ARGUMENTS = new Set(['source', 'version', 'providers', 'count', 'for_each', 'depends_on']);

const PinnedModules = Type.Object({
  modules: Type.Array(
    Type.Object({
      source: Type.String(),
      version: Type.String(),
      from: Type.Object({ repository: Type.String(), tag: Type.String(), files: Type.Array(Type.String()) }),
      variables: Type.Record(Type.String(), Type.String()),
      outputs: Type.Array(Type.String()),
    }),
  ),
});
type PinnedModule = Static<typeof PinnedModules>['modules'][number];

const loadPinned = (data: unknown): readonly PinnedModule[] => {
  const checker = Compile(PinnedModules);
  if (!checker.Check(data)) throw new Error('infra/test/data/pinned-modules.json does not match its schema');
  return data.modules;
};

/**
 * The declared interface of each pinned module, read from its repository at the release tag
 * (infra/test/data/pinned-modules.json, written by infra/test/tools/extract-module-interface.ts).
 */
const PINNED = loadPinned(pinned);

const interfaceOf = (source: unknown, version: unknown): PinnedModule | undefined =>
  PINNED.find((module) => module.source === source && module.version === version);

const argumentFindings = (dir: TerraformDir): Finding[] =>
  moduleCalls(dir).flatMap((call) => {
    const declared = interfaceOf(call.args.source, call.args.version);
    if (declared === undefined) return [];
    const where = `module.${call.name}`;
    const of = `${declared.source} ${declared.from.tag}`;
    return Object.entries(call.args)
      .filter(([name]) => !META_ARGUMENTS.has(name))
      .flatMap(([name, value]) => {
        const type = declared.variables[name];
        if (type === undefined)
          return [finding(ID, call.file, `${where}.${name}`, `not a variable of ${of}`)];
        return typeProblems(value, parseType(type), `${where}.${name}`).map((problem) =>
          finding(ID, call.file, problem.path, `${problem.message} (${of}: ${type})`),
        );
      });
  });

const OUTPUT_REFERENCE = /\bmodule\.([A-Za-z0-9_-]+)(?:\[[^\]]*\])?\.([A-Za-z0-9_]+)/g;

const outputFindings = (dir: TerraformDir): Finding[] => {
  const calls = new Map(
    moduleCalls(dir).map((call) => [call.name, interfaceOf(call.args.source, call.args.version)]),
  );
  return dir.files.flatMap((file) =>
    [...file.text.matchAll(OUTPUT_REFERENCE)].flatMap(([reference, name = '', output = '']) => {
      const declared = calls.get(name);
      return declared === undefined || declared.outputs.includes(output)
        ? []
        : [finding(ID, file.path, reference, `not an output of ${declared.source} ${declared.from.tag}`)];
    }),
  );
};

const unknownVersions = (dir: TerraformDir): Finding[] =>
  moduleCalls(dir)
    .filter(
      (call) =>
        // A missing or ranged version is terraform/module-pinned's finding; an exact one must be recorded here.
        typeof call.args.version === 'string' &&
        /^\d+\.\d+\.\d+$/.test(call.args.version) &&
        REGISTRY_MODULES.some((module) => module.source === call.args.source) &&
        interfaceOf(call.args.source, call.args.version) === undefined,
    )
    .map((call) =>
      finding(
        ID,
        call.file,
        `module.${call.name}`,
        `${String(call.args.source)} ${String(call.args.version)} has no recorded interface: add it to infra/test/lib/pinned-modules.ts and rerun infra/test/tools/extract-module-interface.ts`,
      ),
    );

/** Every argument passed to a pinned registry module is one of its variables, of its type, and every output read exists. */
export const moduleInterfacePolicy: TerraformPolicy = {
  id: ID,
  check: (repository: TerraformRepository) =>
    repository.dirs.flatMap((dir) => [
      ...unknownVersions(dir),
      ...argumentFindings(dir),
      ...outputFindings(dir),
    ]),
};
