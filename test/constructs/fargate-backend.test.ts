/**
 * FargateBackend as a building block on its own: in a plain stack, on an existing ALB listener imported by
 * its ARN, rendering a service's plan (priority, target group name, port, health check, route keys).
 */
import { App, Errors, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { FargateBackend, type FargateBackendProps } from '../../lib/backends/fargate-backend';
import { planGateway, type ServicePlan } from '../../lib/plan';
import type { ServiceMap } from '../../lib/service-map/schema';

const LISTENER_ARN = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shared/0123456789abcdef/fedcba9876543210';
const ALB_SECURITY_GROUP = 'sg-0a1b2c3d4e5f67890';

const map: ServiceMap = {
  name: 'shop',
  network: { vpcId: 'vpc-12345678' },
  services: {
    orders: {
      path: '/orders',
      priority: 4242,
      container: { image: 'nginx:1.27', port: 3000, healthCheckPath: '/healthz', healthCheck: { intervalSeconds: 20, successCodes: '200' } },
      scaling: { minTasks: 2, maxTasks: 6 },
    },
    payment: { path: '/payment', url: 'https://payment.example.com' },
  },
};
const planned = planGateway(map).plan!;
const orders = planned.services.find((s) => s.name === 'orders')!;

/** A plain stack with an imported VPC, a cluster in it and an existing listener; `props` override the plan's values. */
function backendIn(props: Partial<FargateBackendProps> = {}, service: ServicePlan = orders) {
  const app = new App({ analyticsReporting: false });
  const stack = new Stack(app, 'Plain', { env: { account: '123456789012', region: 'eu-west-1' } });
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-12345678',
    availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    privateSubnetIds: ['subnet-aaaa1111', 'subnet-bbbb2222'],
  });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  const listener = elbv2.ApplicationListener.fromApplicationListenerAttributes(stack, 'Listener', {
    listenerArn: LISTENER_ARN,
    securityGroup: ec2.SecurityGroup.fromSecurityGroupId(stack, 'AlbSecurityGroup', ALB_SECURITY_GROUP),
  });
  const backend = new FargateBackend(stack, 'Orders', {
    cluster,
    listener,
    serviceName: service.name,
    service: planned.map.services[service.name],
    loadBalancer: orders.loadBalancer!,
    logRetention: logs.RetentionDays.ONE_MONTH,
    ...props,
  });
  return { stack, backend };
}

describe('FargateBackend on an imported listener, in a plain stack', () => {
  let template: Template;
  let stack: Stack;
  let backend: FargateBackend;
  beforeAll(() => {
    ({ stack, backend } = backendIn());
    template = Template.fromStack(stack);
  });

  test('the listener rule goes on the imported listener\'s ARN, with the plan\'s priority and the route keys as the header condition', () => {
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 1);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      ListenerArn: LISTENER_ARN,
      Priority: 4242,
      Conditions: [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'x-gateway-service', Values: ['ANY /orders', 'ANY /orders/{proxy+}'] } }],
      Actions: [{ Type: 'forward', TargetGroupArn: { Ref: stack.getLogicalId(backend.targetGroup.node.defaultChild as never) } }],
    });
  });

  test('the target group is the plan\'s: name, port and health check, in the cluster\'s VPC', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Name: orders.loadBalancer!.targetGroupName,
      Port: 3000,
      Protocol: 'HTTP',
      TargetType: 'ip',
      VpcId: 'vpc-12345678',
      HealthCheckPath: '/healthz',
      HealthCheckIntervalSeconds: 20,
      Matcher: { HttpCode: '200' },
    });
    expect(orders.loadBalancer!.targetGroupName).toMatch(/^shop-orders-[0-9a-z]{7}$/);
  });

  test('the tasks admit the listener\'s load balancer on the container port, and the service registers in the target group', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { IpProtocol: 'tcp', FromPort: 3000, ToPort: 3000, SourceSecurityGroupId: ALB_SECURITY_GROUP });
    template.hasResourceProperties('AWS::ECS::Service', {
      LoadBalancers: [{ ContainerName: 'app', ContainerPort: 3000, TargetGroupArn: Match.anyValue() }],
      NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED', Subnets: ['subnet-aaaa1111', 'subnet-bbbb2222'] } },
      HealthCheckGracePeriodSeconds: 60,
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 2, MaxCapacity: 6 });
  });
});

describe('FargateBackend refuses props it cannot render, with a ValidationError naming each', () => {
  const errorOf = (build: () => unknown): Error => {
    try {
      build();
    } catch (e) {
      expect(Errors.isValidationError(e)).toBe(true);
      return e as Error;
    }
    throw new Error('expected a ValidationError');
  };

  test('a url service', () => {
    expect(errorOf(() => backendIn({}, planned.services.find((s) => s.name === 'payment')!)).message).toMatch(
      /FargateBackend \(services\.payment\): service is a url service; FargateBackend needs a container service/,
    );
  });

  test('every bad value at once: priority out of range, another port, no route key', () => {
    const message = errorOf(() => backendIn({ loadBalancer: { ...orders.loadBalancer!, priority: 50001, port: 8080, routeKeys: [] } })).message;
    expect(message).toMatch(/loadBalancer\.priority: 50001 is not a listener-rule priority \(an integer from 1 to 50000\)/);
    expect(message).toMatch(/loadBalancer\.port: 8080 is not the port the container listens on \(container\.port 3000\)/);
    expect(message).toMatch(/loadBalancer\.routeKeys: 0 values; a listener rule's header condition takes 1 to 5/);
  });
});

describe('FargateBackend without the plan\'s loadBalancer block (plain JavaScript, or a url service\'s block taken with `!`)', () => {
  const errorOf = (props: Record<string, unknown>): string => {
    try {
      backendIn(props as Partial<FargateBackendProps>);
    } catch (e) {
      expect(Errors.isValidationError(e)).toBe(true);
      return (e as Error).message;
    }
    throw new Error('expected a ValidationError');
  };

  test('no block: a ValidationError naming loadBalancer, not a TypeError', () => {
    const payment = planned.services.find((s) => s.name === 'payment')!;
    expect(payment.loadBalancer).toBeUndefined();
    expect(errorOf({ loadBalancer: payment.loadBalancer })).toMatch(/^FargateBackend \(services\.orders\): loadBalancer missing; give the service's block of the plan \(the loadBalancer of the ServicePlan named "orders"\)/);
  });

  test('required props left out (plain JavaScript): each named at once', () => {
    expect(errorOf({ cluster: undefined, listener: null, service: undefined })).toMatch(/^FargateBackend \(services\.orders\): cluster, listener, service missing \(required props\)/);
  });

  test('a block without some fields: each missing field named at once', () => {
    const { healthCheck: _h, routeKeys: _r, ...partial } = orders.loadBalancer!;
    expect(errorOf({ loadBalancer: partial })).toMatch(/: loadBalancer\.routeKeys, loadBalancer\.healthCheck missing;/);
  });

  test('values of the wrong type are named with their JSON: a priority given as a string, route keys given as one string', () => {
    const message = errorOf({ loadBalancer: { ...orders.loadBalancer!, priority: '5', routeKeys: 'ANY /orders' } });
    expect(message).toMatch(/loadBalancer\.priority: "5" is not a listener-rule priority/);
    expect(message).toMatch(/loadBalancer\.routeKeys: "ANY \/orders" is not a list/);
  });
});

describe('the target group name and the cluster\'s VPC', () => {
  const warningsOf = (backend: FargateBackend) => backend.node.metadata.filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data));

  test('planned for the cluster\'s VPC (the map\'s network.vpcId): no warning', () => {
    expect(warningsOf(backendIn().backend)).toEqual([]);
  });

  test('planned for a VPC the gateway would create, on a cluster in vpc-12345678: a warning naming the field to set', () => {
    const elsewhere = planGateway({ ...map, network: {} }).plan!.services.find((s) => s.name === 'orders')!;
    expect(elsewhere.loadBalancer!.vpc).toBe('new VPC');
    expect(warningsOf(backendIn({ loadBalancer: elsewhere.loadBalancer! }).backend)).toEqual([
      expect.stringMatching(/^services\.orders: its target group name shop-orders-\w+ was planned for a VPC the gateway creates, the cluster is in vpc-12345678; plan the map with network\.vpcId "vpc-12345678" .*\[ack: cdk-service-gateway:target-group-name-vpc\]$/),
    ]);
  });
});
