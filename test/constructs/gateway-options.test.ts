import { App, CfnElement, CfnOutput, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ServiceGateway } from '../../lib/service-gateway';
import type { ServiceMap } from '../../lib/service-map/schema';
import { allResources, synthAssembly } from '../support/assembly';
import { everyFeatureRest } from '../support/every-feature';
import { exampleMap, resourcesOf, synthGateway } from '../support/gateway';

/** The value of one of the gateway's outputs, found by the construct id the gateway gave it. */
function outputValue(gateway: ServiceGateway, id: string): unknown {
  const output = gateway.node.findChild(id) as CfnOutput;
  const stack = Stack.of(gateway);
  // The documented name (an overridden logical id), not one derived from the construct path.
  const name = stack.resolve(output.logicalId);
  expect(name).toBe(id);
  return Template.fromStack(stack).toJSON().Outputs[name].Value;
}

const logicalId = (element: unknown) => {
  const e = element as CfnElement;
  return e.stack.getLogicalId(e);
};

describe('ServiceGateway load-balancing options', () => {
  const gw = synthGateway({
    name: 'shop',
    services: {
      sticky: { path: '/sticky', container: { image: 'nginx:1.27' }, loadBalancing: { stickinessSeconds: 3600 } },
      plain: { path: '/plain', container: { image: 'nginx:1.27' } },
    },
  });
  const attributes = (service: string) => {
    const groups = resourcesOf(gw.serviceTemplate(service), 'AWS::ElasticLoadBalancingV2::TargetGroup').filter(([id]) => id.startsWith(service));
    expect(groups).toHaveLength(1);
    return groups[0][1].Properties.TargetGroupAttributes as Array<{ Key: string; Value: string }>;
  };

  test('stickinessSeconds > 0 turns on load-balancer cookie stickiness for that long', () => {
    expect(attributes('sticky')).toEqual(
      expect.arrayContaining([
        { Key: 'stickiness.enabled', Value: 'true' },
        { Key: 'stickiness.type', Value: 'lb_cookie' },
        { Key: 'stickiness.lb_cookie.duration_seconds', Value: '3600' },
      ]),
    );
  });

  test('stickinessSeconds 0 (the default) leaves stickiness off', () => {
    expect(attributes('plain').filter((a) => a.Key.startsWith('stickiness.'))).toEqual([{ Key: 'stickiness.enabled', Value: 'false' }]);
  });
});

describe('ServiceGateway log retention', () => {
  // The HTTP example (new VPC, authorizer, WAF on the ALB) and every feature on the REST front door.
  const assemblies = {
    http: synthAssembly({ ...exampleMap(), logs: { retentionDays: 90 } }),
    rest: synthAssembly({ ...everyFeatureRest, logs: { retentionDays: 90 } }),
  };

  test.each(Object.keys(assemblies) as Array<keyof typeof assemblies>)('%s: every log group in every template (root and nested) keeps logs 90 days', (which) => {
    const assembly = assemblies[which];
    const logGroups = [...allResources(assembly)].filter(([, r]) => r.Type === 'AWS::Logs::LogGroup');
    // Root: VPC flow logs, API access logs, authorizer, WAF; nested: one per container service.
    const nestedFiles = [...assembly.templates.keys()].filter((f) => f.endsWith('.nested.template.json'));
    expect(nestedFiles.length).toBeGreaterThan(0);
    expect(logGroups.filter(([id]) => id.startsWith('Gw.template.json/')).length).toBe(4);
    expect(logGroups.filter(([id]) => nestedFiles.some((f) => id.startsWith(`${f}/`))).length).toBe(2);
    for (const [id, group] of logGroups) expect([id, group.Properties?.RetentionInDays]).toEqual([id, 90]);
  });

  test.each(Object.keys(assemblies) as Array<keyof typeof assemblies>)('%s: no Lambda function writes to an implicit log group that never expires', (which) => {
    const functions = [...allResources(assemblies[which])].filter(([, r]) => r.Type === 'AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThan(0);
    for (const [id, fn] of functions) {
      expect([id, (fn.Properties?.LoggingConfig as { LogGroup?: unknown } | undefined)?.LogGroup]).toEqual([id, { Ref: expect.any(String) }]);
    }
  });

  test('the ALB access-log bucket expires logs, and their old versions, after the same 90 days', () => {
    const gw = synthGateway({ ...exampleMap(), logs: { retentionDays: 90 } });
    const bucketId = logicalId(gw.gateway.accessLogBucket.node.defaultChild);
    const [, bucket] = resourcesOf(gw.root, 'AWS::S3::Bucket').find(([id]) => id === bucketId)!;
    expect(bucket.Properties.LifecycleConfiguration.Rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Id: 'expire-access-logs', Status: 'Enabled', ExpirationInDays: 90, NoncurrentVersionExpiration: { NoncurrentDays: 90 } }),
      ]),
    );
    // And it is the bucket the ALB logs to.
    gw.root.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'access_logs.s3.bucket', Value: { Ref: bucketId } }]),
    });
  });
});

describe('ServiceGateway outputs', () => {
  test('ApiUrl is the execute-api URL of the HTTP API, and Alb0DnsName the DNS name of the first ALB', () => {
    const gw = synthGateway(exampleMap());
    const apiId = logicalId(gw.gateway.apiResource);
    expect(resourcesOf(gw.root, 'AWS::ApiGatewayV2::Api').map(([id]) => id)).toEqual([apiId]);
    expect(outputValue(gw.gateway, 'ApiUrl')).toEqual({
      'Fn::Join': ['', ['https://', { Ref: apiId }, '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/']],
    });
    const albId = logicalId(gw.gateway.loadBalancers[0].loadBalancer.node.defaultChild);
    expect(resourcesOf(gw.root, 'AWS::ElasticLoadBalancingV2::LoadBalancer').map(([id]) => id)).toEqual([albId]);
    expect(outputValue(gw.gateway, 'Alb0DnsName')).toEqual({ 'Fn::GetAtt': [albId, 'DNSName'] });
  });

  test('with several ALBs, each AlbNDnsName names its own ALB', () => {
    const gw = synthGateway({
      name: 'shop',
      network: { loadBalancers: 2 },
      services: { a: { path: '/a', container: { image: 'nginx:1.27' } }, b: { path: '/b', container: { image: 'nginx:1.27' } } },
    });
    const albIds = gw.gateway.loadBalancers.map((alb) => logicalId(alb.loadBalancer.node.defaultChild));
    expect(new Set(albIds).size).toBe(2);
    expect(outputValue(gw.gateway, 'Alb0DnsName')).toEqual({ 'Fn::GetAtt': [albIds[0], 'DNSName'] });
    expect(outputValue(gw.gateway, 'Alb1DnsName')).toEqual({ 'Fn::GetAtt': [albIds[1], 'DNSName'] });
  });

  test('ApiUrl of the REST front door carries the stage', () => {
    const { domain: _domain, ...map } = everyFeatureRest;
    const gw = synthGateway(map);
    const apiId = logicalId(gw.gateway.apiResource);
    gw.root.resourceCountIs('AWS::ApiGateway::RestApi', 1);
    expect(outputValue(gw.gateway, 'ApiUrl')).toEqual({
      'Fn::Join': ['', ['https://', { Ref: apiId }, '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/v1/']],
    });
  });

  test('ApiUrl is the custom domain when the map has one', () => {
    const gw = synthGateway({
      ...exampleMap(),
      domain: { name: 'api.example.com', certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc-123', hostedZoneId: 'Z123', zoneName: 'example.com' },
    });
    expect(outputValue(gw.gateway, 'ApiUrl')).toBe('https://api.example.com/');
  });
});

describe('ServiceGateway with an imported VPC (network.vpcId)', () => {
  const vpcId = 'vpc-0123456789abcdef0';
  // What `cdk synth` stores in cdk.context.json after looking the VPC up: set here, no AWS call is made.
  const lookupKey = `vpc-provider:account=123456789012:filter.vpc-id=${vpcId}:region=eu-west-1:returnAsymmetricSubnets=true`;
  const lookedUp = {
    vpcId,
    vpcCidrBlock: '10.10.0.0/16',
    availabilityZones: [],
    subnetGroups: [
      {
        name: 'Public',
        type: 'Public',
        subnets: [
          { subnetId: 'subnet-0aaaaaaaaaaaaaaa1', availabilityZone: 'eu-west-1a', routeTableId: 'rtb-0aaaaaaaaaaaaaaa1', cidr: '10.10.0.0/24' },
          { subnetId: 'subnet-0aaaaaaaaaaaaaaa2', availabilityZone: 'eu-west-1b', routeTableId: 'rtb-0aaaaaaaaaaaaaaa2', cidr: '10.10.1.0/24' },
        ],
      },
      {
        name: 'Private',
        type: 'Private',
        subnets: [
          { subnetId: 'subnet-0bbbbbbbbbbbbbbb1', availabilityZone: 'eu-west-1a', routeTableId: 'rtb-0bbbbbbbbbbbbbbb1', cidr: '10.10.16.0/20' },
          { subnetId: 'subnet-0bbbbbbbbbbbbbbb2', availabilityZone: 'eu-west-1b', routeTableId: 'rtb-0bbbbbbbbbbbbbbb2', cidr: '10.10.32.0/20' },
        ],
      },
    ],
  };
  const map: ServiceMap = { name: 'shop', network: { vpcId }, services: { web: { path: '/web', container: { image: 'nginx:1.27' } } } };

  const app = new App({ analyticsReporting: false, context: { [lookupKey]: lookedUp } });
  const stack = new Stack(app, 'TestStack', { env: { account: '123456789012', region: 'eu-west-1' } });
  const gateway = new ServiceGateway(stack, 'Gateway', { serviceMap: map });
  const assembly = app.synth();
  const root = Template.fromStack(stack);

  test('the lookup is answered from context: nothing is missing for cdk to look up', () => {
    expect(assembly.manifest.missing).toBeUndefined();
    expect(gateway.vpc.vpcId).toBe(vpcId);
  });

  test('creates no VPC, subnets, NAT gateways or flow-log group', () => {
    root.resourceCountIs('AWS::EC2::VPC', 0);
    root.resourceCountIs('AWS::EC2::Subnet', 0);
    root.resourceCountIs('AWS::EC2::NatGateway', 0);
    root.resourceCountIs('AWS::EC2::FlowLog', 0);
    for (const nested of gateway.serviceStacks.values()) Template.fromStack(nested).resourceCountIs('AWS::EC2::VPC', 0);
  });

  test('the ALB, the VPC link and the security groups live in the imported VPC\'s private subnets', () => {
    root.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internal', Subnets: ['subnet-0bbbbbbbbbbbbbbb1', 'subnet-0bbbbbbbbbbbbbbb2'] });
    root.hasResourceProperties('AWS::ApiGatewayV2::VpcLink', { SubnetIds: ['subnet-0bbbbbbbbbbbbbbb1', 'subnet-0bbbbbbbbbbbbbbb2'] });
    const groups = resourcesOf(root, 'AWS::EC2::SecurityGroup');
    expect(groups.length).toBeGreaterThan(0);
    for (const [, sg] of groups) expect(sg.Properties.VpcId).toBe(vpcId);
    Template.fromStack(gateway.serviceStacks.get(gateway.placement.services[0].group)!).hasResourceProperties('AWS::ECS::Service', {
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ Subnets: ['subnet-0bbbbbbbbbbbbbbb1', 'subnet-0bbbbbbbbbbbbbbb2'] }) },
    });
  });
});
