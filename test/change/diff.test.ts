import { clientContractFindings, diffStacks, differingPaths, overlaps, type ChangeReport } from '../../lib/change/diff';
import { validateServiceMap } from '../../lib/plan';
import type { ServiceMap } from '../../lib/service-map/schema';
import { exampleMap } from '../support/gateway';
import { renderReport } from '../../lib/change/command';
import type { CfnResource, StackTemplate } from '../../lib/change/templates';
import { rateRuleName } from '../../lib/service-map/conventions';
import { rateLimitSchema } from '../../lib/service-map/schema';

/** A stack of the given resources; nested stacks by the logical id of their AWS::CloudFormation::Stack resource. */
function stack(resources: Record<string, CfnResource>, nested: Record<string, StackTemplate> = {}, parameters?: Record<string, unknown>): StackTemplate {
  return { template: { Resources: resources, ...(parameters ? { Parameters: parameters } : {}) }, nested: new Map(Object.entries(nested)) };
}

const targetGroup = (props: Record<string, unknown>): CfnResource => ({
  Type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
  Properties: { Name: 'gw-web-aaaaaaa', Port: 8080, Protocol: 'HTTP', TargetType: 'ip', VpcId: 'vpc-1', ...props },
});
const rule = (priority: number): CfnResource => ({ Type: 'AWS::ElasticLoadBalancingV2::ListenerRule', Properties: { ListenerArn: 'arn:listener', Priority: priority } });
const rateRule = (name: string, priority: number, limit: number) => ({ Name: name, Priority: priority, Statement: { RateBasedStatement: { Limit: limit, AggregateKeyType: 'IP' } }, Action: { Block: {} } });
const webAcl = (rules: unknown[], name = 'gw-gateway'): CfnResource => ({ Type: 'AWS::WAFv2::WebACL', Properties: { Name: name, Scope: 'REGIONAL', Rules: rules } });

const kinds = (r: ChangeReport) => r.findings.map((f) => `${f.kind}:${f.service}:${f.unsafe ? 'unsafe' : 'note'}`);

describe('replacement rules applied to property paths', () => {
  test('a changed leaf overlaps its top-level rule and nested rules through list indexes', () => {
    expect(overlaps('ContainerDefinitions', ['ContainerDefinitions', '0', 'Image'])).toBe(true);
    expect(overlaps('CreationInfo.OwnerUid', ['CreationInfo'])).toBe(true);
    expect(overlaps('Tags.*.Key', ['Tags', '3', 'Key'])).toBe(true);
    expect(overlaps('Tags.*.Key', ['Tags', '3', 'Value'])).toBe(false);
    expect(overlaps('Port', ['Protocol'])).toBe(false);
  });

  test('differing paths name each changed leaf, and a list whose length changed as a whole', () => {
    expect(differingPaths({ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1, 3] } })).toEqual([['b', 'c', '1']]);
    expect(differingPaths({ l: [1] }, { l: [1, 2] })).toEqual([['l']]);
    expect(differingPaths({ a: 1 }, { a: 1, b: 2 })).toEqual([['b']]);
  });
});

describe('diffStacks', () => {
  test('added, changed, replaced and removed resources, each under its service', () => {
    const before = stack({ Cluster: { Type: 'AWS::ECS::Cluster' }, Nested: { Type: 'AWS::CloudFormation::Stack', Properties: {} } }, {
      Nested: stack({ webTargets: targetGroup({}), webLogs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 7 }, DeletionPolicy: 'Retain' }, webOld: { Type: 'AWS::SNS::Topic' } }),
    });
    const after = stack({ Cluster: { Type: 'AWS::ECS::Cluster' }, Nested: { Type: 'AWS::CloudFormation::Stack', Properties: {} }, Extra: { Type: 'AWS::SNS::Topic' } }, {
      Nested: stack({ webTargets: targetGroup({ Port: 9090, Name: 'gw-web-bbbbbbb' }), webLogs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 }, DeletionPolicy: 'Retain' } }),
    });
    const report = diffStacks(before, after, ['web']);
    expect(report.changes.map((c) => [c.kind, c.service, c.key, c.details])).toEqual([
      ['added', 'gateway', 'Extra', []],
      ['changed', 'web', 'Nested/webLogs', ['RetentionInDays']],
      ['replaced', 'web', 'Nested/webTargets', ['Name', 'Port']],
      ['removed', 'web', 'Nested/webOld', []],
    ]);
    // The target group is replaced under a new name: a note, not a problem.
    expect(kinds(report)).toEqual(['renamed:web:note']);
    expect(report.safe).toBe(true);
  });

  test('a property that replaces only in some cases counts as replacing, and says so', () => {
    const vpc = (tenancy: string): CfnResource => ({ Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16', InstanceTenancy: tenancy } });
    const report = diffStacks(stack({ Vpc: vpc('default') }), stack({ Vpc: vpc('dedicated') }), []);
    expect(report.changes.map((c) => [c.kind, c.details])).toEqual([['replaced', ['InstanceTenancy (may replace)']]]);
  });

  test('a named resource replaced under the same name cannot be deployed', () => {
    const report = diffStacks(stack({ webTargets: targetGroup({}) }), stack({ webTargets: targetGroup({ Port: 9090 }) }), []);
    expect(report.changes.map((c) => [c.kind, c.details])).toEqual([['replaced', ['Port']]]);
    expect(report.findings).toEqual([
      expect.objectContaining({ kind: 'cannot-replace', unsafe: true, message: expect.stringMatching(/keeps its name "gw-web-aaaaaaa": CloudFormation cannot replace a custom-named resource/) }),
    ]);
    expect(report.safe).toBe(false);
  });

  test('a replacement spreads through references, also into a nested stack through its parameters', () => {
    const vpc = (cidr: string): CfnResource => ({ Type: 'AWS::EC2::VPC', Properties: { CidrBlock: cidr } });
    const parent = (cidr: string) =>
      stack({ Vpc: vpc(cidr), Nested: { Type: 'AWS::CloudFormation::Stack', Properties: { Parameters: { vpcRef: { Ref: 'Vpc' } } } } }, {
        Nested: stack({ webTargets: targetGroup({ VpcId: { Ref: 'vpcRef' } }) }, {}, { vpcRef: { Type: 'String' } }),
      });
    const report = diffStacks(parent('10.0.0.0/16'), parent('10.1.0.0/16'), ['web']);
    expect(report.changes.filter((c) => c.kind === 'replaced').map((c) => [c.key, c.details])).toEqual([
      ['Nested/webTargets', ['VpcId']],
      ['Vpc', ['CidrBlock']],
    ]);
    expect(kinds(report)).toEqual(['cannot-replace:web:unsafe']);
  });

  test('a resource whose logical id changes is replaced; stateful ones are reported, with or without retention', () => {
    const logs = (name: string, extra: Partial<CfnResource> = {}): CfnResource => ({ Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: name }, ...extra });
    const renamed = diffStacks(stack({ LogsA: logs('aws-waf-logs-gw') }), stack({ LogsB: logs('aws-waf-logs-gw') }), []);
    expect(renamed.changes.map((c) => [c.kind, c.details])).toEqual([['replaced', ['logical id LogsA -> LogsB']]]);
    expect(kinds(renamed)).toEqual(['cannot-replace:gateway:unsafe', 'stateful:gateway:unsafe']);

    const newName = diffStacks(stack({ Logs: logs('a', { UpdateReplacePolicy: 'Retain' }) }), stack({ Logs: logs('b', { UpdateReplacePolicy: 'Retain' }) }), []);
    expect(newName.findings.map((f) => f.message)).toEqual([expect.stringMatching(/new name: "a" -> "b"/), expect.stringMatching(/starts empty \(the old one is retained\)/)]);

    const deleted = diffStacks(stack({ Logs: logs('a') }), stack({}), []);
    expect(deleted.findings).toEqual([expect.objectContaining({ kind: 'stateful', unsafe: true, message: expect.stringMatching(/deleted with its data \(DeletionPolicy Delete\)/) })]);
    expect(diffStacks(stack({ Logs: logs('a', { DeletionPolicy: 'Retain' }) }), stack({}), []).safe).toBe(true);
  });

  test('an API key or usage plan replaced breaks clients', () => {
    const key = (name: string): CfnResource => ({ Type: 'AWS::ApiGateway::ApiKey', Properties: { Name: name, Enabled: true } });
    const report = diffStacks(stack({ Key: key('gw-app') }), stack({ Key: key('gw-mobile') }), []);
    expect(kinds(report)).toEqual(['renamed:gateway:note', 'client-facing:gateway:unsafe']);
    expect(report.findings[1].message).toMatch(/clients get a new key value/);

    // A usage plan renamed in the map gets a new logical id (its name is not a replacing property): a new plan.
    const plan = (name: string): CfnResource => ({ Type: 'AWS::ApiGateway::UsagePlan', Properties: { UsagePlanName: name, Throttle: { RateLimit: 10, BurstLimit: 20 } } });
    const renamedPlan = diffStacks(stack({ UsagePlanfree: plan('gw-free') }), stack({ UsagePlangratis: plan('gw-gratis') }), []);
    expect(renamedPlan.changes.map((c) => [c.kind, c.key, c.details])).toEqual([['replaced', 'UsagePlangratis', ['logical id UsagePlanfree -> UsagePlangratis']]]);
    expect(kinds(renamedPlan)).toEqual(['client-facing:gateway:unsafe']);
    expect(renamedPlan.findings[0].message).toMatch(/quota counters and key associations start afresh/);
    expect(renamedPlan.safe).toBe(false);
    expect(renderReport(renamedPlan, 'a -> b').at(-1)).toBe('Result: unsafe, 1 finding above needs attention (exit 1)');
  });

  test('a base URL clients call that the new gateway does not answer is client-facing: a custom domain base path mapping that moves', () => {
    // GIVEN an HTTP API behind a custom domain mapped under a base path
    const gw = (key: string, disable = true) =>
      stack({
        Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'gw', ProtocolType: 'HTTP', DisableExecuteApiEndpoint: disable } },
        Stage: { Type: 'AWS::ApiGatewayV2::Stage', Properties: { ApiId: { Ref: 'Api' }, StageName: '$default' } },
        Domain: { Type: 'AWS::ApiGatewayV2::DomainName', Properties: { DomainName: 'api.example.com' } },
        Mapping: { Type: 'AWS::ApiGatewayV2::ApiMapping', Properties: { ApiId: { Ref: 'Api' }, DomainName: { Ref: 'Domain' }, Stage: '$default', ApiMappingKey: key } },
      });
    // WHEN the mapping's key changes THEN clients of the old path are told where the gateway answers now
    const moved = diffStacks(gw('v1'), gw('v2'), []);
    expect(moved.findings.filter((f) => f.kind === 'client-facing')).toEqual([
      expect.objectContaining({ unsafe: true, message: 'clients calling https://api.example.com/v1/ must move: the custom domain no longer maps base path "v1"; it answers at https://api.example.com/v2/' }),
    ]);
    expect(moved.safe).toBe(false);
    // The execute-api endpoint turned on beside the domain adds a URL and takes none away: no finding.
    expect(diffStacks(gw('v1'), gw('v1', false), []).findings).toEqual([]);
  });

  describe('listener-rule priorities, judged as CloudFormation runs the update (create and update first, delete last)', () => {
    const nested = (rules: Record<string, CfnResource>) => stack({ N: { Type: 'AWS::CloudFormation::Stack' } }, { N: stack(rules) });
    const on = (listener: string, priority: number): CfnResource => ({ Type: 'AWS::ElasticLoadBalancingV2::ListenerRule', Properties: { ListenerArn: listener, Priority: priority } });

    test('a move to a free slot is an in-place update: a note, safe', () => {
      const moved = diffStacks(nested({ webBackendRule: rule(10) }), nested({ webBackendRule: rule(11) }), ['web']);
      expect(moved.findings).toEqual([{ kind: 'priority', service: 'web', unsafe: false, message: 'listener rule webBackendRule moves from priority 10 to 11 (priority 11 is free on its listener: the rule is updated in place)' }]);
      expect(moved.safe).toBe(true);
      // Same service, new logical id, a free slot: the new rule is created at 12, then the old one deleted.
      expect(kinds(diffStacks(nested({ webBackendRuleA: rule(10) }), nested({ webBackendRuleB: rule(12) }), ['web']))).toEqual(['priority:web:note']);
      expect(diffStacks(nested({ webBackendRule: rule(10) }), nested({ webBackendRule: rule(10), apiBackendRule: rule(20) }), ['web', 'api']).safe).toBe(true);
    });

    test('a move onto the priority of a rule that is removed in the same update fails (PriorityInUse)', () => {
      // svc326 removed, svc74 moves back to its home slot: issue 18's case.
      const report = diffStacks(nested({ svc326BackendRule: rule(40), svc74BackendRule: rule(41) }), nested({ svc74BackendRule: rule(40) }), ['svc326', 'svc74']);
      expect(report.findings).toEqual([
        expect.objectContaining({ kind: 'priority', service: 'svc74', unsafe: true, message: expect.stringMatching(/^listener rule svc74BackendRule moves from priority 41 to 40 \(an update fails with PriorityInUse: priority 40 is held by listener rule svc326BackendRule of service svc326, deleted only at the end of the update;/) }),
      ]);
      expect(report.safe).toBe(false);
    });

    test('a new rule that takes the priority of a removed rule fails, though no rule moves', () => {
      const report = diffStacks(nested({ oldBackendRule: rule(30) }), nested({ newBackendRule: rule(30) }), ['old', 'new']);
      expect(report.findings).toEqual([expect.objectContaining({ kind: 'priority', service: 'new', unsafe: true, message: expect.stringMatching(/^listener rule newBackendRule takes priority 30 \(an update fails with PriorityInUse: priority 30 is held by listener rule oldBackendRule of service old, deleted only at the end of the update;/) })]);
    });

    test('a recreated rule (new logical id) that keeps its priority collides with its own old copy', () => {
      const report = diffStacks(nested({ webBackendRuleA: rule(10) }), nested({ webBackendRuleB: rule(10) }), ['web']);
      expect(report.findings).toEqual([expect.objectContaining({ kind: 'priority', unsafe: true, message: expect.stringMatching(/takes priority 10 .*its own old rule, deleted only after the new one is created/) })]);
    });

    test('two rules that swap priorities are unsafe (CloudFormation updates them in no set order)', () => {
      const report = diffStacks(nested({ aBackendRule: rule(1), bBackendRule: rule(2) }), nested({ aBackendRule: rule(2), bBackendRule: rule(1) }), ['a', 'b']);
      expect(kinds(report)).toEqual(['priority:a:unsafe', 'priority:b:unsafe']);
      expect(report.findings[0].message).toMatch(/which moves to 1 in the same update, in no set order/);
    });

    test('priorities are per listener: the same number on another listener is free', () => {
      const report = diffStacks(nested({ aBackendRule: on('arn:one', 5), bBackendRule: on('arn:two', 6) }), nested({ bBackendRule: on('arn:two', 5) }), ['a', 'b']);
      expect(kinds(report)).toEqual(['priority:b:note']);
    });
  });

  test('WAF rate rules whose counters reset: priority, statement or name changes, or a replaced web ACL', () => {
    const base = [rateRule('per-ip', 0, 1000), rateRule('svc-web-ip-100-per-60s', 1, 100)];
    const cases: Array<[string, CfnResource, RegExp]> = [
      ['priority', webAcl([rateRule('extra', 0, 50), rateRule('per-ip', 1, 1000), rateRule('svc-web-ip-100-per-60s', 2, 100)]), /per-ip: counters reset because its priority moves 0 -> 1/],
      ['statement', webAcl([rateRule('per-ip', 0, 2000), base[1]]), /per-ip: counters reset because its statement changes/],
      ['rename', webAcl([rateRule('per-address', 0, 1000), base[1]]), /per-ip: counters reset because it is renamed to per-address/],
      ['replaced', webAcl(base, 'gw2-gateway'), /per-ip: counters reset because the web ACL is replaced/],
    ];
    for (const [label, after, message] of cases) {
      const report = diffStacks(stack({ Acl: webAcl(base) }), stack({ Acl: after }), ['web']);
      expect([label, report.findings.filter((f) => f.kind === 'waf-reset').map((f) => f.message)]).toEqual([label, expect.arrayContaining([expect.stringMatching(message)])]);
      expect(report.safe).toBe(false);
    }
    // A per-service rule is reported under its service.
    const moved = diffStacks(stack({ Acl: webAcl(base) }), stack({ Acl: webAcl([base[0], rateRule('svc-web-ip-100-per-60s', 5, 100)]) }), ['web']);
    expect(kinds(moved)).toEqual(['waf-reset:web:unsafe']);
    // Named as the firewall names it (rateRuleName); with dashes in service names, the longest service that fits.
    const adminRule = rateRuleName(rateLimitSchema.parse({ limit: 100, windowSeconds: 60 }), 'web-admin');
    const adminMoved = diffStacks(stack({ Acl: webAcl([rateRule(adminRule, 0, 100)]) }), stack({ Acl: webAcl([rateRule(adminRule, 1, 100)]) }), ['web', 'web-admin']);
    expect(kinds(adminMoved)).toEqual(['waf-reset:web-admin:unsafe']);
    // Other rules (managed groups) and untouched rate rules: nothing to say.
    const managed = { Name: 'AWSManagedRulesCommonRuleSet', Priority: 2, Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' } }, OverrideAction: { None: {} } };
    expect(diffStacks(stack({ Acl: webAcl(base) }), stack({ Acl: webAcl([...base, managed]) }), ['web']).findings).toEqual([]);
  });
});

describe('renderReport', () => {
  test('prints each kind of line: resource changes per service, findings, the verdict', () => {
    const before = stack({ Acl: webAcl([rateRule('per-ip', 0, 1000)]), N: { Type: 'AWS::CloudFormation::Stack' } }, {
      N: stack({ webTargets: targetGroup({}), webBackendRule: rule(10), webOld: { Type: 'AWS::SNS::Topic' }, webTopic: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: 'a' } } }),
    });
    const after = stack({ Acl: webAcl([rateRule('per-ip', 0, 500)]), N: { Type: 'AWS::CloudFormation::Stack' }, Extra: { Type: 'AWS::SNS::Topic' } }, {
      N: stack({ webTargets: targetGroup({ Port: 9090 }), webBackendRule: rule(11), webTopic: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: 'b' } } }),
    });
    const lines = renderReport(diffStacks(before, after, ['web']), 'old -> new');
    expect(lines).toEqual([
      'Change preview: old -> new',
      expect.stringMatching(/^Replacement rules: CloudFormation resource specification \(@aws-cdk\/aws-service-spec@\d+\.\d+\.\d+\)$/),
      '',
      'gateway (shared resources):',
      '  added     AWS::SNS::Topic Extra',
      '  changed   AWS::WAFv2::WebACL Acl (Rules.0.Statement.RateBasedStatement.Limit)',
      '',
      'service web:',
      '  changed   AWS::ElasticLoadBalancingV2::ListenerRule N/webBackendRule (Priority)',
      '  replaced  AWS::ElasticLoadBalancingV2::TargetGroup N/webTargets (because of Port)',
      '  changed   AWS::SNS::Topic N/webTopic (DisplayName)',
      '  removed   AWS::SNS::Topic N/webOld',
      '',
      'Before you deploy:',
      expect.stringMatching(/^  UNSAFE  cannot-replace +service web: AWS::ElasticLoadBalancingV2::TargetGroup webTargets must be replaced but keeps its name/),
      '  note    priority       service web: listener rule webBackendRule moves from priority 10 to 11 (priority 11 is free on its listener: the rule is updated in place)',
      expect.stringMatching(/^  UNSAFE  waf-reset +gateway: WAF rate rule per-ip: counters reset because its statement changes/),
      '',
      'Result: unsafe, 2 findings above need attention (exit 1)',
    ]);
  });

  test('no change, and a change with notes only, are safe', () => {
    const same = stack({ T: targetGroup({}) });
    expect(renderReport(diffStacks(same, same, []), 'a -> a').slice(2)).toEqual(['', 'No changes.', '', 'Result: safe to deploy (exit 0)']);
    const renamed = renderReport(diffStacks(same, stack({ T: targetGroup({ Port: 1, Name: 'gw-web-ccccccc' }) }), []), 'a -> b');
    expect(renamed).toEqual(expect.arrayContaining([expect.stringMatching(/^  note    renamed +gateway: .*"gw-web-aaaaaaa" -> "gw-web-ccccccc"/), 'Result: safe to deploy (exit 0)']));
  });
});

describe('what clients of a kept service must change (from the recorded maps)', () => {
  const resolve = (m: ServiceMap) => validateServiceMap(m).map;
  const base = exampleMap();
  const [first] = Object.keys(base.services);
  const withService = (patch: Record<string, unknown>, top: Partial<ServiceMap> = {}): ServiceMap => ({ ...base, ...top, services: { ...base.services, [first]: { ...base.services[first], ...patch } } });
  const findings = (next: ServiceMap) => clientContractFindings(resolve(base), resolve(next)).map((f) => `${f.unsafe ? 'UNSAFE' : 'note'} ${f.service}: ${f.message}`);

  test('nothing when the map is the same', () => {
    expect(findings(base)).toEqual([]);
  });

  test('a service path change: its clients must move', () => {
    const old = base.services[first].path;
    expect(findings(withService({ path: '/moved' }))).toEqual([`UNSAFE ${first}: the service's path changes ${old} -> /moved: clients calling ${old}/... must move to /moved/...`]);
    // The root path: clients call /... there.
    const alone = (path: string): ServiceMap => ({ ...base, services: { [first]: { ...base.services[first], path } } });
    expect(clientContractFindings(resolve(alone('/')), resolve(alone('/moved'))).map((f) => f.message)).toEqual([
      "the service's path changes / -> /moved: clients calling /... must move to /moved/...",
    ]);
  });

  test('auth: a new credential is needed (unsafe); none is a note; new required scopes are unsafe', () => {
    const open = withService({ auth: 'none', scopes: [] });
    expect(findings(open)).toEqual([`note ${first}: auth jwt -> none: anyone can call the service now`]);
    expect(clientContractFindings(resolve(open), resolve(base)).map((f) => [f.unsafe, f.message])).toEqual([[true, 'callers must send a JWT (auth none -> jwt): callers that do not lose access']]);
    const scopes = base.services[first].scopes ?? [];
    expect(findings(withService({ scopes: [...scopes, 'extra:one', 'extra:two'] }))).toEqual([`UNSAFE ${first}: tokens must now carry the scopes extra:one, extra:two: callers whose tokens do not lose access`]);
    // A scope dropped takes nothing away.
    expect(findings(withService({ scopes: [] }))).toEqual([]);
  });

  test('the JWT issuer or a removed audience rejects tokens clients hold; a removed CORS origin breaks browser apps there', () => {
    const jwt = base.auth!.jwt!;
    expect(findings({ ...base, auth: { ...base.auth, jwt: { ...jwt, issuer: 'https://id2.example.com/' } } })).toEqual([
      `UNSAFE gateway: the JWT issuer changes ${jwt.issuer} -> https://id2.example.com/: tokens of the old issuer are rejected`,
    ]);
    expect(findings({ ...base, auth: { ...base.auth, jwt: { ...jwt, audience: ['other-api'] } } })).toEqual([
      `UNSAFE gateway: the JWT audience no longer accepts ${jwt.audience!.join(', ')}: tokens issued for it are rejected`,
    ]);
    // Adding an audience or an origin takes nothing away.
    expect(findings({ ...base, auth: { ...base.auth, jwt: { ...jwt, audience: [...jwt.audience!, 'other-api'] } } })).toEqual([]);
    expect(findings({ ...base, cors: { ...base.cors!, allowOrigins: [...base.cors!.allowOrigins, 'https://new.example.com'] } })).toEqual([]);
    expect(findings({ ...base, cors: { ...base.cors!, allowOrigins: ['https://new.example.com'] } })).toEqual([
      'UNSAFE gateway: CORS no longer allows the origin https://app.example.com: browser apps there can no longer call the gateway',
    ]);
    const { cors: _, ...noCors } = base;
    expect(findings(noCors as ServiceMap)).toEqual(['UNSAFE gateway: CORS is turned off for the origin https://app.example.com: browser apps there can no longer call the gateway']);
  });
});
