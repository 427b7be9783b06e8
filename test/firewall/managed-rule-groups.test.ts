/**
 * Managed rule groups as the map asks for them: defaults that let ordinary API traffic through, a pinned
 * version, per-rule actions, excluded rules, a scope-down, and blocks that answer with the gateway's JSON.
 */
import { BLOCKING_RULES } from '../../lib/service-map/managed-rule-groups';
import { type ServiceMap } from '../../lib/service-map';
import { estimateWebAclCapacity, validateServiceMap } from '../../lib/plan';
import { problemsOf } from '../support/problems';
import { ruleOf, shopMap, STAGE_ARN, synthFirewall, webAclOf } from './helpers';

const FORBIDDEN = { Block: { CustomResponse: { ResponseCode: 403, CustomResponseBodyKey: 'forbidden' } } };
const CRS = 'AWSManagedRulesCommonRuleSet';
const KBI = 'AWSManagedRulesKnownBadInputsRuleSet';

/** A group rule's overrides as `rule -> action` (the action's only key, e.g. Count, Block+403). */
function actionsOf(rule: { Statement: Record<string, any> }): Record<string, unknown> {
  const overrides: Array<{ Name: string; ActionToUse: unknown }> = rule.Statement.ManagedRuleGroupStatement.RuleActionOverrides ?? [];
  return Object.fromEntries(overrides.map((o) => [o.Name, o.ActionToUse]));
}

describe('the default groups on the ALB (string form)', () => {
  const { template } = synthFirewall(shopMap({}), { kind: 'alb', loadBalancerArns: ['arn:alb'] });

  test('a 100 KB JSON body, a 2 KB query string and a 1 KB path are counted, not blocked (the Core rule set\'s size rules)', () => {
    const actions = actionsOf(ruleOf(template, CRS));
    expect(actions.SizeRestrictions_BODY).toEqual({ Count: {} });
    expect(actions.SizeRestrictions_QUERYSTRING).toEqual({ Count: {} });
    expect(actions.SizeRestrictions_URIPATH).toEqual({ Count: {} });
    // The cookie size rule and every attack signature still block.
    expect(actions.SizeRestrictions_Cookie_HEADER).toEqual(FORBIDDEN);
    expect(actions.CrossSiteScripting_BODY).toEqual(FORBIDDEN);
  });

  test('every other rule of both default groups blocks with the gateway\'s JSON 403, not WAF\'s bare one', () => {
    for (const group of [CRS, KBI]) {
      const actions = actionsOf(ruleOf(template, group));
      expect(Object.keys(actions).sort()).toEqual([...BLOCKING_RULES[group]].sort());
      const blocking = Object.entries(actions).filter(([, a]) => JSON.stringify(a) !== '{"Count":{}}');
      expect(blocking.length).toBe(group === CRS ? BLOCKING_RULES[CRS].length - 3 : BLOCKING_RULES[KBI].length);
      for (const [, action] of blocking) expect(action).toEqual(FORBIDDEN);
    }
    expect(webAclOf(template).properties.CustomResponseBodies.forbidden).toEqual({ ContentType: 'APPLICATION_JSON', Content: '{"message":"Forbidden"}' });
  });

  test('no version is pinned and no body inspection setting is sent to an ALB (it always inspects 8 KB)', () => {
    expect(ruleOf(template, CRS).Statement.ManagedRuleGroupStatement.Version).toBeUndefined();
    expect(webAclOf(template).properties.AssociationConfig).toBeUndefined();
  });
});

describe('a group as an object', () => {
  const firewall: ServiceMap['firewall'] = {
    rateLimits: [],
    bodyInspectionLimitKb: 64,
    managedRuleGroups: [
      {
        name: CRS,
        version: 'Version_1.14',
        ruleActionOverrides: { SizeRestrictions_BODY: 'block', NoUserAgent_HEADER: 'challenge', UserAgent_BadBots_HEADER: 'captcha', GenericLFI_BODY: 'allow' },
        excludedRules: ['CrossSiteScripting_BODY'],
      },
      { name: 'AWSManagedRulesSQLiRuleSet', ruleActionOverrides: { SQLi_BODY: 'count' }, scopeDown: { services: ['orders'], pathPrefixes: ['/v1/catalog/admin'] } },
    ],
  };
  const rest = synthFirewall(shopMap(firewall, { frontDoor: 'rest' }), { kind: 'restStage', stageArn: STAGE_ARN, pathPrefix: '/prod' });
  const crs = ruleOf(rest.template, CRS);

  test('pins the version', () => {
    expect(crs.Statement.ManagedRuleGroupStatement).toMatchObject({ VendorName: 'AWS', Name: CRS, Version: 'Version_1.14' });
  });

  test('per-rule actions as RuleActionOverrides; "block" (the strict size limit back on) answers with the JSON 403', () => {
    const actions = actionsOf(crs);
    expect(actions.SizeRestrictions_BODY).toEqual(FORBIDDEN);
    expect(actions.NoUserAgent_HEADER).toEqual({ Challenge: {} });
    expect(actions.UserAgent_BadBots_HEADER).toEqual({ Captcha: {} });
    expect(actions.GenericLFI_BODY).toEqual({ Allow: {} });
    // The defaults the map did not override stay.
    expect(actions.SizeRestrictions_QUERYSTRING).toEqual({ Count: {} });
  });

  test('excluded rules count (the current form of ExcludedRules, which WAF keeps only for compatibility)', () => {
    expect(actionsOf(crs).CrossSiteScripting_BODY).toEqual({ Count: {} });
    expect(crs.Statement.ManagedRuleGroupStatement.ExcludedRules).toBeUndefined();
  });

  test('a scope-down limits a group to the services and path prefixes named, as WAF sees the path on the stage', () => {
    const sqli = ruleOf(rest.template, 'AWSManagedRulesSQLiRuleSet');
    expect(actionsOf(sqli)).toEqual({ SQLi_BODY: { Count: {} } });
    const matches = (prefix: string) => [
      { ByteMatchStatement: { FieldToMatch: { UriPath: {} }, PositionalConstraint: 'EXACTLY', SearchString: prefix, TextTransformations: [{ Priority: 0, Type: 'URL_DECODE' }] } },
      { ByteMatchStatement: { FieldToMatch: { UriPath: {} }, PositionalConstraint: 'STARTS_WITH', SearchString: `${prefix}/`, TextTransformations: [{ Priority: 0, Type: 'URL_DECODE' }] } },
    ];
    expect(sqli.Statement.ManagedRuleGroupStatement.ScopeDownStatement).toEqual({
      OrStatement: { Statements: [{ OrStatement: { Statements: matches('/prod/orders') } }, { OrStatement: { Statements: matches('/prod/v1/catalog/admin') } }] },
    });
  });

  test('on the ALB a service scope-down matches the gateway-set service header', () => {
    const { template } = synthFirewall(shopMap({ ...firewall, bodyInspectionLimitKb: undefined }), { kind: 'alb', loadBalancerArns: ['arn:alb'] });
    const header = (value: string) => ({
      ByteMatchStatement: { FieldToMatch: { SingleHeader: { Name: 'x-gateway-service' } }, PositionalConstraint: 'EXACTLY', SearchString: value, TextTransformations: [{ Priority: 0, Type: 'NONE' }] },
    });
    const scope = ruleOf(template, 'AWSManagedRulesSQLiRuleSet').Statement.ManagedRuleGroupStatement.ScopeDownStatement;
    expect(scope.OrStatement.Statements[0]).toEqual({ OrStatement: { Statements: [header('ANY /orders'), header('ANY /orders/{proxy+}')] } });
  });

  test('the REST stage sends WAF the body inspection limit the map chose; 16 KB when left out', () => {
    expect(webAclOf(rest.template).properties.AssociationConfig).toEqual({ RequestBody: { API_GATEWAY: { DefaultSizeInspectionLimit: 'KB_64' } } });
    expect(rest.firewall.bodyInspectionLimitKb).toBe(64);
    const plain = synthFirewall(shopMap({}, { frontDoor: 'rest' }), { kind: 'restStage', stageArn: STAGE_ARN });
    expect(webAclOf(plain.template).properties.AssociationConfig).toEqual({ RequestBody: { API_GATEWAY: { DefaultSizeInspectionLimit: 'KB_16' } } });
  });

  test('capacity counts each group and its scope-down statement (overrides cost nothing)', () => {
    const plain = estimateWebAclCapacity(validateServiceMap(shopMap({ rateLimits: [], managedRuleGroups: [CRS, 'AWSManagedRulesSQLiRuleSet'] }, { frontDoor: 'rest' })).map);
    expect(plain).toBe(700 + 200);
    const scoped = estimateWebAclCapacity(validateServiceMap(shopMap({ ...firewall, bodyInspectionLimitKb: undefined }, { frontDoor: 'rest' })).map);
    // Two services' worth of path matches: each an EXACTLY and a STARTS_WITH (2 WCU) with URL_DECODE (10 WCU).
    expect(scoped).toBe(700 + 200 + 4 * (2 + 10));
  });
});

describe('managed rule group validation', () => {
  const map = (group: unknown, extra: Partial<ServiceMap> = {}) => shopMap({ rateLimits: [], managedRuleGroups: [group as never] }, extra);

  test('an unknown action, an unknown group and a malformed version are field errors naming what is valid', () => {
    expect(problemsOf(map({ name: CRS, ruleActionOverrides: { SizeRestrictions_BODY: 'ignore' } }))).toEqual([
      expect.stringMatching(/^firewall\.managedRuleGroups\[0\]\.ruleActionOverrides\.SizeRestrictions_BODY: "ignore" is not a WAF rule action \(valid: count, block, allow, challenge, captcha\)/),
    ]);
    expect(problemsOf(map({ name: 'AWSManagedRulesMadeUp' }))).toEqual([expect.stringMatching(/^firewall\.managedRuleGroups\[0\]\.name: "AWSManagedRulesMadeUp" is not a known AWS managed rule group \(valid: AWSManagedRulesCommonRuleSet/)]);
    expect(problemsOf(map({ name: CRS, version: '1.14' }))).toEqual([expect.stringMatching(/^firewall\.managedRuleGroups\[0\]\.version: "1\.14" is not a managed rule group version \(e\.g\. "Version_1\.14"\)/)]);
    expect(problemsOf(map('AWSManagedRulesMadeUp'))).toEqual([expect.stringMatching(/^firewall\.managedRuleGroups\[0\]: "AWSManagedRulesMadeUp" is not a known AWS managed rule group/)]);
    expect(problemsOf(map(42))).toEqual([expect.stringMatching(/^firewall\.managedRuleGroups\[0\]: expected a managed rule group name or \{ name, version/)]);
    expect(problemsOf(map({ name: CRS, exclude: ['x'] }))).toEqual([expect.stringMatching(/^firewall\.managedRuleGroups\[0\]: unknown field "exclude" \(valid fields: name, vendor, version, ruleActionOverrides, excludedRules, scopeDown\)/)]);
  });

  test('a rule both excluded and overridden, and a rule name in the wrong case', () => {
    expect(problemsOf(map({ name: CRS, excludedRules: ['SizeRestrictions_BODY'], ruleActionOverrides: { SizeRestrictions_BODY: 'block', sizerestrictions_uripath: 'count' } }))).toEqual([
      'firewall.managedRuleGroups[0].excludedRules[0]: "SizeRestrictions_BODY" is also in ruleActionOverrides ("block"); an excluded rule only counts: keep it in one of the two',
      'firewall.managedRuleGroups[0].ruleActionOverrides: "sizerestrictions_uripath" is not a rule of AWSManagedRulesCommonRuleSet; rule names are case-sensitive (did you mean "SizeRestrictions_URIPATH"?)',
    ]);
  });

  test('a rule the gateway does not know is a warning (AWS adds rules to groups), not an error', () => {
    const { warnings } = validateServiceMap(map({ name: KBI, ruleActionOverrides: { Brand_New_RULE: 'count' } }));
    expect(warnings).toEqual([
      {
        id: 'cdk-service-gateway:managed-rule-name-unknown',
        message: expect.stringMatching(/^firewall\.managedRuleGroups\[0\]\.ruleActionOverrides: "Brand_New_RULE" is not one of the rules of AWSManagedRulesKnownBadInputsRuleSet the gateway knows/),
      },
    ]);
  });

  test('a scope-down on a service or a path that does not exist, or on nothing', () => {
    expect(problemsOf(map({ name: CRS, scopeDown: { services: ['ordres'], pathPrefixes: ['/payments', '/orders/admin', '/v1'] } }))).toEqual([
      'firewall.managedRuleGroups[0].scopeDown.services[0]: "ordres" is not a service of the map (valid: catalog, orders)',
      'firewall.managedRuleGroups[0].scopeDown.pathPrefixes[0]: "/payments" is not a path of any service, so the group would never apply (service paths: /orders, /v1/catalog)',
    ]);
    expect(problemsOf(map({ name: CRS, scopeDown: {} }))).toEqual(['firewall.managedRuleGroups[0].scopeDown: name the services or the pathPrefixes the group applies to']);
  });

  test('on the HTTP front door a path prefix of a stripped service could never match at the ALB', () => {
    const services = { orders: { path: '/orders', container: { image: 'nginx:1.27' }, stripPrefix: true } };
    expect(problemsOf(map({ name: CRS, scopeDown: { pathPrefixes: ['/orders/admin'] } }, { services }))).toEqual([
      expect.stringMatching(/^firewall\.managedRuleGroups\[0\]\.scopeDown\.pathPrefixes\[0\]: on the HTTP front door the web ACL sees the path the ALB gets, which for services\.orders is not "\/orders\/admin"/),
    ]);
    expect(problemsOf(map({ name: CRS, scopeDown: { pathPrefixes: ['/orders/admin'] } }, { services, frontDoor: 'rest' }))).toEqual([]);
  });

  test('the body inspection limit is the REST front door\'s to choose; the ALB\'s is always 8 KB', () => {
    expect(problemsOf(shopMap({ bodyInspectionLimitKb: 32 }))).toEqual([expect.stringMatching(/^firewall\.bodyInspectionLimitKb: 32 needs the REST front door/)]);
    expect(problemsOf(shopMap({ bodyInspectionLimitKb: 8 }, { frontDoor: 'rest' }))).toEqual([expect.stringMatching(/^firewall\.bodyInspectionLimitKb: 8 is the ALB's fixed limit/)]);
    expect(problemsOf(shopMap({ bodyInspectionLimitKb: 20 as never }, { frontDoor: 'rest' }))).toEqual([expect.stringMatching(/^firewall\.bodyInspectionLimitKb: 20 is not a WAF body inspection limit/)]);
  });
});
