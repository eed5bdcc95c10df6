import { type Static, Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { parse } from 'yaml';

const StringMap = Type.Record(Type.String(), Type.String());

export const AlertingRule = Type.Object(
  {
    alert: Type.String({ minLength: 1 }),
    expr: Type.String({ minLength: 1 }),
    for: Type.Optional(Type.String()),
    labels: Type.Optional(StringMap),
    annotations: Type.Optional(StringMap),
  },
  { additionalProperties: false },
);
export type AlertingRule = Static<typeof AlertingRule>;

export const RecordingRule = Type.Object(
  {
    record: Type.String({ minLength: 1 }),
    expr: Type.String({ minLength: 1 }),
    labels: Type.Optional(StringMap),
  },
  { additionalProperties: false },
);
export type RecordingRule = Static<typeof RecordingRule>;

export const RuleFile = Type.Object(
  {
    groups: Type.Array(
      Type.Object(
        {
          name: Type.String({ minLength: 1 }),
          interval: Type.Optional(Type.String()),
          rules: Type.Array(Type.Union([AlertingRule, RecordingRule])),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type RuleFile = Static<typeof RuleFile>;
export type Rule = RuleFile['groups'][number]['rules'][number];

const checkRuleFile = Compile(RuleFile);

/** Parses a Prometheus rule file (`groups:`); throws with every schema problem listed. */
export const parseRuleFile = (text: string): RuleFile => {
  const data: unknown = parse(text);
  if (!checkRuleFile.Check(data)) {
    const problems = [...checkRuleFile.Errors(data)].map(
      (error) => `${error.instancePath || '/'} ${error.message}`,
    );
    throw new Error(`not a Prometheus rule file: ${problems.join('; ')}`);
  }
  return data;
};

export const isAlertingRule = (rule: Rule): rule is AlertingRule => 'alert' in rule;

export const allRules = (file: RuleFile): Rule[] => file.groups.flatMap((group) => group.rules);
