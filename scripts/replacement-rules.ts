/**
 * Builds the replacement rules the library ships (lib/service-map/replacement-rules.json) from the
 * CloudFormation resource specification as aws-cdk-lib itself is generated from it
 * (`@aws-cdk/aws-service-spec`, a devDependency: the library never loads it at run time).
 *
 * For every resource type of the CloudFormation namespaces below: the property paths whose change
 * replaces the resource (`replaces`), those that replace it only in some cases (`mayReplace`), and
 * whether the spec calls the resource stateful. A nested path (`A.B`, `A.*.B` through lists and maps)
 * is listed only where its top-level property does not already replace the resource.
 */
import { loadAwsServiceSpecSync } from '@aws-cdk/aws-service-spec';

/**
 * The namespaces of every resource the gateway synthesizes (a test fails when a template holds a
 * type from another one), plus S3 and KMS, which the diff names as stateful.
 */
export const NAMESPACES = [
  'AWS::ApiGateway',
  'AWS::ApiGatewayV2',
  'AWS::ApplicationAutoScaling',
  'AWS::CertificateManager',
  'AWS::CloudFormation',
  'AWS::CloudWatch',
  'AWS::EC2',
  'AWS::ECS',
  'AWS::ElasticLoadBalancingV2',
  'AWS::IAM',
  'AWS::KMS',
  'AWS::Lambda',
  'AWS::Logs',
  'AWS::Route53',
  'AWS::S3',
  'AWS::SecretsManager',
  'AWS::SNS',
  'AWS::SSM',
  'AWS::WAFv2',
] as const;

export interface ResourceRules {
  readonly replaces: string[];
  readonly mayReplace?: string[];
  readonly stateful?: true;
}

export interface ReplacementRules {
  /** The spec package and version the rules were read from. */
  readonly source: string;
  readonly namespaces: readonly string[];
  readonly resources: Record<string, ResourceRules>;
}

type SpecType = { type: string; element?: SpecType; types?: SpecType[]; reference?: { $ref: string } };
type SpecProperty = { type: SpecType; causesReplacement?: 'yes' | 'no' | 'maybe' };

export function replacementRulesFromSpec(): ReplacementRules {
  const db = loadAwsServiceSpecSync();
  const version = (require('@aws-cdk/aws-service-spec/package.json') as { version: string }).version;
  const resources: Record<string, ResourceRules> = {};

  const collect = (props: Record<string, SpecProperty>, path: string[], seen: ReadonlySet<string>, yes: string[], maybe: string[]): void => {
    for (const [name, p] of Object.entries(props)) {
      const here = [...path, name];
      if (p.causesReplacement === 'yes') yes.push(here.join('.'));
      else if (p.causesReplacement === 'maybe') maybe.push(here.join('.'));
      else nested(p.type, here, seen, yes, maybe);
    }
  };
  const nested = (type: SpecType, path: string[], seen: ReadonlySet<string>, yes: string[], maybe: string[]): void => {
    if (type.type === 'array' || type.type === 'map') return nested(type.element!, [...path, '*'], seen, yes, maybe);
    if (type.type === 'union') return type.types!.forEach((t) => nested(t, path, seen, yes, maybe));
    if (type.type !== 'ref' || seen.has(type.reference!.$ref)) return;
    const def = db.get('typeDefinition', type.reference!.$ref);
    collect(def.properties as Record<string, SpecProperty>, path, new Set([...seen, type.reference!.$ref]), yes, maybe);
  };

  const types = db
    .all('resource')
    .filter((r) => NAMESPACES.some((ns) => r.cloudFormationType.startsWith(`${ns}::`)))
    .sort((a, b) => (a.cloudFormationType < b.cloudFormationType ? -1 : 1));
  for (const r of types) {
    const yes: string[] = [];
    const maybe: string[] = [];
    collect(r.properties as Record<string, SpecProperty>, [], new Set(), yes, maybe);
    for (const path of r.additionalReplacementProperties ?? []) yes.push(path.join('.'));
    const sorted = (xs: string[]) => [...new Set(xs)].sort();
    resources[r.cloudFormationType] = {
      replaces: sorted(yes),
      ...(maybe.length ? { mayReplace: sorted(maybe) } : {}),
      ...(r.isStateful ? { stateful: true as const } : {}),
    };
  }
  return { source: `@aws-cdk/aws-service-spec@${version}`, namespaces: [...NAMESPACES], resources };
}

/** The file's text: one resource per line, so a spec upgrade reads as a short diff. */
export function replacementRulesText(rules: ReplacementRules): string {
  const lines = Object.entries(rules.resources).map(([type, r]) => `    ${JSON.stringify(type)}: ${JSON.stringify(r)}`);
  return `{\n  "source": ${JSON.stringify(rules.source)},\n  "namespaces": ${JSON.stringify(rules.namespaces)},\n  "resources": {\n${lines.join(',\n')}\n  }\n}\n`;
}
