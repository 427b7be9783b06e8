import { QUOTAS } from '../../lib/service-map/limits';
import { allResources, Assembly, synthAssembly } from '../support/assembly';
import { generatedMap } from '../support/generated-map';

describe('a 500-service map', () => {
  let assembly: Assembly;
  let resources: ReturnType<typeof allResources>;
  beforeAll(() => {
    assembly = synthAssembly(generatedMap(500));
    resources = allResources(assembly);
  });

  test('every template stays within CloudFormation quotas', () => {
    expect(assembly.templates.size).toBeGreaterThan(1);
    const violations: string[] = [];
    for (const [file, body] of assembly.templates) {
      const t = JSON.parse(body);
      const counts = { resources: Object.keys(t.Resources).length, parameters: Object.keys(t.Parameters ?? {}).length, outputs: Object.keys(t.Outputs ?? {}).length };
      if (counts.resources > QUOTAS.stackResources) violations.push(`${file}: ${counts.resources} resources`);
      if (Buffer.byteLength(body) > QUOTAS.templateBytes) violations.push(`${file}: ${Buffer.byteLength(body)} bytes`);
      if (counts.parameters > QUOTAS.stackParameters) violations.push(`${file}: ${counts.parameters} parameters`);
      if (counts.outputs > QUOTAS.stackOutputs) violations.push(`${file}: ${counts.outputs} outputs`);
    }
    expect(violations).toEqual([]);
  });

  test('every service is deployed: 450 Fargate services, 1,000 routes', () => {
    const types = [...resources.values()].map((r) => r.Type);
    expect(types.filter((t) => t === 'AWS::ECS::Service')).toHaveLength(450);
    expect(types.filter((t) => t === 'AWS::ApiGatewayV2::Route')).toHaveLength(1000);
  });

  test('ALBs hold at most 100 listener rules and 100 target groups each, with unique priorities', () => {
    const rules = [...resources.values()].filter((r) => r.Type === 'AWS::ElasticLoadBalancingV2::ListenerRule');
    const byListener = new Map<string, number[]>();
    for (const r of rules) {
      const key = JSON.stringify(r.Properties!.ListenerArn);
      byListener.set(key, [...(byListener.get(key) ?? []), r.Properties!.Priority as number]);
    }
    expect(byListener.size).toBe(assembly.gateway.placement.loadBalancerCount);
    expect(byListener.size).toBeGreaterThanOrEqual(5);
    for (const priorities of byListener.values()) {
      expect(priorities.length).toBeLessThanOrEqual(QUOTAS.albRules);
      expect(new Set(priorities).size).toBe(priorities.length);
    }
    // One target group per rule: the target-group quota follows the rule count.
    expect([...resources.values()].filter((r) => r.Type === 'AWS::ElasticLoadBalancingV2::TargetGroup')).toHaveLength(rules.length);
  });

  test('security groups do not grow a rule per service', () => {
    const counts = new Map<string, number>();
    for (const r of resources.values()) {
      if (r.Type !== 'AWS::EC2::SecurityGroupIngress' && r.Type !== 'AWS::EC2::SecurityGroupEgress') continue;
      const key = `${r.Type}:${JSON.stringify(r.Properties!.GroupId)}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(Math.max(...counts.values())).toBeLessThanOrEqual(QUOTAS.securityGroupRules);
    // 2 ports used by the map => at most a handful of rules per group.
    expect(Math.max(...counts.values())).toBeLessThanOrEqual(assembly.gateway.placement.loadBalancerCount);
  });

  test('one VPC link and far fewer integrations than the hard limit of 300', () => {
    const types = [...resources.values()].map((r) => r.Type);
    expect(types.filter((t) => t === 'AWS::ApiGatewayV2::VpcLink')).toHaveLength(1);
    const integrations = types.filter((t) => t === 'AWS::ApiGatewayV2::Integration').length;
    expect(integrations).toBeLessThanOrEqual(QUOTAS.httpApiIntegrations);
  });

  test('target group names fit 32 characters and are unique', () => {
    const names = [...resources.values()].filter((r) => r.Type === 'AWS::ElasticLoadBalancingV2::TargetGroup').map((r) => r.Properties!.Name as string);
    expect(Math.max(...names.map((n) => n.length))).toBeLessThanOrEqual(QUOTAS.targetGroupName);
    expect(new Set(names).size).toBe(names.length);
  });

  // Shares this file's 500-service synth: a dashboard holds 500 widgets, so widgets continue on the next dashboard every 200 services.
  test('past 200 services the widgets continue on more dashboards, each within the widget limit', () => {
    const root = JSON.parse(assembly.templates.get('Gw.template.json')!);
    const dashboards = Object.values<any>(root.Resources).filter((r) => r.Type === 'AWS::CloudWatch::Dashboard');
    expect(dashboards.map((d) => d.Properties.DashboardName)).toEqual(['scale-gateway', 'scale-gateway-2', 'scale-gateway-3']);
    for (const d of dashboards) {
      const widgets = (JSON.stringify(d.Properties.DashboardBody).match(/\\"type\\":\\"metric\\"/g) ?? []).length;
      expect(widgets).toBeGreaterThan(0);
      expect(widgets).toBeLessThanOrEqual(500);
    }
  });

  test('the route quota produces a warning naming the quota and the number needed', () => {
    expect(assembly.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/needs 1000 routes, above the default quota of 300 "Routes per API"; request an increase to 1000/)]));
  });
});
