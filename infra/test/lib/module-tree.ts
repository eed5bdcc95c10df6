import type { HclBlock } from './hcl-body.js';
import { isExpression } from './hcl-body.js';
import {
  childDir,
  type FileSource,
  isLocalSource,
  loadDir,
  moduleCalls,
  type TerraformDir,
  variables,
} from './terraform-dir.js';

/** One module instance as Terraform would build it from a root: its directory, and the arguments its caller passed. */
export interface ModuleInstance {
  /** `envs/prod`, `envs/prod/module.database`, ... */
  readonly address: string;
  readonly root: string;
  readonly config: TerraformDir;
  readonly caller?: { readonly instance: ModuleInstance; readonly args: HclBlock };
  readonly children: readonly ModuleInstance[];
}

export type Resolved =
  | { readonly known: true; readonly value: unknown }
  | { readonly known: false; readonly expression: string };

const VARIABLE_REFERENCE = /^\$\{var\.([A-Za-z0-9_-]+)\}$/;

const buildInstance = async (
  dir: string,
  address: string,
  root: string,
  source: FileSource,
  caller?: ModuleInstance['caller'],
): Promise<ModuleInstance> => {
  const config = await loadDir(dir, source);
  const children: ModuleInstance[] = [];
  const instance: ModuleInstance = {
    address,
    root,
    config,
    children,
    ...(caller === undefined ? {} : { caller }),
  };
  const calls = moduleCalls(config).filter((call) => isLocalSource(call.args.source));
  for (const call of calls) {
    const args = call.args;
    const path = childDir(dir, String(args.source));
    children.push(
      await buildInstance(path, `${address}/module.${call.name}`, root, source, { instance, args }),
    );
  }
  return instance;
};

/** Loads a root configuration and every local module it calls, recursively. */
export const loadModuleTree = (rootDir: string, source: FileSource): Promise<ModuleInstance> =>
  buildInstance(rootDir, rootDir, rootDir, source);

export const allInstances = (instance: ModuleInstance): ModuleInstance[] => [
  instance,
  ...instance.children.flatMap(allInstances),
];

/**
 * The value an argument has in this instance, following `var.x` to the caller's argument or the variable's default.
 * Anything else that is computed stays unknown: a policy that needs a value must then say it cannot prove it.
 */
export const resolve = (instance: ModuleInstance, value: unknown): Resolved => {
  if (!isExpression(value)) return { known: true, value };
  const name = VARIABLE_REFERENCE.exec(value)?.[1];
  if (name === undefined) return { known: false, expression: value };
  if (instance.caller !== undefined && name in instance.caller.args) {
    return resolve(instance.caller.instance, instance.caller.args[name]);
  }
  const declared = variables(instance.config).find((variable) => variable.name === name);
  if (declared === undefined || !('default' in declared.args)) return { known: false, expression: value };
  return resolve(instance, declared.args.default);
};
