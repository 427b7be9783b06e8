/**
 * Rendering of what keeps a deployed gateway changeable: the map's health check on the target group and
 * the ECS service, and the REST deployment whose logical id follows what it snapshots, and nothing else.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Template } from 'aws-cdk-lib/assertions';
import { RestFrontDoor } from '../../lib/front-door/rest-front-door';
import { ServiceGateway } from '../../lib/service-gateway';
import type { ServiceMap } from '../../lib/service-map/schema';
import { everyFeatureRest } from '../support/every-feature';
import { synthGateway } from '../support/gateway';

const slowStart = { gracePeriodSeconds: 240, intervalSeconds: 20, timeoutSeconds: 8, healthyThresholdCount: 3, unhealthyThresholdCount: 4, successCodes: '200,204' };
const withOrders = (map: ServiceMap, orders: Record<string, unknown>): ServiceMap => ({ ...map, services: { ...map.services, orders: { ...map.services.orders, ...orders } as never } });
const base = withOrders(everyFeatureRest, { container: { ...everyFeatureRest.services.orders.container!, healthCheck: slowStart } });

/** A gateway built (not synthesized), for the deployment's logical id: what CloudFormation would see. */
function build(map: ServiceMap): { gateway: ServiceGateway; deploymentId: () => string } {
  const stack = new Stack(new App({ analyticsReporting: false }), 'TestStack', { env: { account: '123456789012', region: 'eu-west-1' } });
  const gateway = new ServiceGateway(stack, 'Gateway', { serviceMap: map });
  const deployment = (gateway.frontDoor as RestFrontDoor).deployment;
  return { gateway, deploymentId: () => stack.resolve(deployment.logicalId) };
}

describe('health check from the map', () => {
  const gw = synthGateway(base);
  const orders = gw.serviceTemplate('orders');
  const users = gw.serviceTemplate('users');

  test('the target group checks as the map says', () => {
    orders.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      HealthCheckPath: '/',
      HealthCheckIntervalSeconds: 20,
      HealthCheckTimeoutSeconds: 8,
      HealthyThresholdCount: 3,
      UnhealthyThresholdCount: 4,
      Matcher: { HttpCode: '200,204' },
    });
    orders.hasResourceProperties('AWS::ECS::Service', { HealthCheckGracePeriodSeconds: 240 });
  });

  test('a service without healthCheck keeps the defaults', () => {
    users.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      HealthCheckIntervalSeconds: 15,
      HealthCheckTimeoutSeconds: 5,
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 3,
      Matcher: { HttpCode: '200-399' },
    });
    users.hasResourceProperties('AWS::ECS::Service', { HealthCheckGracePeriodSeconds: 60 });
  });

  test('the REST stage points at the deployment whose id is the one worked out from what it snapshots', () => {
    const deployments = gw.root.findResources('AWS::ApiGateway::Deployment');
    expect(Object.keys(deployments)).toEqual([expect.stringMatching(/^GatewayRestFrontDoorDeployment[0-9A-F]{8}[0-9a-f]{8}$/)]);
    const [id] = Object.keys(deployments);
    gw.root.hasResourceProperties('AWS::ApiGateway::Stage', { DeploymentId: { Ref: id } });
  });
});

describe('the REST deployment changes with what it deploys, and only then', () => {
  const before = build(base).deploymentId();

  test('the same map gives the same deployment', () => {
    expect(build(base).deploymentId()).toBe(before);
  });

  test.each<[string, ServiceMap]>([
    ['an alarm threshold', { ...base, alarms: { ...base.alarms, api4xxPercent: 40 } }],
    ['a service scope (checked by the authorizer, not the method)', withOrders(base, { scopes: ['orders:write'] })],
    ['the stage throttle (a stage setting)', { ...base, throttle: { rateLimit: 123, burstLimit: 456 } }],
    ['a usage plan (not part of a deployment)', { ...base, usagePlans: { free: { rateLimit: 6, burstLimit: 10, quota: { limit: 1000, period: 'DAY' } } } }],
    ['a health check', withOrders(base, { container: { ...base.services.orders.container!, healthCheck: { ...slowStart, gracePeriodSeconds: 300 } } })],
  ])('changing %s keeps the deployment', (_what, map) => {
    expect(build(map).deploymentId()).toBe(before);
  });

  test.each<[string, ServiceMap]>([
    ['an integration timeout', withOrders(base, { timeoutMs: 20000 })],
    ['a method auth', withOrders(base, { auth: 'none', scopes: [] })],
    ['a new service (resources and methods)', { ...base, services: { ...base.services, extra: { path: '/extra', url: 'https://extra.example.com', auth: 'none' } } }],
    ['a service renamed', { ...base, services: { ...Object.fromEntries(Object.entries(base.services).filter(([n]) => n !== 'legacy')), old: base.services.legacy } }],
    ['a CORS gateway response', { ...base, cors: { ...base.cors!, allowOrigins: ['https://c.example.com'] } }],
    ['the authorizer cache', { ...base, auth: { ...base.auth, cacheTtlSeconds: 120 } }],
  ])('changing %s makes a new deployment', (_what, map) => {
    expect(build(map).deploymentId()).not.toBe(before);
  });

  test('an escape-hatch override on a method (or a library upgrade that renders it differently) makes a new deployment', () => {
    const { gateway, deploymentId } = build(base);
    expect(deploymentId()).toBe(before);
    const method = gateway.serviceStacks.get(gateway.placement.services.find((s) => s.name === 'legacy')!.group)!.node.findAll().find((c) => c instanceof apigw.CfnMethod) as apigw.CfnMethod;
    method.addPropertyOverride('Integration.TimeoutInMillis', 1234);
    expect(deploymentId()).not.toBe(before);
  });
});

test('Template of a built gateway carries the same deployment id (no drift between build and synth)', () => {
  const { gateway, deploymentId } = build(base);
  expect(Object.keys(Template.fromStack(Stack.of(gateway)).findResources('AWS::ApiGateway::Deployment'))).toEqual([deploymentId()]);
});
