import { App, Errors, NestedStack, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { InternalLoadBalancer } from '../../lib/backends/internal-load-balancer';
import { HttpFrontDoor } from '../../lib/front-door/http-front-door';
import { RestFrontDoor } from '../../lib/front-door/rest-front-door';
import { planGateway, type GatewayPlan } from '../../lib/plan';
import type { ServiceMap } from '../../lib/service-map/schema';

const image = 'public.ecr.aws/nginx/nginx:1.27';

function planOf(map: ServiceMap, certificateProvided = false): GatewayPlan {
  const { problems, plan } = planGateway(map, { certificateProvided });
  expect(problems).toEqual([]);
  return plan!;
}

/** A front door built on its own (not by ServiceGateway), in a stack with a VPC and one internal ALB. */
function standalone(FrontDoor: typeof HttpFrontDoor | typeof RestFrontDoor, plan: GatewayPlan) {
  const stack = new Stack(new App({ analyticsReporting: false }), 'Solo', { env: { region: 'eu-west-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const vpcLinkSecurityGroup = new ec2.SecurityGroup(stack, 'LinkSg', { vpc, allowAllOutbound: false });
  const alb = new InternalLoadBalancer(stack, 'Alb0', { vpc, vpcLinkSecurityGroup });
  const frontDoor = new FrontDoor(stack, 'FrontDoor', { plan, vpc, loadBalancers: [alb], vpcLinkSecurityGroup, logRetention: logs.RetentionDays.ONE_WEEK });
  return { stack, frontDoor };
}

describe('a front door used on its own, services added to scopes in its own stack', () => {
  const plan = planOf({
    name: 'solo',
    services: {
      orders: { path: '/orders', container: { image }, auth: 'none', throttle: { rateLimit: 5, burstLimit: 10 } },
      status: { path: '/status', url: 'https://status.example.com', auth: 'none' },
    },
  });
  let template: Template;
  let stack: Stack;
  beforeAll(() => {
    const built = standalone(HttpFrontDoor, plan);
    stack = built.stack;
    // The stage exists before any route; the routes' settings and dependencies reach it as they are added.
    expect(built.frontDoor.stage).toBeDefined();
    for (const service of plan.services) built.frontDoor.addServiceRoutes(new Construct(stack, `Svc-${service.name}`), service);
    template = Template.fromStack(stack);
  });

  test('the stage carries the settings of the routes added after it, and waits for those routes', () => {
    const [stage] = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'));
    expect(Object.keys(stage.Properties.RouteSettings)).toEqual(['ANY /orders', 'ANY /orders/{proxy+}']);
    expect(stage.Properties.RouteSettings['ANY /orders']).toEqual({ ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10, DetailedMetricsEnabled: true });
    const routes = Object.keys(template.findResources('AWS::ApiGatewayV2::Route'));
    expect(routes).toHaveLength(4);
    expect(stage.DependsOn).toEqual(expect.arrayContaining(routes));
  });

  test('the routes are the plan\'s: keys, and the integration each plans (one shared to the ALB, the url service\'s own)', () => {
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties.RouteKey).sort();
    expect(routes).toEqual(plan.services.flatMap((s) => s.routes.map((r) => r.key)).sort());
    const integrations = Object.values(template.findResources('AWS::ApiGatewayV2::Integration')).map((i) => i.Properties.Description).sort();
    expect(integrations).toEqual(['ALB 0, anonymous callers, path full, timeout 29000 ms', 'status: https://status.example.com']);
  });
});

describe('the custom domain\'s certificate', () => {
  test('a plan whose domain has no certificateArn, and no certificate prop: the front door throws ValidationError naming the field', () => {
    const plan = planOf({ name: 'solo', frontDoor: 'rest', domain: { name: 'api.example.com' }, services: { a: { path: '/a', container: { image } } } }, true);
    let error: unknown;
    try {
      standalone(RestFrontDoor, plan);
    } catch (e) {
      error = e;
    }
    expect(Errors.isValidationError(error)).toBe(true);
    expect((error as Error).message).toMatch(/^domain\.certificateArn: required for the custom domain api\.example\.com; add the ACM certificate's ARN to the map, or give the certificate prop/);
  });
});

describe('a front door used on its own refuses what it cannot render, with a ValidationError', () => {
  const errorOf = (build: () => unknown): string => {
    try {
      build();
    } catch (e) {
      expect(Errors.isValidationError(e)).toBe(true);
      return (e as Error).message;
    }
    throw new Error('expected a ValidationError');
  };
  const two = { a: { path: '/a', container: { image } }, b: { path: '/b', container: { image } } };

  test('HttpFrontDoor given a REST plan (RestFrontDoor given an HTTP plan says the same)', () => {
    expect(errorOf(() => standalone(HttpFrontDoor, planOf({ name: 'solo', frontDoor: 'rest', services: two })))).toMatch(
      /^HttpFrontDoor: the plan of "solo" is for the rest front door; plan a map with frontDoor "http", or use RestFrontDoor/,
    );
    expect(errorOf(() => standalone(RestFrontDoor, planOf({ name: 'solo', services: two })))).toMatch(/^RestFrontDoor: the plan of "solo" is for the http front door/);
  });

  test('fewer ALBs than the plan places services on', () => {
    const plan = planOf({ name: 'solo', network: { loadBalancers: 2 }, services: { ...two, c: { path: '/c', container: { image } } } });
    expect(plan.placement.loadBalancerCount).toBe(2);
    for (const FrontDoor of [HttpFrontDoor, RestFrontDoor]) {
      const planned = FrontDoor === RestFrontDoor ? planOf({ name: 'solo', frontDoor: 'rest', network: { loadBalancers: 2 }, services: { ...two, c: { path: '/c', container: { image } } } }) : plan;
      expect(errorOf(() => standalone(FrontDoor, planned))).toMatch(
        new RegExp(`^${FrontDoor.name}: the plan places services on 2 internal ALBs, loadBalancers has 1; give one InternalLoadBalancer per planned ALB`),
      );
    }
  });

  test.each([['http'], ['rest']] as const)('%s: two services in one scope, a service added twice, a service of another plan: each named', (frontDoor) => {
    const plan = planOf({ name: 'solo', frontDoor, services: two });
    const other = planOf({ name: 'other', frontDoor, services: { c: { path: '/c', container: { image } } } });
    const { stack, frontDoor: door } = standalone(frontDoor === 'rest' ? RestFrontDoor : HttpFrontDoor, plan);
    const name = frontDoor === 'rest' ? 'RestFrontDoor' : 'HttpFrontDoor';
    const shared = new Construct(stack, 'Shared');
    door.addServiceRoutes(shared, plan.services[0]);
    expect(errorOf(() => door.addServiceRoutes(shared, plan.services[1]))).toMatch(
      new RegExp(`^${name}.addServiceRoutes: Solo/Shared already holds the routes of service "a"; give each service its own scope \\(e.g. new Construct\\(stack, "b"\\)\\)`),
    );
    expect(errorOf(() => door.addServiceRoutes(new Construct(stack, 'A2'), plan.services[0]))).toMatch(/the routes of service "a" are already added \(in Solo\/Shared\)/);
    expect(errorOf(() => door.addServiceRoutes(new Construct(stack, 'C'), other.services[0]))).toMatch(/service "c" is not in the plan of "solo"/);
    // The front door's stack itself (its stage would wait for its own stack), and a stack beside it (a cycle).
    expect(errorOf(() => door.addServiceRoutes(stack, plan.services[1]))).toMatch(/Solo is the front door's stack itself, whose stage cannot wait for it; give the service a scope of its own in it/);
    const beside = new Stack(stack.node.scope as App, 'Beside');
    expect(errorOf(() => door.addServiceRoutes(new Construct(beside, 'B'), plan.services[1]))).toMatch(/Beside\/B is in the stack Beside, neither the front door's stack Solo nor a nested stack of it/);
    // Its own scope, in a nested stack, works and synthesizes.
    door.addServiceRoutes(new Construct(new NestedStack(stack, 'Services'), 'B'), plan.services[1]);
    expect(() => Template.fromStack(stack)).not.toThrow();
  });
});
