import type { TerraformRepository } from '../repository.js';
import type { Located, TerraformDir } from '../terraform-dir.js';
import { variables } from '../terraform-dir.js';
import { type Finding, finding, type TerraformPolicy } from './policy.js';

const ID = 'terraform/documented-interface';

const outputs = (dir: TerraformDir): Located<Record<string, unknown>>[] =>
  dir.files.flatMap((file) =>
    Object.entries(file.body.output ?? {}).flatMap(([name, blocks]) =>
      blocks.map((args) => ({ file: file.path, name, args })),
    ),
  );

const hasText = (value: unknown): boolean => typeof value === 'string' && value.trim() !== '';

/** A module's variables and outputs are its API: each says what it is, and each variable has a type. */
export const documentedInterfacePolicy: TerraformPolicy = {
  id: ID,
  check: (repository: TerraformRepository): Finding[] =>
    repository.dirs.flatMap((dir) => [
      ...variables(dir).flatMap((variable) => [
        ...(hasText(variable.args.description)
          ? []
          : [finding(ID, variable.file, `variable.${variable.name}`, 'needs a description')]),
        ...('type' in variable.args
          ? []
          : [finding(ID, variable.file, `variable.${variable.name}`, 'needs a type')]),
      ]),
      ...outputs(dir).flatMap((output) =>
        hasText(output.args.description)
          ? []
          : [finding(ID, output.file, `output.${output.name}`, 'needs a description')],
      ),
    ]),
};
