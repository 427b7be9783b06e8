/**
 * A gateway in the stacks CDK users write: no `env` (what `cdk init` and most jest tests write), a Region
 * only, and a fixed account and Region. Each synthesizes with no lookup left for the CLI (no credentials).
 */
import { App, Environment, Errors, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { ServiceGateway, ServiceGatewayProps } from '../../lib/service-gateway';
import type { ServiceMap } from '../../lib/service-map/schema';

const shop = (extra: Partial<ServiceMap> = {}): ServiceMap => ({
  name: 'shop',
  auth: { jwt: { issuer: 'https://id.example.com/', audience: ['shop-api'] } },
  services: {
    orders: { path: '/orders', container: { image: 'public.ecr.aws/nginx/nginx:1.27', port: 8080 }, scopes: ['orders:read'] },
    billing: { path: '/billing', url: 'https://billing.example.com', auth: 'none' },
  },
  ...extra,
});

function synth(env: Environment | undefined, map: ServiceMap, context: Record<string, unknown> = {}, props: Partial<ServiceGatewayProps> = {}) {
  const app = new App({ analyticsReporting: false, context });
  const stack = new Stack(app, 'shop-gateway', { env });
  const gateway = new ServiceGateway(stack, 'Gateway', { serviceMap: map, ...props });
  const assembly = app.synth();
  return {
    app,
    stack,
    gateway,
    assembly,
    template: Template.fromStack(stack),
    // Annotations.fromStack synthesizes the app again (force: true): only for the tests that read them.
    get annotations() {
      return Annotations.fromStack(stack);
    },
  };
}

describe('a stack with no env', () => {
  let s: ReturnType<typeof synth>;
  beforeAll(() => {
    s = synth(undefined, shop());
  });

  test('synthesizes with nothing to look up', () => {
    expect(s.assembly.manifest.missing ?? []).toEqual([]);
    s.annotations.hasNoError('*', Match.anyValue());
  });

  test('ALB access logs: the Region\'s ELB account (Regions before August 2022) or the log delivery service, chosen at deploy time', () => {
    const mapping = s.template.toJSON().Mappings.CdkServiceGatewayElbAccount;
    expect(mapping['eu-west-1']).toEqual({ account: '156460612806' });
    expect(mapping['eu-central-2']).toEqual({ account: 'none' });
    s.template.hasCondition('CdkServiceGatewayElbAccountKnown', { 'Fn::Not': [{ 'Fn::Equals': [{ 'Fn::FindInMap': ['CdkServiceGatewayElbAccount', { Ref: 'AWS::Region' }, 'account'] }, 'none'] }] });
    s.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 's3:PutObject',
            Principal: {
              Service: 'logdelivery.elasticloadbalancing.amazonaws.com',
              AWS: { 'Fn::If': ['CdkServiceGatewayElbAccountKnown', Match.anyValue(), { Ref: 'AWS::NoValue' }] },
            },
          }),
        ]),
      },
    });
    s.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'access_logs.s3.enabled', Value: 'true' }, { Key: 'access_logs.s3.prefix', Value: 'alb-0' }]),
    });
  });

  test('outputs have the documented names', () => {
    expect(Object.keys(s.template.toJSON().Outputs).sort()).toEqual(['Alb0DnsName', 'ApiId', 'ApiUrl']);
  });

  test('a warning carries its rule id', () => {
    s.annotations.hasWarning('/shop-gateway/Gateway', Match.stringLikeRegexp('^firewall: on the HTTP front door.*\\[ack: cdk-service-gateway:url-bypasses-firewall\\]'));
  });
});

describe('a stack with a Region only', () => {
  test('synthesizes with nothing to look up; the map acknowledges its warning; REST API key outputs are named after the key', () => {
    const s = synth(
      { region: 'eu-west-1' },
      shop({
        frontDoor: 'rest',
        usagePlans: { free: { rateLimit: 10, burstLimit: 20 } },
        apiKeys: { 'mobile-app': { plan: 'free' } },
        services: { orders: { path: '/orders', container: { image: 'nginx:1.27' }, auth: 'apiKey' } },
        acknowledgeWarnings: { 'cdk-service-gateway:waf-capacity': 'accepted' },
      }),
    );
    expect(s.assembly.manifest.missing ?? []).toEqual([]);
    const outputs = s.template.toJSON().Outputs;
    expect(Object.keys(outputs).sort()).toEqual(['Alb0DnsName', 'ApiId', 'ApiKeyMobileAppId', 'ApiUrl']);
    expect(outputs.ApiKeyMobileAppId.Value).toEqual({ Ref: expect.stringMatching(/ApiKeymobileapp/) });
    // A Region: aws-cdk-lib's own access-log policy (no mapping needed).
    expect(s.template.toJSON().Mappings?.CdkServiceGatewayElbAccount).toBeUndefined();
  });
});

describe('a stack with a fixed account and Region', () => {
  test('network.availabilityZones builds the VPC there, with no lookup', () => {
    const s = synth({ account: '123456789012', region: 'eu-west-1' }, shop({ network: { availabilityZones: ['eu-west-1b', 'eu-west-1c'] }, acknowledgeWarnings: { 'cdk-service-gateway:url-bypasses-firewall': 'billing has its own firewall' } }));
    expect(s.assembly.manifest.missing ?? []).toEqual([]);
    const azs = Object.values(s.template.findResources('AWS::EC2::Subnet')).map((r: any) => r.Properties.AvailabilityZone);
    expect(new Set(azs)).toEqual(new Set(['eu-west-1b', 'eu-west-1c']));
    // The map's acknowledgement silences the warning; CDK records it as acknowledged.
    s.annotations.hasNoWarning('*', Match.anyValue());
    // The stack itself is left as it was: its own AZs are still CDK's.
    expect(s.stack.availabilityZones).not.toEqual(['eu-west-1b', 'eu-west-1c']);
  });

  test('AZs of another Region are a problem naming the field', () => {
    expect(() => synth({ account: '123456789012', region: 'us-east-1' }, shop({ network: { availabilityZones: ['eu-west-1a', 'eu-west-1b'] } }))).toThrow(
      /network\.availabilityZones: eu-west-1a, eu-west-1b are not in the stack's Region us-east-1/,
    );
  });

  test('without them, a lookup the CLI could not do is an error naming network.availabilityZones', () => {
    // GIVEN the context the CDK CLI writes when the lookup fails (no credentials)
    const key = 'availability-zones:account=123456789012:region=eu-west-1';
    const failed = { [cxapi.PROVIDER_ERROR_KEY]: 'Need to perform AWS calls for account 123456789012, but no credentials have been configured' };
    const app = new App({ analyticsReporting: false, context: { [key]: failed } });
    const stack = new Stack(app, 'shop-gateway', { env: { account: '123456789012', region: 'eu-west-1' } });
    new ServiceGateway(stack, 'Gateway', { serviceMap: shop() });
    const errors = stack.node.metadata.filter((m) => m.type === 'aws:cdk:error').map((m) => String(m.data));
    expect(errors).toEqual(expect.arrayContaining([expect.stringMatching(/^network\.availabilityZones: the availability zones of the new VPC could not be looked up for account 123456789012, Region eu-west-1 .* list them in network\.availabilityZones/)]));
  });
});

describe('two gateways in one stack', () => {
  test('the second needs an outputPrefix, and gets prefixed output names', () => {
    const app = new App({ analyticsReporting: false });
    const stack = new Stack(app, 'two', { env: { region: 'eu-west-1' } });
    new ServiceGateway(stack, 'Public', { serviceMap: shop() });
    const clash = (() => {
      try {
        new ServiceGateway(stack, 'Admin', { serviceMap: { ...shop(), name: 'admin' } });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(Errors.isValidationError(clash)).toBe(true);
    expect(String((clash as Error).message)).toMatch(/already holds a gateway with the output ApiUrl; give this one an outputPrefix/);
    expect(() => new ServiceGateway(stack, 'Bad', { serviceMap: { ...shop(), name: 'bad' }, outputPrefix: 'a-b' })).toThrow(/outputPrefix "a-b" must be letters and digits, starting with a letter/);
    new ServiceGateway(stack, 'Admin2', { serviceMap: { ...shop(), name: 'admin' }, outputPrefix: 'Admin' });
    const outputs = Object.keys(Template.fromStack(stack).toJSON().Outputs);
    expect(outputs).toEqual(expect.arrayContaining(['ApiUrl', 'AdminApiUrl', 'AdminApiId', 'AdminAlb0DnsName']));
  });
});
