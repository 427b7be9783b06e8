import { App, Errors, Stack } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { BackendMetrics } from '../../lib/monitoring/backend-metrics';
import type { ApiMetrics } from '../../lib/monitoring/gateway-alarms';
import { ServiceAlarms } from '../../lib/monitoring/service-alarms';
import { GatewayMonitoring } from '../../lib/monitoring/gateway-monitoring';
import { Construct } from 'constructs';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { planGateway, type GatewayPlan } from '../../lib/plan';
import { ServiceGateway } from '../../lib/service-gateway';
import type { ServiceMap } from '../../lib/service-map/schema';
import { exampleMap, resourcesOf, synthGateway } from '../support/gateway';

type Alarm = { Properties: Record<string, any> };
const alarmsOf = (t: Template) => Object.fromEntries(resourcesOf(t, 'AWS::CloudWatch::Alarm').map(([, a]) => [a.Properties.AlarmName, a as Alarm]));

/** The metric an alarm watches, whether plain or the first metric of a math expression with that name. */
function metricNames(alarm: Alarm): string[] {
  const p = alarm.Properties;
  if (p.MetricName) return [p.MetricName];
  return (p.Metrics as any[]).filter((m) => m.MetricStat).map((m) => m.MetricStat.Metric.MetricName);
}

/** The example map on the REST front door with a cached url service: synthesized once, for the tests that need REST. */
let restExampleGateway: ReturnType<typeof synthGateway> | undefined;
function restExample(): ReturnType<typeof synthGateway> {
  if (!restExampleGateway) {
    const map = exampleMap();
    map.frontDoor = 'rest';
    map.firewall = { ...map.firewall, rateLimits: map.firewall?.rateLimits?.filter((r) => r.key !== 'user') };
    map.services.payment.cache = { ttlSeconds: 30 };
    restExampleGateway = synthGateway(map);
  }
  return restExampleGateway;
}

describe('GatewayMonitoring with the example map', () => {
  const gw = synthGateway(exampleMap());
  const root = alarmsOf(gw.root);
  const live = alarmsOf(gw.serviceTemplate('live-reading'));
  const payment = alarmsOf(gw.serviceTemplate('payment'));
  const topicRef = resourcesOf(gw.root, 'AWS::SNS::Topic')[0][0];

  test('one encrypted, TLS-only SNS topic with the map\'s email subscriptions', () => {
    gw.root.resourceCountIs('AWS::SNS::Topic', 1);
    gw.root.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    gw.root.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
    gw.root.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    gw.root.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] })]) },
    });
  });

  test('gateway alarms: 5xx rate, p99, integration p99, authorizer errors/throttles/p99, WAF surge', () => {
    expect(Object.keys(root).sort()).toEqual(
      ['school-api-5xx', 'school-api-p99', 'school-authorizer-errors', 'school-authorizer-p99', 'school-authorizer-throttles', 'school-integration-p99', 'school-waf-blocked-surge'].sort(),
    );
    expect(metricNames(root['school-api-5xx']).sort()).toEqual(['5xx', 'Count']);
    expect(root['school-api-5xx'].Properties).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching', EvaluationPeriods: 3, DatapointsToAlarm: 2 });
    expect(root['school-api-p99'].Properties).toMatchObject({ MetricName: 'Latency', Namespace: 'AWS/ApiGateway', ExtendedStatistic: 'p99', Threshold: 1000 });
    expect(root['school-authorizer-errors'].Properties).toMatchObject({ MetricName: 'Errors', Namespace: 'AWS/Lambda', Statistic: 'Sum', Threshold: 0 });
    expect(root['school-authorizer-p99'].Properties).toMatchObject({ MetricName: 'Duration', ExtendedStatistic: 'p99', Threshold: 1000 });
    expect(root['school-waf-blocked-surge'].Properties).toMatchObject({ MetricName: 'BlockedRequests', Namespace: 'AWS/WAFV2', Threshold: 1000 });
  });

  test('every alarm notifies the topic when it fires and when it recovers', () => {
    for (const alarm of [...Object.values(root), ...Object.values(live)] as Alarm[]) {
      expect(JSON.stringify(alarm.Properties.AlarmActions)).toContain(topicRef.slice(0, 20));
      expect(alarm.Properties.OKActions).toEqual(alarm.Properties.AlarmActions);
    }
  });

  test('a Fargate service gets six alarms in its own nested stack, with thresholds from the map', () => {
    expect(Object.keys(live).sort()).toEqual(
      ['cpu-high', 'memory-high', 'target-5xx', 'target-p99', 'tasks-below-minimum', 'unhealthy-tasks'].map((a) => `school-live-reading-${a}`).sort(),
    );
    expect(metricNames(live['school-live-reading-target-5xx']).sort()).toEqual(['HTTPCode_Target_5XX_Count', 'RequestCount']);
    expect(live['school-live-reading-target-5xx'].Properties.Threshold).toBe(1);
    // 800 ms from the map, in seconds as the ALB publishes it.
    expect(live['school-live-reading-target-p99'].Properties).toMatchObject({ MetricName: 'TargetResponseTime', ExtendedStatistic: 'p99', Threshold: 0.8 });
    expect(live['school-live-reading-unhealthy-tasks'].Properties).toMatchObject({ MetricName: 'UnHealthyHostCount', Statistic: 'Maximum', Threshold: 0 });
    expect(live['school-live-reading-tasks-below-minimum'].Properties).toMatchObject({
      MetricName: 'RunningTaskCount',
      Namespace: 'ECS/ContainerInsights',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 2,
      TreatMissingData: 'breaching',
    });
    expect(live['school-live-reading-cpu-high'].Properties).toMatchObject({ MetricName: 'CPUUtilization', Namespace: 'AWS/ECS', Threshold: 85, EvaluationPeriods: 3, DatapointsToAlarm: 3 });
    expect(live['school-live-reading-memory-high'].Properties).toMatchObject({ MetricName: 'MemoryUtilization', Threshold: 85, EvaluationPeriods: 3, DatapointsToAlarm: 3 });
  });

  test('descriptions tell the on-call engineer what broke and where to look', () => {
    const d = JSON.stringify(live['school-live-reading-target-5xx'].Properties.AlarmDescription);
    expect(d).toMatch(/live-reading \(Fargate\): more than 1% of requests failed with 5xx/);
    expect(d).toMatch(/Logs: log group/);
    expect(d).toMatch(/Dashboard: school-gateway/);
  });

  test('a url service alarms on its routes\' 5xx rate and latency at the gateway', () => {
    expect(Object.keys(payment).sort()).toEqual(['school-payment-backend-5xx', 'school-payment-backend-p99']);
    const metrics = payment['school-payment-backend-5xx'].Properties.Metrics as any[];
    const routes = metrics.filter((m) => m.MetricStat).map((m) => m.MetricStat.Metric.Dimensions.find((d: any) => d.Name === 'Route').Value);
    expect(routes.sort()).toEqual(['ANY /payment', 'ANY /payment', 'ANY /payment/{proxy+}', 'ANY /payment/{proxy+}']);
    // An idle route publishes nothing: it must count as zero, not hide the other route's errors.
    const expressions = metrics.filter((m) => m.Expression).map((m) => m.Expression);
    expect(expressions).toEqual(expect.arrayContaining(['FILL(e0, 0) + FILL(e1, 0)', 'FILL(r0, 0) + FILL(r1, 0)', expect.stringMatching(/^IF\(FILL\(requests, 0\) >= 20, 100 \* FILL\(errors, 0\) \/ requests, 0\)$/)]));
    const p99 = payment['school-payment-backend-p99'].Properties;
    expect(p99).toMatchObject({ Threshold: 1000 });
    const latency = (p99.Metrics as any[]).filter((m) => m.MetricStat);
    expect(latency.map((m) => [m.MetricStat.Metric.MetricName, m.MetricStat.Stat, m.MetricStat.Metric.Dimensions.find((d: any) => d.Name === 'Route').Value]).sort()).toEqual([
      ['Latency', 'p99', 'ANY /payment'],
      ['Latency', 'p99', 'ANY /payment/{proxy+}'],
    ]);
    expect((p99.Metrics as any[]).find((m) => m.Expression).Expression).toBe('MAX([FILL(l0, 0), FILL(l1, 0)])');
  });

  test('a cached url service on the REST front door also counts its GET methods, which publish metrics of their own', () => {
    const payment = alarmsOf(restExample().serviceTemplate('payment'));
    const errors = payment['school-payment-backend-5xx'].Properties.Metrics as any[];
    const counted = errors
      .filter((m) => m.MetricStat?.Metric.MetricName === '5XXError')
      .map((m) => `${m.MetricStat.Metric.Dimensions.find((d: any) => d.Name === 'Method').Value} ${m.MetricStat.Metric.Dimensions.find((d: any) => d.Name === 'Resource').Value}`);
    expect(counted.sort()).toEqual(['ANY /payment', 'ANY /payment/{proxy+}', 'GET /payment', 'GET /payment/{proxy+}']);
    expect(errors.find((m) => m.Expression?.startsWith('FILL(e0'))?.Expression).toBe('FILL(e0, 0) + FILL(e1, 0) + FILL(e2, 0) + FILL(e3, 0)');
  });

  test('a dashboard with the gateway overview and a widget per service', () => {
    const [, dashboard] = resourcesOf(gw.root, 'AWS::CloudWatch::Dashboard')[0];
    expect(dashboard.Properties.DashboardName).toBe('school-gateway');
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    for (const title of ['Gateway: requests and errors', 'Gateway: latency (ms)', 'JWT authorizer', 'WAF: allowed and blocked requests', 'ECS capacity']) {
      expect(body).toContain(title);
    }
    for (const svc of ['live-reading (Fargate)', 'student-api (Fargate)', 'payment (url)']) expect(body).toContain(svc);
  });

  test('ALB access logs go to an encrypted, TLS-only, private bucket that expires them', () => {
    gw.root.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      // Versioned: a deleted log stays recoverable, and old versions expire with the same retention.
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: [
          Match.objectLike({ ExpirationInDays: 30, NoncurrentVersionExpiration: { NoncurrentDays: 30 }, Status: 'Enabled' }),
          Match.objectLike({ ExpiredObjectDeleteMarker: true, Status: 'Enabled' }),
        ],
      },
    });
    gw.root.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    gw.root.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'access_logs.s3.enabled', Value: 'true' }]),
    });
  });

  test('every log group in every template has a bounded retention', () => {
    const templates = [gw.root, ...[...gw.gateway.serviceStacks.values()].map((s) => Template.fromStack(s))];
    const groups = templates.flatMap((t) => resourcesOf(t, 'AWS::Logs::LogGroup'));
    expect(groups.length).toBeGreaterThanOrEqual(5);
    for (const [, g] of groups) expect(g.Properties.RetentionInDays).toBe(30);
  });
});

describe('GatewayMonitoring options', () => {
  const base = (extra: Partial<ServiceMap> = {}): ServiceMap => ({ name: 'shop', services: { web: { path: '/web', container: { image: 'nginx:1.27' } } }, ...extra });
  // One synth for the options that do not touch each other: an imported topic, and thresholds. The gateway is
  // given the plan, with one service threshold changed from the map's, to show the alarms render the plan.
  const planned = planGateway(
    base({ alarms: { topicArn: 'arn:aws:sns:eu-west-1:123456789012:ops', api4xxPercent: 20, api5xxPercent: 2, apiP99LatencyMs: 700, apiIntegrationP99LatencyMs: 500 } }),
  ).plan!;
  const plan: GatewayPlan = { ...planned, services: planned.services.map((s) => ({ ...s, alarms: { ...s.alarms, cpuPercent: 61 } })) };
  const stack = new Stack(new App({ analyticsReporting: false }), 'Options', { env: { account: '123456789012', region: 'eu-west-1' } });
  const gateway = new ServiceGateway(stack, 'Gateway', { plan });
  const root = Template.fromStack(stack);
  const web = alarmsOf(Template.fromStack(gateway.serviceStacks.get(plan.services[0].nestedStack.group)!));

  test('an imported topic is used instead of a new one', () => {
    root.resourceCountIs('AWS::SNS::Topic', 0);
    for (const [, a] of resourcesOf(root, 'AWS::CloudWatch::Alarm')) expect(a.Properties.AlarmActions).toEqual(['arn:aws:sns:eu-west-1:123456789012:ops']);
  });

  test('the 4xx alarm is on when the plan has a 4xx threshold; every threshold is the plan\'s', () => {
    const alarms = alarmsOf(root);
    expect(alarms['shop-api-4xx'].Properties.Threshold).toBe(20);
    expect(alarms['shop-api-5xx'].Properties.Threshold).toBe(2);
    expect(alarms['shop-api-p99'].Properties.Threshold).toBe(700);
    expect(alarms['shop-integration-p99'].Properties.Threshold).toBe(500);
    expect(web['shop-web-target-p99'].Properties.Threshold).toBe(0.7);
    // The map says 85 %; the plan given says 61 %.
    expect(web['shop-web-cpu-high'].Properties.Threshold).toBe(61);
    expect(web['shop-web-cpu-high'].Properties.AlarmDescription).toMatch(/average CPU above 61% for 15 minutes although autoscaling/);
    expect(web['shop-web-memory-high'].Properties.AlarmDescription).toMatch(/average memory above 85% for 15 minutes; tasks may be killed/);
  });

  test('REST front door alarms read REST metric names', () => {
    const alarms = alarmsOf(restExample().root);
    expect(metricNames(alarms['school-api-5xx']).sort()).toEqual(['5XXError', 'Count']);
    expect(alarms['school-api-p99'].Properties.Dimensions).toEqual(expect.arrayContaining([{ Name: 'ApiName', Value: 'school' }, { Name: 'Stage', Value: 'prod' }]));
  });
});

describe('ServiceAlarms on its own', () => {
  test('a container service\'s alarms without its backend are a ValidationError naming the service', () => {
    const plan = planGateway({ name: 'shop', services: { web: { path: '/web', container: { image: 'nginx:1.27' } } } }).plan!;
    const stack = new Stack(new App({ analyticsReporting: false }), 'Alone');
    const frontDoor = {} as ApiMetrics;
    const build = () => new ServiceAlarms(stack, 'Alarms', { gatewayName: 'shop', service: plan.services[0], topic: new sns.Topic(stack, 'Topic'), frontDoor, dashboardName: 'shop-gateway' });
    let error: unknown;
    try {
      build();
    } catch (e) {
      error = e;
    }
    expect(Errors.isValidationError(error)).toBe(true);
    expect((error as Error).message).toMatch(/ServiceAlarms \(services\.web\): a container service's alarms need its backend/);
  });

  test('a container service on a listener of the user\'s own needs no front door; a url service does', () => {
    const plan = planGateway({ name: 'shop', services: { web: { path: '/web', container: { image: 'nginx:1.27' } }, ext: { path: '/ext', url: 'https://ext.example.com' } } }).plan!;
    const stack = new Stack(new App({ analyticsReporting: false }), 'Alone');
    const topic = new sns.Topic(stack, 'Topic');
    const metric = (metricName: string) => new cw.Metric({ namespace: 'Test', metricName });
    const backend: BackendMetrics = {
      logGroup: new logs.LogGroup(stack, 'Logs'),
      metricServerErrors: () => metric('5xx'),
      metricRequestCount: () => metric('requests'),
      metricLatency: () => metric('latency'),
      metricUnhealthyHosts: () => metric('unhealthy'),
      metricCpuUtilization: () => metric('cpu'),
      metricMemoryUtilization: () => metric('memory'),
      metricRunningTasks: () => metric('running'),
    };
    const web = plan.services.find((s) => s.name === 'web')!;
    const alarms = new ServiceAlarms(stack, 'WebAlarms', { gatewayName: 'shop', service: web, topic, backend, dashboardName: 'shop-gateway' });
    // Every task alarm: 5xx rate, p99, unhealthy tasks, tasks below the minimum, CPU, memory.
    expect(alarms.alarms).toHaveLength(6);
    const ext = plan.services.find((s) => s.name === 'ext')!;
    expect(() => new ServiceAlarms(stack, 'ExtAlarms', { gatewayName: 'shop', service: ext, topic, dashboardName: 'shop-gateway' })).toThrow(
      /ServiceAlarms \(services\.ext\): a url service's alarms need the front door/,
    );
  });
});

describe('GatewayMonitoring on its own', () => {
  test('services of the plan without a scope, container services without a backend: one ValidationError naming each', () => {
    const plan = planGateway({ name: 'shop', services: { web: { path: '/web', container: { image: 'nginx:1.27' } }, ext: { path: '/ext', url: 'https://ext.example.com' } } }).plan!;
    const stack = new Stack(new App({ analyticsReporting: false }), 'Alone');
    let error: unknown;
    try {
      new GatewayMonitoring(stack, 'Monitoring', {
        plan,
        frontDoor: {} as ApiMetrics,
        accessLogGroupName: 'access',
        clusterName: 'cluster',
        serviceScopes: new Map([['web', new Construct(stack, 'Web')]]),
        backends: {},
      });
    } catch (e) {
      error = e;
    }
    expect(Errors.isValidationError(error)).toBe(true);
    expect((error as Error).message).toMatch(/^GatewayMonitoring: serviceScopes: no scope for service "ext"; backends: no backend for the container service "web"; give every service/);
  });
});
