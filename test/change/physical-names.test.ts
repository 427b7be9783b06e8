import { mkdtempSync } from 'node:fs';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { ServiceGateway } from '../../lib/service-gateway';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffStacks, flattenStack } from '../../lib/change/diff';
import { namePropertiesOf, rulesFor } from '../../lib/service-map/resource-rules';
import { readCloudAssembly, type StackTemplate } from '../../lib/change/templates';
import { targetGroupName } from '../../lib/plan/placement';
import type { ServiceMap } from '../../lib/service-map/schema';
import { NEW_VPC, TARGET_GROUP_SETTINGS, type TargetGroupReplacementValues } from '../../lib/plan/target-group';
import { replacementRulesFromSpec, replacementRulesText } from '../../scripts/replacement-rules';
import { readFileSync } from 'node:fs';
import { synthAssembly } from '../support/assembly';
import { everyFeatureRest } from '../support/every-feature';
import { exampleMap } from '../support/gateway';

/** Synthesizes a map and reads it back as the diff does (root stack with nested stacks). */
function gatewayStack(map: ServiceMap): StackTemplate {
  const outdir = mkdtempSync(join(tmpdir(), 'csg-names-'));
  synthAssembly(map, outdir);
  return readCloudAssembly(outdir).get('Gw')!;
}

/** The every-feature map on the HTTP front door: what REST alone offers left out. */
const everyFeatureHttp: ServiceMap = {
  ...everyFeatureRest,
  frontDoor: 'http',
  rest: undefined,
  usagePlans: undefined,
  apiKeys: undefined,
  firewall: { ...everyFeatureRest.firewall, managedRuleGroups: ['AWSManagedRulesCommonRuleSet'] },
  services: Object.fromEntries(
    Object.entries(everyFeatureRest.services).map(([n, s]) => [n, { ...s, cache: undefined, auth: s.auth === 'apiKey' ? ('jwt' as const) : s.auth }]),
  ),
};

const withContainer = (map: ServiceMap, edit: (name: string, c: NonNullable<ServiceMap['services'][string]['container']>) => object): ServiceMap => ({
  ...map,
  services: Object.fromEntries(Object.entries(map.services).map(([n, s]) => [n, s.container ? { ...s, container: { ...s.container, ...edit(n, s.container) } } : s])),
});

/**
 * Map edits that change a replacement-forcing property of a named resource: the container port
 * (target group Port), the VPC (target group VpcId: new VPC -> imported, imported -> another), the ALB
 * count (target group's ALB), the gateway name (every name).
 */
const EDITS: Record<string, (m: ServiceMap) => ServiceMap> = {
  'change every container port': (m) => withContainer(m, (_n, c) => ({ port: (c.port ?? 8080) + 1 })),
  'move to an imported VPC': (m) => ({ ...m, network: { vpcId: 'vpc-0123456789abcdef0', loadBalancers: m.network?.loadBalancers } }),
};
const FROM_IMPORTED: Record<string, (m: ServiceMap) => ServiceMap> = {
  'move to another imported VPC': (m) => ({ ...m, network: { ...m.network, vpcId: 'vpc-0fedcba9876543210' } }),
  'change the ALB count': (m) => ({ ...m, network: { ...m.network, loadBalancers: (m.network?.loadBalancers ?? 1) + 2 } }),
};

const BASES: Record<string, ServiceMap> = { example: exampleMap(), 'every feature (REST)': everyFeatureRest, 'every feature (HTTP)': everyFeatureHttp };

describe('physical names follow what forces a replacement', () => {
  const stacks = new Map<string, StackTemplate>();
  beforeAll(() => {
    for (const [label, base] of Object.entries(BASES)) {
      stacks.set(label, gatewayStack(base));
      for (const [edit, f] of Object.entries(EDITS)) stacks.set(`${label} / ${edit}`, gatewayStack(f(base)));
      const imported = EDITS['move to an imported VPC'](base);
      for (const [edit, f] of Object.entries(FROM_IMPORTED)) stacks.set(`${label} / imported / ${edit}`, gatewayStack(f(imported)));
    }
  });

  /** Named resources of a stack: the literal values of their name properties (from the spec's rules). */
  function namedResources(stack: StackTemplate): Map<string, { type: string; name: string; props: Record<string, unknown> }> {
    const out = new Map<string, { type: string; name: string; props: Record<string, unknown> }>();
    for (const [key, f] of flattenStack(stack)) {
      const props = (f.resource.Properties ?? {}) as Record<string, unknown>;
      const name = namePropertiesOf(f.resource.Type).map((p) => props[p]).find((v) => typeof v === 'string');
      if (typeof name === 'string') out.set(key, { type: f.resource.Type, name, props });
    }
    return out;
  }

  test('every named resource the gateway creates is found, and every template type has replacement rules', () => {
    const types = new Set<string>();
    const named = new Set<string>();
    for (const stack of stacks.values()) {
      for (const f of flattenStack(stack).values()) types.add(f.resource.Type);
      for (const r of namedResources(stack).values()) named.add(r.type);
    }
    expect([...types].filter((t) => !rulesFor(t))).toEqual([]);
    expect([...named].sort()).toEqual(
      expect.arrayContaining([
        'AWS::ApiGateway::ApiKey',
        'AWS::CloudWatch::Alarm',
        'AWS::CloudWatch::Dashboard',
        'AWS::ElasticLoadBalancingV2::TargetGroup',
        'AWS::Logs::LogGroup',
        'AWS::WAFv2::IPSet',
        'AWS::WAFv2::WebACL',
      ]),
    );
  });

  test.each([
    ...Object.keys(BASES).flatMap((b) => Object.keys(EDITS).map((e) => [b, `${b} / ${e}`])),
    ...Object.keys(BASES).flatMap((b) => Object.keys(FROM_IMPORTED).map((e) => [`${b} / move to an imported VPC`, `${b} / imported / ${e}`])),
  ])('%s -> %s: no named resource is replaced under its old name', (from, to) => {
    const report = diffStacks(stacks.get(from)!, stacks.get(to)!, []);
    expect(report.findings.filter((f) => f.kind === 'cannot-replace').map((f) => f.message)).toEqual([]);
    // The edit does force replacements of named resources (else this test could not fail): each gets a new name.
    const renamed = report.findings.filter((f) => f.kind === 'renamed');
    expect(renamed.length).toBeGreaterThan(0);
  });

  test('within each named resource, every replacement-forcing property the map cannot change is the same in every variant', () => {
    // What the edits above do not reach must be constant, or some edit would be missing from them.
    const seen = new Map<string, string>();
    const problems: string[] = [];
    for (const [label, stack] of stacks) {
      for (const [key, r] of namedResources(stack)) {
        const forcing = rulesFor(r.type)!.replaces.filter((p) => !p.includes('.') && !namePropertiesOf(r.type).includes(p));
        for (const p of forcing.filter((q) => !['Port', 'VpcId'].includes(q) || r.type !== 'AWS::ElasticLoadBalancingV2::TargetGroup')) {
          const id = `${r.type} ${key.split('/').pop()} ${p}`;
          const value = JSON.stringify(r.props[p] ?? null).replace(/[A-F0-9]{8}"/g, '"');
          if (seen.has(id) && seen.get(id) !== value) problems.push(`${id}: ${seen.get(id)} vs ${value} (${label})`);
          seen.set(id, value);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  test('the target group name changes with each value that forces its replacement, and with its ALB', () => {
    const base: TargetGroupReplacementValues = { Port: 8080, ...TARGET_GROUP_SETTINGS, VpcId: NEW_VPC };
    const other: Record<keyof TargetGroupReplacementValues, string | number> = {
      Port: 8081,
      Protocol: 'HTTPS',
      ProtocolVersion: 'HTTP2',
      TargetType: 'instance',
      IpAddressType: 'ipv6',
      VpcId: 'vpc-0123456789abcdef0',
    };
    const name = targetGroupName('school', 'live-reading', base, 0);
    for (const key of Object.keys(other) as Array<keyof TargetGroupReplacementValues>) {
      const changed = targetGroupName('school', 'live-reading', { ...base, [key]: other[key] }, 0);
      expect([key, changed === name, changed.length <= 32]).toEqual([key, false, true]);
    }
    expect(targetGroupName('school', 'live-reading', base, 1)).not.toBe(name);
  });

  test('the values the target group name hashes are exactly its replacement-forcing properties in the spec', () => {
    const hashed = Object.keys({ Port: 0, ...TARGET_GROUP_SETTINGS, VpcId: '' } satisfies TargetGroupReplacementValues);
    expect([...hashed, 'Name'].sort()).toEqual([...rulesFor('AWS::ElasticLoadBalancingV2::TargetGroup')!.replaces].sort());
  });

  test('the target groups render the values their names hash (CloudFormation defaults where left out)', () => {
    const defaults: Record<string, string> = { ProtocolVersion: 'HTTP1', IpAddressType: 'ipv4' };
    for (const f of flattenStack(stacks.get('every feature (REST)')!).values()) {
      if (f.resource.Type !== 'AWS::ElasticLoadBalancingV2::TargetGroup') continue;
      for (const [k, v] of Object.entries(TARGET_GROUP_SETTINGS)) expect([k, f.resource.Properties?.[k] ?? defaults[k]]).toEqual([k, v]);
    }
  });
});

describe('the replacement rules file', () => {
  test('is what the installed CloudFormation spec gives (run: npx tsx scripts/write-replacement-rules.ts)', () => {
    const committed = readFileSync(join(__dirname, '..', '..', 'lib', 'service-map', 'replacement-rules.json'), 'utf8');
    expect(committed).toBe(replacementRulesText(replacementRulesFromSpec()));
  });
});

describe('target group names with a VPC given as the construct prop', () => {
  const map: ServiceMap = { name: 'shop', services: { web: { path: '/web', container: { image: 'nginx:1.27' } } } };
  /** The web service's target group name in a gateway built on the given VPC (undefined: the map's own VPC). */
  function nameWith(vpc?: (stack: Stack) => ec2.IVpc): { placed: string; rendered: unknown } {
    const app = new App({ analyticsReporting: false });
    const stack = new Stack(app, 'Gw', { env: { account: '123456789012', region: 'eu-west-1' } });
    const gateway = new ServiceGateway(stack, 'Gateway', { serviceMap: map, vpc: vpc?.(stack) });
    const placed = gateway.placement.services.find((s) => s.name === 'web')!.targetGroupName!;
    const rendered = stack.resolve((gateway.backends.web.targetGroup.node.defaultChild as elbv2.CfnTargetGroup).name);
    return { placed, rendered };
  }
  const own = (cidr: string, id = 'Vpc') => (stack: Stack) => new ec2.Vpc(stack, id, { ipAddresses: ec2.IpAddresses.cidr(cidr), natGateways: 1 });
  const imported = (vpcId: string) => (stack: Stack) => ec2.Vpc.fromVpcAttributes(stack, 'Imported', { vpcId, availabilityZones: ['eu-west-1a'], privateSubnetIds: ['subnet-1'] });

  test('each VPC gives its own name, and the target group renders the name the placement holds', () => {
    const names = [nameWith(), nameWith(own('10.0.0.0/16')), nameWith(own('10.1.0.0/16')), nameWith(own('10.0.0.0/16', 'Other')), nameWith(imported('vpc-0aaaaaaaaaaaaaaa1')), nameWith(imported('vpc-0aaaaaaaaaaaaaaa2'))];
    for (const n of names) expect(n.rendered).toBe(n.placed);
    expect(new Set(names.map((n) => n.placed)).size).toBe(names.length);
    // The same VPC gives the same name on every synth.
    expect(nameWith(own('10.1.0.0/16')).placed).toBe(names[2].placed);
  });
});
