import { App, Errors, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as sns from 'aws-cdk-lib/aws-sns';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPlan } from '../../bin/plan-command';
import { planGateway } from '../../lib/plan';
import { ServiceGateway, type ServiceGatewayProps } from '../../lib/service-gateway';
import type { ServiceMap } from '../../lib/service-map/schema';
import { ServiceMapError } from '../../lib/service-map/validate';

const CERTIFICATE_ARN = 'arn:aws:acm:eu-west-1:123456789012:certificate/abc';

function map(frontDoor: 'http' | 'rest', extra: Partial<ServiceMap> = {}): ServiceMap {
  return {
    name: 'shop',
    frontDoor,
    services: { orders: { path: '/orders', container: { image: 'nginx:1.27' } } },
    alarms: { email: ['ops@example.com'] },
    domain: { name: 'api.example.com', certificateArn: CERTIFICATE_ARN },
    ...extra,
  } as ServiceMap;
}

/** The map's domain without a certificateArn: the certificate is given as an object. */
const DOMAIN_WITHOUT_CERTIFICATE = { domain: { name: 'api.example.com' } } as Partial<ServiceMap>;

/**
 * A stack holding the user's own VPC, cluster, topic, zone and certificate, and a gateway using them. The
 * certificate is made in the same app (its ARN is not known at synth): the map's domain names no ARN.
 */
function synthWithOwn(frontDoor: 'http' | 'rest') {
  const app = new App({ analyticsReporting: false });
  const stack = new Stack(app, 'Own', { env: { region: 'eu-west-1' } });
  const vpc = new ec2.Vpc(stack, 'MyVpc', { maxAzs: 2, natGateways: 1 });
  const cluster = new ecs.Cluster(stack, 'MyCluster', { vpc });
  const alarmTopic = new sns.Topic(stack, 'MyTopic');
  const hostedZone = new route53.PublicHostedZone(stack, 'MyZone', { zoneName: 'example.com' });
  const certificate = new acm.Certificate(stack, 'MyCertificate', { domainName: 'api.example.com', validation: acm.CertificateValidation.fromDns(hostedZone) });
  const gateway = new ServiceGateway(stack, 'Gateway', { serviceMap: map(frontDoor, DOMAIN_WITHOUT_CERTIFICATE), cluster, alarmTopic, hostedZone, certificate });
  const root = Template.fromStack(stack);
  const services = Template.fromStack(gateway.serviceStacks.get(gateway.placement.services[0].group)!);
  const id = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
  return { stack, gateway, root, services, ids: { vpc: id(vpc), cluster: id(cluster), topic: id(alarmTopic), zone: id(hostedZone), certificate: id(certificate) } };
}

describe('ServiceGateway with the user\'s own cluster, alarm topic, hosted zone and certificate (HTTP API)', () => {
  const own = synthWithOwn('http');

  test('cluster: no cluster and no VPC of its own; the services run in the given cluster, the ALBs in its VPC', () => {
    own.root.resourceCountIs('AWS::ECS::Cluster', 1);
    own.root.resourceCountIs('AWS::EC2::VPC', 1);
    expect(own.gateway.cluster).toBe(own.stack.node.findChild('MyCluster'));
    own.root.hasResourceProperties('AWS::EC2::SecurityGroup', { GroupDescription: Match.stringLikeRegexp('VPC link'), VpcId: { Ref: own.ids.vpc } });
    // The nested stack's ECS service gets the cluster through a stack parameter fed by the user's cluster.
    const nested = Object.values(own.root.findResources('AWS::CloudFormation::Stack'));
    expect(nested.some((r) => Object.values(r.Properties.Parameters ?? {}).some((v) => JSON.stringify(v) === JSON.stringify({ Ref: own.ids.cluster })))).toBe(true);
    own.services.resourceCountIs('AWS::ECS::Service', 1);
  });

  test('alarmTopic: no topic or topic key of its own; alarms and the email subscription use the given topic', () => {
    own.root.resourceCountIs('AWS::SNS::Topic', 1);
    own.root.resourceCountIs('AWS::KMS::Key', 0);
    own.root.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com', TopicArn: { Ref: own.ids.topic } });
    const actions = Object.values(own.root.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties.AlarmActions);
    expect(actions.length).toBeGreaterThan(0);
    for (const a of actions) expect(a).toEqual([{ Ref: own.ids.topic }]);
  });

  test('hostedZone and certificate: the custom domain (no certificateArn in the map) uses the given certificate, its A and AAAA aliases the given zone', () => {
    own.root.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'api.example.com',
      DomainNameConfigurations: [Match.objectLike({ CertificateArn: { Ref: own.ids.certificate } })],
    });
    for (const type of ['A', 'AAAA']) own.root.hasResourceProperties('AWS::Route53::RecordSet', { Type: type, Name: 'api.example.com.', HostedZoneId: { Ref: own.ids.zone } });
  });
});

describe('ServiceGateway with the user\'s own hosted zone and certificate (REST API)', () => {
  const own = synthWithOwn('rest');

  test('the REST domain name (no certificateArn in the map) uses the given certificate, its aliases the given zone', () => {
    own.root.hasResourceProperties('AWS::ApiGateway::DomainName', { DomainName: 'api.example.com', RegionalCertificateArn: { Ref: own.ids.certificate } });
    for (const type of ['A', 'AAAA']) own.root.hasResourceProperties('AWS::Route53::RecordSet', { Type: type, Name: 'api.example.com.', HostedZoneId: { Ref: own.ids.zone } });
  });
});

describe('ServiceGateway props that disagree with the map or each other', () => {
  /** The ValidationError the gateway throws, or a failure when it throws none or another kind. */
  function errorOf(build: (stack: Stack) => Pick<ServiceGatewayProps, 'vpc' | 'cluster' | 'alarmTopic' | 'hostedZone' | 'certificate'>, serviceMap: ServiceMap): string {
    const stack = new Stack(new App({ analyticsReporting: false }), 'Bad', { env: { region: 'eu-west-1' } });
    try {
      new ServiceGateway(stack, 'Gateway', { serviceMap, ...build(stack) });
    } catch (e) {
      expect(Errors.isValidationError(e)).toBe(true);
      return (e as Error).message;
    }
    throw new Error('no error');
  }
  const importedVpc = (stack: Stack, id: string) => ec2.Vpc.fromVpcAttributes(stack, id, { vpcId: id, availabilityZones: ['eu-west-1a'], privateSubnetIds: ['subnet-1'] });
  const clusterIn = (stack: Stack, vpcId: string) => ecs.Cluster.fromClusterAttributes(stack, 'C', { clusterName: 'c', vpc: importedVpc(stack, vpcId) });

  test('a cluster in another VPC than the vpc prop', () => {
    expect(errorOf((s) => ({ vpc: importedVpc(s, 'vpc-0123456789abcdef0'), cluster: clusterIn(s, 'vpc-0fedcba9876543210') }), map('http'))).toMatch(/cluster: the cluster is in VPC vpc-0fedcba9876543210, the gateway in vpc vpc-0123456789abcdef0/);
  });

  test('a cluster in another VPC than the map\'s network.vpcId', () => {
    expect(errorOf((s) => ({ cluster: clusterIn(s, 'vpc-0fedcba9876543210') }), map('http', { network: { vpcId: 'vpc-0123456789abcdef0' } }))).toMatch(/cluster: the cluster is in VPC vpc-0fedcba9876543210, the map's network.vpcId is vpc-0123456789abcdef0/);
  });

  test('a cluster in the VPC of network.vpcId is accepted, and the gateway uses that VPC without a lookup', () => {
    const stack = new Stack(new App({ analyticsReporting: false }), 'Ok', { env: { region: 'eu-west-1' } });
    const cluster = clusterIn(stack, 'vpc-0123456789abcdef0');
    const gateway = new ServiceGateway(stack, 'Gateway', { serviceMap: map('http', { network: { vpcId: 'vpc-0123456789abcdef0' } }), cluster });
    expect(gateway.vpc).toBe(cluster.vpc);
    expect(gateway.cluster).toBe(cluster);
  });

  test('alarmTopic beside the map\'s alarms.topicArn', () => {
    const topicArn = 'arn:aws:sns:eu-west-1:123456789012:ops';
    expect(errorOf((s) => ({ alarmTopic: new sns.Topic(s, 'T') }), map('http', { alarms: { email: [], topicArn } }))).toMatch(/alarmTopic: the map also sets alarms.topicArn/);
  });

  test('hostedZone and certificate without a domain in the map: both problems in one error', () => {
    const message = errorOf(
      (s) => ({ hostedZone: new route53.PublicHostedZone(s, 'Z', { zoneName: 'example.com' }), certificate: acm.Certificate.fromCertificateArn(s, 'Cert', CERTIFICATE_ARN) }),
      map('http', { domain: undefined }),
    );
    expect(message).toMatch(/hostedZone: the map has no domain/);
    expect(message).toMatch(/certificate: the map has no domain/);
  });

  test('hostedZone beside the map\'s domain.hostedZoneId', () => {
    const domain = { name: 'api.example.com', certificateArn: CERTIFICATE_ARN, hostedZoneId: 'Z123', zoneName: 'example.com' };
    expect(errorOf((s) => ({ hostedZone: new route53.PublicHostedZone(s, 'Z', { zoneName: 'example.com' }) }), map('rest', { domain }))).toMatch(/hostedZone: the map also sets domain.hostedZoneId/);
  });

  test('a vpc prop other than the map\'s network.vpcId (the same VPC in both is accepted)', () => {
    const network = { vpcId: 'vpc-0123456789abcdef0' };
    expect(errorOf((s) => ({ vpc: importedVpc(s, 'vpc-0fedcba9876543210') }), map('http', { network }))).toMatch(
      /^ServiceGateway: vpc: the vpc prop is vpc-0fedcba9876543210, the map's network.vpcId is vpc-0123456789abcdef0; give one of them, or the same VPC/,
    );
    const stack = new Stack(new App({ analyticsReporting: false }), 'SameVpc', { env: { region: 'eu-west-1' } });
    const vpc = importedVpc(stack, 'vpc-0123456789abcdef0');
    expect(new ServiceGateway(stack, 'Gateway', { serviceMap: map('http', { network }), vpc }).vpc).toBe(vpc);
  });

  test('a cluster in one VPC made in the app, the vpc prop another: both named by their construct paths', () => {
    const message = errorOf((s) => ({ vpc: new ec2.Vpc(s, 'GatewayVpc'), cluster: new ecs.Cluster(s, 'C', { vpc: new ec2.Vpc(s, 'ClusterVpc') }) }), map('http'));
    expect(message).toMatch(/cluster: the cluster is in the VPC Bad\/ClusterVpc, the gateway in vpc Bad\/GatewayVpc; give a cluster in the gateway's VPC/);
  });

  test('a cluster in the VPC given as the vpc prop is accepted when both are made in the app', () => {
    const stack = new Stack(new App({ analyticsReporting: false }), 'Same', { env: { region: 'eu-west-1' } });
    const vpc = new ec2.Vpc(stack, 'V');
    const cluster = new ecs.Cluster(stack, 'C', { vpc });
    expect(new ServiceGateway(stack, 'Gateway', { serviceMap: map('http'), vpc, cluster }).vpc).toBe(vpc);
  });

  test('a hosted zone that does not hold domain.name (the aliases would be api.example.com.other.org.), with or without the trailing dot', () => {
    const zone = (s: Stack, zoneName: string) => route53.HostedZone.fromHostedZoneAttributes(s, 'Z', { hostedZoneId: 'Z123', zoneName });
    expect(errorOf((s) => ({ hostedZone: zone(s, 'other.org') }), map('http'))).toMatch(
      /hostedZone: its zone "other\.org" does not hold the map's domain\.name "api\.example\.com" \(the alias records would be named "api\.example\.com\.other\.org\."\); give the zone of "api\.example\.com"/,
    );
    // A suffix that is not at a label boundary is another zone; so is another case (aws-cdk-lib compares names as written).
    expect(errorOf((s) => ({ hostedZone: zone(s, 'ample.com') }), map('rest'))).toMatch(/hostedZone: its zone "ample\.com" does not hold/);
    expect(errorOf((s) => ({ hostedZone: zone(s, 'Example.COM') }), map('http'))).toMatch(/\(the alias records would be named "api\.example\.com\.Example\.COM\."\)/);
    for (const zoneName of ['example.com', 'example.com.', 'api.example.com']) {
      const stack = new Stack(new App({ analyticsReporting: false }), 'Zone', { env: { region: 'eu-west-1' } });
      new ServiceGateway(stack, 'Gateway', { serviceMap: map('http'), hostedZone: zone(stack, zoneName) });
      Template.fromStack(stack).hasResourceProperties('AWS::Route53::RecordSet', { Type: 'A', Name: 'api.example.com.' });
    }
  });

  test('a map with problems and props that disagree with it: one ServiceMapError lists both', () => {
    const stack = new Stack(new App({ analyticsReporting: false }), 'Both', { env: { region: 'eu-west-1' } });
    let error: unknown;
    try {
      new ServiceGateway(stack, 'Gateway', {
        serviceMap: { ...map('http', { domain: undefined }), name: 'Bad Name!', alarms: { email: [], topicArn: 'arn:aws:sns:eu-west-1:123456789012:ops' } },
        alarmTopic: new sns.Topic(stack, 'T'),
        hostedZone: new route53.PublicHostedZone(stack, 'Z', { zoneName: 'example.com' }),
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ServiceMapError);
    expect((error as ServiceMapError).problems).toEqual([
      expect.stringMatching(/^name: "Bad Name!" is not a valid gateway name/),
      expect.stringMatching(/^alarmTopic: the map also sets alarms\.topicArn/),
      expect.stringMatching(/^hostedZone: the map has no domain/),
    ]);
  });

  test('a certificate whose ARN is not the map\'s domain.certificateArn', () => {
    const other = 'arn:aws:acm:eu-west-1:123456789012:certificate/other';
    expect(errorOf((s) => ({ certificate: acm.Certificate.fromCertificateArn(s, 'Cert', other) }), map('http'))).toMatch(/certificate: its ARN .*other is not the map's domain.certificateArn/);
  });

  test('a certificate in another Region than the stack (a regional custom domain takes its own Region\'s only), from the prop or the map', () => {
    const virginia = 'arn:aws:acm:us-east-1:123456789012:certificate/edge';
    const { certificateArn: _arn, ...domainWithoutArn } = map('http').domain!;
    expect(errorOf((s) => ({ certificate: acm.Certificate.fromCertificateArn(s, 'Cert', virginia) }), map('http', { domain: domainWithoutArn }))).toMatch(
      /certificate: arn:aws:acm:us-east-1:123456789012:certificate\/edge is in us-east-1; the custom domain of a regional API needs an ACM certificate in the stack's Region eu-west-1/,
    );
    expect(errorOf(() => ({}), map('rest', { domain: { ...map('rest').domain!, certificateArn: virginia } }))).toMatch(/domain\.certificateArn: arn:aws:acm:us-east-1:.* is in us-east-1; .* stack's Region eu-west-1/);
    // A stack without a Region cannot tell at synth: no error.
    const agnostic = new Stack(new App({ analyticsReporting: false }), 'Agnostic');
    expect(() => new ServiceGateway(agnostic, 'Gateway', { serviceMap: map('rest', { domain: { ...map('rest').domain!, certificateArn: virginia } }) })).not.toThrow();
  });
});

describe('map fields the VPC prop makes moot', () => {
  const warningsOf = (gateway: ServiceGateway) => gateway.node.metadata.filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data));
  const build = (network: ServiceMap['network'], own: 'vpc' | 'cluster') => {
    const stack = new Stack(new App({ analyticsReporting: false }), 'Moot', { env: { region: 'eu-west-1' } });
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-1', availabilityZones: ['eu-west-1a'], privateSubnetIds: ['subnet-1'] });
    const prop = own === 'vpc' ? { vpc } : { cluster: ecs.Cluster.fromClusterAttributes(stack, 'C', { clusterName: 'c', vpc }) };
    return new ServiceGateway(stack, 'Gateway', { serviceMap: map('http', { network }), ...prop });
  };

  test('network.maxAzs, natGateways or availabilityZones beside a vpc or cluster prop: a warning naming each, under its own id', () => {
    expect(warningsOf(build({ natGateways: 2, maxAzs: 3 }, 'vpc'))).toEqual([
      expect.stringMatching(/^network\.maxAzs, network\.natGateways: these describe a new VPC, but the vpc prop gives the VPC, so the gateway ignores them; remove them from the map \[ack: cdk-service-gateway:network-ignored-with-vpc-prop\]$/),
    ]);
    expect(warningsOf(build({ availabilityZones: ['eu-west-1a', 'eu-west-1b'] }, 'cluster'))).toEqual([expect.stringContaining('network.availabilityZones: this describes a new VPC, but the cluster prop gives the VPC')]);
  });

  test('no such field, no warning', () => {
    expect(warningsOf(build({ loadBalancers: 1 }, 'vpc')).filter((w) => w.includes('network-ignored-with-vpc-prop'))).toEqual([]);
  });
});

describe('a custom domain without domain.certificateArn', () => {
  const required = /^domain\.certificateArn: required for the custom domain "api\.example\.com"; give the ARN of its ACM certificate/;

  test('planned without a certificate provided (the bundled app, the plan and verify CLIs): a problem naming the field, and no plan', () => {
    for (const frontDoor of ['http', 'rest'] as const) {
      const { problems, plan } = planGateway(map(frontDoor, DOMAIN_WITHOUT_CERTIFICATE));
      expect(problems).toEqual([expect.stringMatching(required)]);
      expect(plan).toBeUndefined();
    }
    // Reported beside other problems of a map that does not parse as a whole.
    const { problems } = planGateway({ ...map('http', DOMAIN_WITHOUT_CERTIFICATE), throttle: { rateLimit: -1 } });
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(required), expect.stringMatching(/^throttle\.rateLimit: /)]));
  });

  test('planned with the certificate provided: a plan whose domain has no ARN', () => {
    const { problems, plan } = planGateway(map('rest', DOMAIN_WITHOUT_CERTIFICATE), { certificateProvided: true });
    expect(problems).toEqual([]);
    expect(plan!.map.domain).toEqual({ name: 'api.example.com' });
  });

  test('the plan CLI rejects the map with the field path', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'csg-cert-')), 'map.json');
    writeFileSync(file, JSON.stringify(map('http', DOMAIN_WITHOUT_CERTIFICATE)));
    const err: string[] = [];
    const code = runPlan([file], { out: () => undefined, err: (l) => err.push(l) });
    expect(code).not.toBe(0);
    expect(err.join('\n')).toMatch(/domain\.certificateArn: required for the custom domain/);
  });

  test('a prebuilt plan without the certificate, and no certificate prop: a ValidationError naming domain.certificateArn', () => {
    const { plan } = planGateway(map('http', DOMAIN_WITHOUT_CERTIFICATE), { certificateProvided: true });
    const stack = new Stack(new App({ analyticsReporting: false }), 'NoCert', { env: { region: 'eu-west-1' } });
    let error: unknown;
    try {
      new ServiceGateway(stack, 'Gateway', { plan });
    } catch (e) {
      error = e;
    }
    expect(Errors.isValidationError(error)).toBe(true);
    expect((error as Error).message).toMatch(/domain\.certificateArn: the plan's custom domain api\.example\.com has no certificate; set domain\.certificateArn in the map, or give the certificate prop/);
  });
});
