/**
 * What deploying one gateway template over another does, resource by resource: pure functions of the
 * two templates (and their nested stacks), judged with the CloudFormation spec's replacement rules.
 */
import { effectiveAuth, rateRuleService } from '../service-map/conventions';
import { decodeRecordedMap, RECORD_KEY, type GatewayRecord } from '../recorded-map';
import type { ResolvedServiceMap } from '../service-map/schema';
import { namePropertiesOf, rulesFor } from '../service-map/resource-rules';
import type { CfnResource, StackTemplate } from './templates';

/**
 * Resources whose replacement breaks clients though the spec does not call them stateful: a new API
 * key has a new value, a new usage plan starts its quotas and key associations afresh.
 */
const CLIENT_FACING: Record<string, string> = {
  'AWS::ApiGateway::ApiKey': 'clients get a new key value',
  'AWS::ApiGateway::UsagePlan': 'quota counters and key associations start afresh',
};

export type EntryKind = 'added' | 'changed' | 'replaced' | 'removed';

export interface ResourceChange {
  readonly kind: EntryKind;
  readonly service: string;
  readonly type: string;
  /** `<nested stack logical id>/.../<logical id>`. */
  readonly key: string;
  /** Changed property paths; for a replacement, the ones that force it (or why). */
  readonly details: readonly string[];
}

export type FindingKind = 'cannot-replace' | 'stateful' | 'client-facing' | 'priority' | 'waf-reset' | 'renamed';

export interface Finding {
  readonly kind: FindingKind;
  readonly service: string;
  readonly message: string;
  /** True when deploying would fail, lose data, break clients, or change behaviour by surprise. */
  readonly unsafe: boolean;
}

export interface ChangeReport {
  readonly changes: readonly ResourceChange[];
  readonly findings: readonly Finding[];
  readonly safe: boolean;
}

interface Scope {
  readonly prefix: string;
  readonly stack: StackTemplate;
  readonly parent?: { readonly scope: Scope; readonly logicalId: string };
}

interface Flat {
  readonly key: string;
  readonly logicalId: string;
  readonly resource: CfnResource;
  readonly scope: Scope;
}

/** Every resource of a stack and its nested stacks, keyed by its path of logical ids. */
export function flattenStack(stack: StackTemplate): Map<string, Flat> {
  const out = new Map<string, Flat>();
  const walk = (scope: Scope) => {
    for (const [logicalId, resource] of Object.entries(scope.stack.template.Resources ?? {})) {
      if (resource.Type === 'AWS::CDK::Metadata') continue;
      out.set(`${scope.prefix}${logicalId}`, { key: `${scope.prefix}${logicalId}`, logicalId, resource, scope });
    }
    for (const [logicalId, nested] of scope.stack.nested) walk({ prefix: `${scope.prefix}${logicalId}/`, stack: nested, parent: { scope, logicalId } });
  };
  walk({ prefix: '', stack });
  return out;
}

/**
 * A value with references made comparable across templates: a `Ref` or `Fn::GetAtt` to a resource
 * becomes `{ "@ref": key }`, and a nested stack's parameter becomes what its parent passes in.
 */
export function canonical(value: unknown, scope: Scope): unknown {
  if (Array.isArray(value)) return value.map((v) => canonical(v, scope));
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Fn::GetAtt')) {
    const [target, attr] = keys[0] === 'Ref' ? [obj.Ref as string, undefined] : (obj['Fn::GetAtt'] as [string, string]);
    if (keys[0] === 'Ref' && scope.stack.template.Parameters?.[target] !== undefined && scope.parent) {
      const passed = (scope.parent.scope.stack.template.Resources?.[scope.parent.logicalId]?.Properties?.Parameters as Record<string, unknown> | undefined)?.[target];
      if (passed !== undefined) return canonical(passed, scope.parent.scope);
    }
    if (typeof target === 'string' && scope.stack.template.Resources?.[target]) return attr ? { '@ref': `${scope.prefix}${target}`, '@attr': attr } : { '@ref': `${scope.prefix}${target}` };
  }
  return Object.fromEntries(keys.map((k) => [k, canonical(obj[k], scope)]));
}

/** Property paths where two values differ (a list whose length changed differs as a whole). */
export function differingPaths(a: unknown, b: unknown, path: string[] = []): string[][] {
  const isObj = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    return [...new Set([...Object.keys(ao), ...Object.keys(bo)])].sort().flatMap((k) => differingPaths(ao[k], bo[k], [...path, k]));
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) return a.flatMap((v, i) => differingPaths(v, b[i], [...path, String(i)]));
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [path];
}

/** Whether a changed path and a rule path (`*` for any index or key) touch the same property. */
export function overlaps(rule: string, path: readonly string[]): boolean {
  const parts = rule.split('.');
  const n = Math.min(parts.length, path.length);
  for (let i = 0; i < n; i++) if (parts[i] !== '*' && parts[i] !== path[i]) return false;
  return true;
}

/** Every `@ref` key a canonical value holds, with the property path where it sits. */
function refsIn(value: unknown, path: string[] = []): Array<[string, string[]]> {
  if (Array.isArray(value)) return value.flatMap((v, i) => refsIn(v, [...path, String(i)]));
  if (value === null || typeof value !== 'object') return [];
  const obj = value as Record<string, unknown>;
  if (typeof obj['@ref'] === 'string') return [[obj['@ref'], path]];
  return Object.entries(obj).flatMap(([k, v]) => refsIn(v, [...path, k]));
}

/** The service a resource belongs to: services live in nested stacks under a construct named after them. */
export function serviceOf(flat: Pick<Flat, 'logicalId' | 'scope'>, services: readonly string[]): string {
  if (flat.scope.prefix === '') return 'gateway';
  let best = '';
  for (const s of services) {
    const id = s.replace(/[^A-Za-z0-9]/g, '');
    if (flat.logicalId.startsWith(id) && id.length > best.replace(/[^A-Za-z0-9]/g, '').length) best = s;
  }
  return best || 'gateway';
}

/**
 * Compares two gateway stacks. `services` are the service names of both maps (to group resources).
 */
export function diffStacks(before: StackTemplate, after: StackTemplate, services: readonly string[]): ChangeReport {
  const a = flattenStack(before);
  const b = flattenStack(after);
  const props = (f: Flat) => canonical(f.resource.Properties ?? {}, f.scope);
  const both = [...a.keys()].filter((k) => b.has(k)).sort();
  const canonA = new Map(both.map((k) => [k, props(a.get(k)!)]));
  const canonB = new Map(both.map((k) => [k, props(b.get(k)!)]));

  // Replacements spread through references: a resource whose replacement-forcing property refers to a
  // replaced one gets a new value there, so it is replaced too. Repeat until nothing new is replaced.
  const replaced = new Map<string, string[]>();
  const changedPaths = new Map<string, string[][]>();
  for (let round = 0; round < 20; round++) {
    let grew = false;
    for (const k of both) {
      if (replaced.has(k)) continue;
      const fa = a.get(k)!;
      const fb = b.get(k)!;
      if (fa.resource.Type !== fb.resource.Type) {
        replaced.set(k, [`Type ${fa.resource.Type} -> ${fb.resource.Type}`]);
        grew = true;
        continue;
      }
      const paths = differingPaths(canonA.get(k), canonB.get(k));
      for (const [ref, path] of refsIn(canonB.get(k))) if (replaced.has(ref) || !a.has(ref)) paths.push(path);
      changedPaths.set(k, paths);
      const rules = rulesFor(fb.resource.Type);
      // A property that replaces only in some cases counts as replacing: the preview errs on the side of caution.
      const forcing = [
        ...new Set(
          paths.flatMap((p) =>
            (rules?.replaces ?? []).some((r) => overlaps(r, p)) ? [p.join('.')] : (rules?.mayReplace ?? []).some((r) => overlaps(r, p)) ? [`${p.join('.')} (may replace)`] : [],
          ),
        ),
      ];
      if (forcing.length > 0) {
        replaced.set(k, forcing);
        grew = true;
      }
    }
    if (!grew) break;
  }

  const changes: ResourceChange[] = [];
  const findings: Finding[] = [];
  const svc = (f: Flat) => serviceOf(f, services);
  const added = [...b.keys()].filter((k) => !a.has(k)).sort();
  const removed = [...a.keys()].filter((k) => !b.has(k)).sort();

  // A logical id that changes is a replacement: pair what was removed with what was added, by service and type,
  // for the types whose replacement matters (named, stateful or client-facing: a usage plan renamed in the map
  // is a new plan, its keys' quota counters start afresh).
  const renamedTo = new Map<string, string>();
  const unpaired = new Set(added);
  const pairable = (type: string) => namePropertiesOf(type).length > 0 || !!rulesFor(type)?.stateful || CLIENT_FACING[type] !== undefined;
  for (const k of removed) {
    const fa = a.get(k)!;
    const match = [...unpaired].find((n) => b.get(n)!.resource.Type === fa.resource.Type && svc(b.get(n)!) === svc(fa) && pairable(fa.resource.Type));
    if (match) {
      renamedTo.set(k, match);
      unpaired.delete(match);
    }
  }

  for (const k of added) if (unpaired.has(k)) changes.push({ kind: 'added', service: svc(b.get(k)!), type: b.get(k)!.resource.Type, key: k, details: [] });
  for (const k of both) {
    const fb = b.get(k)!;
    if (replaced.has(k)) changes.push({ kind: 'replaced', service: svc(fb), type: fb.resource.Type, key: k, details: replaced.get(k)! });
    else if ((changedPaths.get(k) ?? []).length > 0) changes.push({ kind: 'changed', service: svc(fb), type: fb.resource.Type, key: k, details: changedPaths.get(k)!.map((p) => p.join('.')) });
  }
  for (const k of removed) {
    const fa = a.get(k)!;
    const to = renamedTo.get(k);
    if (to) changes.push({ kind: 'replaced', service: svc(fa), type: fa.resource.Type, key: to, details: [`logical id ${fa.logicalId} -> ${b.get(to)!.logicalId}`] });
    else changes.push({ kind: 'removed', service: svc(fa), type: fa.resource.Type, key: k, details: [] });
  }

  // Named and stateful resources that are replaced or removed.
  const pairs: Array<[Flat, Flat]> = [...both.filter((k) => replaced.has(k)).map((k) => [a.get(k)!, b.get(k)!] as [Flat, Flat]), ...[...renamedTo].map(([o, n]) => [a.get(o)!, b.get(n)!] as [Flat, Flat])];
  for (const [fa, fb] of pairs) findings.push(...replacementFindings(fa, fb, svc(fb), canonical(fa.resource.Properties ?? {}, fa.scope), canonical(fb.resource.Properties ?? {}, fb.scope)));
  for (const k of removed.filter((r) => !renamedTo.has(r))) {
    const fa = a.get(k)!;
    const type = fa.resource.Type;
    const kept = ['Retain', 'RetainExceptOnCreate', 'Snapshot'].includes(String(fa.resource.DeletionPolicy));
    if (rulesFor(type)?.stateful && type !== 'AWS::CloudFormation::Stack' && !kept) {
      findings.push({ kind: 'stateful', service: svc(fa), message: `${type} ${fa.logicalId} is deleted with its data (DeletionPolicy ${String(fa.resource.DeletionPolicy ?? 'Delete')})`, unsafe: true });
    }
    if (type === 'AWS::ApiGateway::ApiKey') {
      const name = literalName(canonical(fa.resource.Properties ?? {}, fa.scope), type);
      findings.push({ kind: 'client-facing', service: svc(fa), message: `${type} ${fa.logicalId}${name ? ` ("${name}")` : ''} is removed: its callers lose access`, unsafe: true });
    }
  }

  findings.push(...clientUrlFindings(a, b, replaced, renamedTo));
  const maps = [recordedMap(before), recordedMap(after)];
  if (maps[0] && maps[1]) findings.push(...clientContractFindings(maps[0], maps[1]));
  findings.push(...priorityFindings(a, b, replaced, renamedTo, svc));
  findings.push(...wafFindings(a, b, replaced, renamedTo, services));
  return { changes, findings, safe: findings.every((f) => !f.unsafe) };
}

function literalName(props: unknown, type: string): string | undefined {
  for (const p of namePropertiesOf(type)) {
    const v = (props as Record<string, unknown>)[p];
    if (typeof v === 'string') return v;
  }
  return undefined;
}

function replacementFindings(fa: Flat, fb: Flat, service: string, pa: unknown, pb: unknown): Finding[] {
  const type = fb.resource.Type;
  const out: Finding[] = [];
  const oldName = literalName(pa, type);
  const newName = literalName(pb, type);
  if (oldName !== undefined && oldName === newName) {
    out.push({ kind: 'cannot-replace', service, message: `${type} ${fb.logicalId} must be replaced but keeps its name "${newName}": CloudFormation cannot replace a custom-named resource, the update would fail`, unsafe: true });
  } else if (oldName !== undefined || newName !== undefined) {
    out.push({ kind: 'renamed', service, message: `${type} ${fb.logicalId} is replaced under a new name: "${oldName ?? '(generated)'}" -> "${newName ?? '(generated)'}"`, unsafe: false });
  }
  if (rulesFor(type)?.stateful && type !== 'AWS::CloudFormation::Stack') {
    const kept = ['Retain', 'RetainExceptOnCreate', 'Snapshot'].includes(String(fa.resource.UpdateReplacePolicy));
    out.push({ kind: 'stateful', service, message: `${type} ${fb.logicalId} is replaced: the new one starts empty${kept ? ' (the old one is retained)' : ', the old one is deleted with its data'}`, unsafe: true });
  }
  if (CLIENT_FACING[type]) out.push({ kind: 'client-facing', service, message: `${type} ${fb.logicalId} is replaced: ${CLIENT_FACING[type]}`, unsafe: true });
  return out;
}

/**
 * Listener-rule priorities, judged the way CloudFormation runs the update (as `listenerPriorityChanges` does for
 * placements): new and replacement rules are created and changed rules updated first, in no set order among
 * themselves, and removed rules (and the old copies of replaced ones) are deleted last. A rule that takes a
 * priority another rule of the same listener still holds then fails with PriorityInUse; a move to a free slot
 * is an in-place update, noted but safe.
 */
function priorityFindings(a: Map<string, Flat>, b: Map<string, Flat>, replaced: Map<string, string[]>, renamedTo: Map<string, string>, svc: (f: Flat) => string): Finding[] {
  interface Rule { readonly f: Flat; readonly listener: string; readonly priority: unknown }
  const rules = (m: Map<string, Flat>, side: 'a' | 'b'): Rule[] =>
    [...m.values()]
      .filter((f) => f.resource.Type === 'AWS::ElasticLoadBalancingV2::ListenerRule')
      .map((f) => {
        const listener = canonical(f.resource.Properties?.ListenerArn, f.scope);
        const ref = (listener as { '@ref'?: string } | undefined)?.['@ref'];
        // A replaced listener is a new one: its rules hold no priority yet.
        return { f, listener: `${JSON.stringify(listener)}${side === 'b' && ref !== undefined && replaced.has(ref) ? '#new' : ''}`, priority: f.resource.Properties?.Priority };
      });
  const before = rules(a, 'a');
  const after = rules(b, 'b');
  const afterByKey = new Map(after.map((r) => [r.f.key, r]));
  const byService = new Map<string, Rule[]>();
  for (const r of before) byService.set(svc(r.f), [...(byService.get(svc(r.f)) ?? []), r]);
  const oldKeyOf = new Map([...renamedTo].map(([o, n]) => [n, o]));
  const out: Finding[] = [];
  for (const r of after) {
    const service = svc(r.f);
    const inPlace = a.has(r.f.key) && !replaced.has(r.f.key) ? before.find((x) => x.f.key === r.f.key) : undefined;
    // The same service's rule before: the same resource, its replaced copy, or the service's only rule.
    const oldKey = oldKeyOf.get(r.f.key);
    const same = inPlace ?? before.find((x) => x.f.key === (oldKey ?? r.f.key)) ?? (service !== 'gateway' && byService.get(service)?.length === 1 ? byService.get(service)![0] : undefined);
    if (inPlace && inPlace.priority === r.priority) continue;
    // Who holds the slot when this rule is created or updated.
    const holder = before.find((x) => x !== inPlace && x.listener === r.listener && x.priority === r.priority);
    const stillThere = holder && !replaced.has(holder.f.key) ? afterByKey.get(holder.f.key) : undefined;
    const holderFate = !holder
      ? undefined
      : holder === same
        ? 'its own old rule, deleted only after the new one is created'
        : !stillThere
          ? `listener rule ${holder.f.logicalId}${svc(holder.f) === 'gateway' ? '' : ` of service ${svc(holder.f)}`}, deleted only at the end of the update`
          : stillThere.priority === holder.priority
            ? `listener rule ${holder.f.logicalId}${svc(holder.f) === 'gateway' ? '' : ` of service ${svc(holder.f)}`}, which keeps it`
            : `listener rule ${holder.f.logicalId}${svc(holder.f) === 'gateway' ? '' : ` of service ${svc(holder.f)}`}, which moves to ${String(stillThere.priority)} in the same update, in no set order`;
    const collides = holderFate
      ? ` (an update fails with PriorityInUse: priority ${String(r.priority)} is held by ${holderFate}; pin a free priority, or make the change in two deployments)`
      : '';
    if (same && same.priority !== r.priority) {
      out.push({ kind: 'priority', service, message: `listener rule ${r.f.logicalId} moves from priority ${String(same.priority)} to ${String(r.priority)}${collides || ` (priority ${String(r.priority)} is free on its listener: the rule is updated in place)`}`, unsafe: !!holderFate });
    } else if (holderFate) {
      out.push({ kind: 'priority', service, message: `listener rule ${r.f.logicalId} takes priority ${String(r.priority)}${collides}`, unsafe: true });
    }
  }
  return out;
}

interface WafRule {
  readonly Name: string;
  readonly Priority: number;
  readonly Statement: unknown;
}

/** The service a WAF rule serves (per-service rate rules carry its name), or the gateway. */
function wafRuleService(name: string, services: readonly string[]): string {
  return rateRuleService(name, services) ?? 'gateway';
}

function wafFindings(a: Map<string, Flat>, b: Map<string, Flat>, replaced: Map<string, string[]>, renamedTo: Map<string, string>, services: readonly string[]): Finding[] {
  const out: Finding[] = [];
  for (const fa of [...a.values()].filter((f) => f.resource.Type === 'AWS::WAFv2::WebACL')) {
    const newKey = b.has(fa.key) ? fa.key : renamedTo.get(fa.key);
    if (!newKey) continue;
    const fb = b.get(newKey)!;
    const rulesOf = (f: Flat) => ((canonical(f.resource.Properties?.Rules ?? [], f.scope) as WafRule[]) ?? []).filter((r) => JSON.stringify(r.Statement).includes('"RateBasedStatement"'));
    const oldRules = rulesOf(fa);
    const newRules = new Map(rulesOf(fb).map((r) => [r.Name, r]));
    const whole = replaced.has(fa.key) || newKey !== fa.key;
    for (const r of oldRules) {
      const n = newRules.get(r.Name);
      const renamed = n ? undefined : [...newRules.values()].find((x) => JSON.stringify(x.Statement) === JSON.stringify(r.Statement) && !oldRules.some((o) => o.Name === x.Name));
      const why = whole
        ? 'the web ACL is replaced'
        : n && n.Priority !== r.Priority
          ? `its priority moves ${r.Priority} -> ${n.Priority}`
          : n && JSON.stringify(n.Statement) !== JSON.stringify(r.Statement)
            ? 'its statement changes'
            : renamed
              ? `it is renamed to ${renamed.Name}`
              : undefined;
      if (why && (n || renamed || whole)) {
        out.push({ kind: 'waf-reset', service: wafRuleService(r.Name, services), message: `WAF rate rule ${r.Name}: counters reset because ${why}`, unsafe: true });
      }
    }
  }
  return out;
}

const REST_API = 'AWS::ApiGateway::RestApi';
const HTTP_API = 'AWS::ApiGatewayV2::Api';
const API_LABEL: Record<string, string> = { [REST_API]: 'REST API', [HTTP_API]: 'HTTP API' };

/** A base URL clients call, and what serves it. */
interface ClientUrl {
  readonly url: string;
  /** The API (execute-api URL) or the custom domain resource (domain URL) behind it. */
  readonly via: Flat;
  /** The stage name in an execute-api URL, the base path of a domain URL. */
  readonly path: string;
}

const refKey = (value: unknown): string | undefined => (value as { '@ref'?: unknown } | undefined)?.['@ref'] as string | undefined;

/**
 * The base URLs clients call on one side: each API's execute-api URL per stage (unless the API turns its
 * execute-api endpoint off), and each custom domain's URL per base path mapping. The API id is unknown before
 * deployment: the URL names the API resource instead, `<id of the new ...>` when that API is not the deployed one.
 */
function clientUrls(m: Map<string, Flat>, isNew: (f: Flat) => boolean): ClientUrl[] {
  const out: ClientUrl[] = [];
  const all = [...m.values()];
  const props = (f: Flat) => canonical(f.resource.Properties ?? {}, f.scope) as Record<string, unknown>;
  for (const api of all.filter((f) => f.resource.Type === REST_API || (f.resource.Type === HTTP_API && f.resource.Properties?.ProtocolType === 'HTTP'))) {
    if (api.resource.Properties?.DisableExecuteApiEndpoint === true) continue;
    const host = `https://<id of ${isNew(api) ? 'the new ' : ''}${API_LABEL[api.resource.Type]} ${api.logicalId}>.execute-api.<region>.amazonaws.com/`;
    const stageType = api.resource.Type === REST_API ? 'AWS::ApiGateway::Stage' : 'AWS::ApiGatewayV2::Stage';
    for (const stage of all.filter((f) => f.resource.Type === stageType && refKey(props(f)[api.resource.Type === REST_API ? 'RestApiId' : 'ApiId']) === api.key)) {
      const name = stage.resource.Properties?.StageName;
      if (typeof name !== 'string') continue;
      const path = name === '$default' ? '' : `${name}/`;
      out.push({ url: `${host}${path}`, via: api, path: name });
    }
  }
  const domainTypes: Record<string, [string, string]> = { 'AWS::ApiGateway::DomainName': ['AWS::ApiGateway::BasePathMapping', 'BasePath'], 'AWS::ApiGatewayV2::DomainName': ['AWS::ApiGatewayV2::ApiMapping', 'ApiMappingKey'] };
  for (const domain of all.filter((f) => domainTypes[f.resource.Type])) {
    const name = domain.resource.Properties?.DomainName;
    if (typeof name !== 'string') continue;
    const [mappingType, pathProperty] = domainTypes[domain.resource.Type];
    const mappings = all.filter((f) => f.resource.Type === mappingType && (refKey(props(f).DomainName) === domain.key || props(f).DomainName === name));
    const paths = mappings.length === 0 ? [''] : mappings.map((f) => (typeof f.resource.Properties?.[pathProperty] === 'string' ? (f.resource.Properties[pathProperty] as string) : ''));
    for (const path of paths) out.push({ url: `https://${name}/${path && path !== '(none)' ? `${path}/` : ''}`, via: domain, path });
  }
  return out;
}

/**
 * Changes to the URLs clients call: a base URL of the old gateway that the new one no longer answers (the front
 * door switched between REST and HTTP, the API replaced, the REST stage renamed, the custom domain removed,
 * renamed or added, which turns the execute-api endpoint off). Also a custom domain that moves between the REST
 * and the HTTP API resource types: both are the same Regional domain name, which exists once, and CloudFormation
 * creates the new one before it deletes the old.
 */
function clientUrlFindings(a: Map<string, Flat>, b: Map<string, Flat>, replaced: Map<string, string[]>, renamedTo: Map<string, string>): Finding[] {
  const isNew = (f: Flat) => !a.has(f.key) || a.get(f.key)!.resource.Type !== f.resource.Type || replaced.has(f.key) || [...renamedTo.values()].includes(f.key);
  const before = clientUrls(a, () => false);
  const after = clientUrls(b, isNew);
  const now = after.length === 0 ? 'it has no URL' : `it answers at ${after.map((u) => u.url).join(' and ')}`;
  const out: Finding[] = [];
  for (const old of before) {
    if (after.some((u) => u.url === old.url)) continue;
    const { via } = old;
    let why: string;
    if (via.resource.Type === REST_API || via.resource.Type === HTTP_API) {
      const kept = b.get(via.key);
      const sameApi = kept && !isNew(kept);
      const newApis = [...b.values()].filter((f) => f.resource.Type === REST_API || f.resource.Type === HTTP_API);
      why = !sameApi
        ? `the front door is a new API (${API_LABEL[via.resource.Type]} ${via.logicalId} -> ${newApis.length ? newApis.map((f) => `${API_LABEL[f.resource.Type]} ${f.logicalId}`).join(', ') : 'none'}${kept ? `, replaced: ${(replaced.get(via.key) ?? []).join(', ')}` : ''}) with a new execute-api id`
        : kept.resource.Properties?.DisableExecuteApiEndpoint === true
          ? 'the API turns its execute-api endpoint off (with a custom domain, clients call the domain only)'
          : ((stages) => (stages.length === 1 ? `the stage is renamed ${old.path} -> ${stages[0]}` : `the stage ${old.path} is gone`))(after.filter((u) => u.via.key === via.key).map((u) => u.path));
    } else {
      const name = via.resource.Properties?.DomainName as string;
      const isDomain = (u: ClientUrl) => /^AWS::ApiGateway(V2)?::DomainName$/.test(u.via.resource.Type);
      const oldNames = new Set(before.filter(isDomain).map((u) => u.via.resource.Properties?.DomainName));
      const newNames = [...new Set(after.filter(isDomain).map((u) => u.via.resource.Properties?.DomainName))].filter((n) => !oldNames.has(n));
      why = after.some((u) => u.url.startsWith(`https://${name}/`))
        ? `the custom domain no longer maps base path "${old.path}"`
        : newNames.length === 1
          ? `the custom domain is renamed ${name} -> ${String(newNames[0])}`
          : `the custom domain ${name} is removed`;
    }
    out.push({ kind: 'client-facing', service: 'gateway', message: `clients calling ${old.url} must move: ${why}; ${now}`, unsafe: true });
  }
  // The same domain name under the other API generation's resource type.
  const domains = (m: Map<string, Flat>) => [...m.values()].filter((f) => /^AWS::ApiGateway(V2)?::DomainName$/.test(f.resource.Type));
  for (const fb of domains(b)) {
    const fa = domains(a).find((x) => x.resource.Properties?.DomainName === fb.resource.Properties?.DomainName && x.resource.Type !== fb.resource.Type && typeof x.resource.Properties?.DomainName === 'string');
    if (!fa) continue;
    out.push({
      kind: 'cannot-replace',
      service: 'gateway',
      message: `custom domain ${String(fb.resource.Properties?.DomainName)} moves from ${fa.resource.Type} ${fa.logicalId} to ${fb.resource.Type} ${fb.logicalId}: REST and HTTP APIs share one Regional domain name, which CloudFormation would create anew before deleting the old one, so the update fails; remove the domain in one deployment and add it back in the next (it does not answer in between)`,
      unsafe: true,
    });
  }
  return out;
}

/** The map a gateway stack records (on its API resource), if it has one. */
function recordedMap(stack: StackTemplate): ResolvedServiceMap | undefined {
  for (const r of Object.values(stack.template.Resources ?? {})) {
    const record = r.Metadata?.[RECORD_KEY] as GatewayRecord | undefined;
    if (record && typeof record.map === 'string') {
      try {
        return decodeRecordedMap(record.map);
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * What clients of a kept service must change, from the two recorded maps: the path they call, the credentials
 * they send (auth mode, required scopes, the JWT issuer and audiences), and the browser origins CORS allows.
 */
export function clientContractFindings(before: ResolvedServiceMap, after: ResolvedServiceMap): Finding[] {
  const out: Finding[] = [];
  const unsafe = (service: string, message: string) => out.push({ kind: 'client-facing', service, message, unsafe: true });
  const AUTH = { jwt: 'a JWT', apiKey: 'an API key', none: 'no credentials' } as const;
  let jwtUsed = false;
  const under = (path: string) => `${path === '/' ? '' : path}/...`;
  for (const [name, old] of Object.entries(before.services)) {
    const now = after.services[name];
    if (!now) continue;
    if (old.path !== now.path) unsafe(name, `the service's path changes ${old.path} -> ${now.path}: clients calling ${under(old.path)} must move to ${under(now.path)}`);
    const [authA, authB] = [effectiveAuth(before, old), effectiveAuth(after, now)];
    if (authA !== authB && authB !== 'none') unsafe(name, `callers must send ${AUTH[authB]} (auth ${authA} -> ${authB}): callers that do not lose access`);
    else if (authA !== authB) out.push({ kind: 'client-facing', service: name, message: `auth ${authA} -> none: anyone can call the service now`, unsafe: false });
    if (authA === 'jwt' && authB === 'jwt') {
      jwtUsed = true;
      const added = now.scopes.filter((x) => !old.scopes.includes(x));
      if (added.length > 0) unsafe(name, `tokens must now carry the scope${added.length === 1 ? '' : 's'} ${added.join(', ')}: callers whose tokens do not lose access`);
    }
  }
  const [jwtA, jwtB] = [before.auth.jwt, after.auth.jwt];
  if (jwtUsed && jwtA && jwtB) {
    if (jwtA.issuer !== jwtB.issuer) unsafe('gateway', `the JWT issuer changes ${jwtA.issuer} -> ${jwtB.issuer}: tokens of the old issuer are rejected`);
    const gone = (jwtA.audience ?? []).filter((x) => !(jwtB.audience ?? []).includes(x));
    if (gone.length > 0 && (jwtB.audience ?? []).length > 0) unsafe('gateway', `the JWT audience no longer accepts ${gone.join(', ')}: tokens issued for ${gone.length === 1 ? 'it' : 'them'} are rejected`);
  }
  if (before.cors) {
    const gone = after.cors ? before.cors.allowOrigins.filter((o) => !after.cors!.allowOrigins.includes(o) && !after.cors!.allowOrigins.includes('*')) : before.cors.allowOrigins;
    if (gone.length > 0) unsafe('gateway', `${after.cors ? 'CORS no longer allows' : 'CORS is turned off for'} the origin${gone.length === 1 ? '' : 's'} ${gone.join(', ')}: browser apps there can no longer call the gateway`);
  }
  return out;
}
