/**
 * Parses a CloudFormation template body. `GetTemplate` returns the body as it was submitted: JSON for CDK
 * apps, but a stack updated by hand may hold YAML with short-form intrinsic functions (`!Ref`, `!GetAtt`).
 */
import { parse as parseYaml } from 'yaml';
import type { ScalarTag, CollectionTag } from 'yaml';
import { CannotVerifyError } from '../errors';

export interface Template {
  readonly Resources?: Record<string, TemplateResource>;
}

export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

const INTRINSICS = [
  'Base64', 'Cidr', 'FindInMap', 'GetAtt', 'GetAZs', 'ImportValue', 'Join', 'Select', 'Split', 'Sub', 'Transform',
  'And', 'Equals', 'If', 'Not', 'Or',
];

/** `!Ref X` is `{ Ref: X }`; `!GetAtt A.B` is `{ "Fn::GetAtt": ["A", "B"] }`; the rest are `Fn::<name>`. */
const CLOUDFORMATION_TAGS: Array<ScalarTag | CollectionTag> = [
  { tag: '!Ref', resolve: (value: string) => ({ Ref: value }) },
  { tag: '!Condition', resolve: (value: string) => ({ Condition: value }) },
  ...INTRINSICS.flatMap((name): Array<ScalarTag | CollectionTag> => {
    const key = `Fn::${name}`;
    return [
      { tag: `!${name}`, resolve: (value: string) => ({ [key]: name === 'GetAtt' ? splitGetAtt(value) : value }) },
      { tag: `!${name}`, collection: 'seq', resolve: (seq) => ({ [key]: seq.toJSON() }) },
      { tag: `!${name}`, collection: 'map', resolve: (map) => ({ [key]: map.toJSON() }) },
    ];
  }),
];

function splitGetAtt(value: string): string[] {
  const dot = value.indexOf('.');
  return dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)];
}

/** Parses a JSON or YAML template body. */
export function parseTemplate(body: string, source: string): Template {
  let parsed: unknown;
  try {
    parsed = body.trimStart().startsWith('{') ? JSON.parse(body) : parseYaml(body, { customTags: CLOUDFORMATION_TAGS, logLevel: 'error' });
  } catch (err) {
    throw new CannotVerifyError(`The template of ${source} is neither valid JSON nor valid YAML: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CannotVerifyError(`The template of ${source} is not a CloudFormation template (expected an object with Resources)`);
  }
  return parsed as Template;
}
