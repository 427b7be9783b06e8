/**
 * Which property changes replace a resource, from the CloudFormation resource specification
 * (generated into replacement-rules.json by scripts/write-replacement-rules.ts; never edited by hand).
 */
import rulesFile from './replacement-rules.json';

export interface ResourceRules {
  /** Property paths (`A`, `A.B`, `A.*.B`) whose change replaces the resource. */
  readonly replaces: readonly string[];
  /** Property paths whose change replaces the resource in some cases. */
  readonly mayReplace?: readonly string[];
  /** The spec marks the resource as holding data (log groups, buckets, keys, ...). */
  readonly stateful?: boolean;
}

const RESOURCES = rulesFile.resources as Record<string, ResourceRules>;

/** The spec package and version the rules come from. */
export const RULES_SOURCE: string = rulesFile.source;

/** The rules of a resource type, or undefined when the type is outside the namespaces the rules cover. */
export function rulesFor(type: string): ResourceRules | undefined {
  return RESOURCES[type];
}

/**
 * The property that holds a resource's physical name: a replacement-forcing top-level property named
 * `Name` or `<Something>Name` (`LogGroupName`, `AlarmName`, ...). Giving it a value is what makes the
 * resource custom-named: CloudFormation then cannot create the replacement beside the old one.
 */
export function namePropertiesOf(type: string): string[] {
  return (rulesFor(type)?.replaces ?? []).filter((p) => !p.includes('.') && /Name$/.test(p));
}

/** Whether a property path matches a rule path (`*` matches any list index or map key). */
export function pathMatches(rule: string, path: readonly string[]): boolean {
  const parts = rule.split('.');
  if (parts.length > path.length) return false;
  return parts.every((p, i) => p === '*' || p === path[i]);
}
