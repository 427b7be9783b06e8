import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { BackendMetrics } from './backend-metrics';
import { validationError } from '../construct-errors';
import type { ServicePlan } from '../plan/gateway-plan';
import { createAlarm, excerpt } from './alarm-factory';
import type { ApiMetrics } from './gateway-alarms';
import { errorRate, PERIOD } from './metrics';

export interface ServiceAlarmsProps {
  readonly gatewayName: string;
  /**
   * The service's plan: its kind, its thresholds (`alarms`), its routes (url services) and its health
   * check path (container services).
   */
  readonly service: ServicePlan;
  readonly topic: sns.ITopic;
  /**
   * Container services: their backend, whose metrics the alarms watch.
   *
   * @default - none; required for a container service
   */
  readonly backend?: BackendMetrics;
  /**
   * url services: the front door's per-route metrics, which their alarms watch.
   *
   * @default - none; required for a url service
   */
  readonly frontDoor?: ApiMetrics;
  /** Named in descriptions: where the on-call engineer looks next. */
  readonly dashboardName: string;
}

type AlarmSpec = Omit<Parameters<typeof createAlarm>[2], 'prefix'>;

/**
 * The alarms of one service, in the service's own nested stack (next to what they watch). Container
 * services: target 5xx rate, target p99, unhealthy tasks, tasks below the minimum, CPU and memory.
 * url services: 5xx rate and p99 latency of their routes at the gateway.
 *
 * @throws ValidationError for a container service without `backend`, or a url service without `frontDoor`
 */
export class ServiceAlarms extends Construct {
  readonly alarms: cw.Alarm[] = [];
  private readonly props: ServiceAlarmsProps;
  /** The end of every description: the dashboard to look at. */
  private readonly look: string;

  constructor(scope: Construct, id: string, props: ServiceAlarmsProps) {
    super(scope, id);
    this.props = props;
    this.look = `Dashboard: ${props.dashboardName}.`;
    if (props.service.kind === 'container') {
      if (!props.backend) throw validationError(this, `ServiceAlarms (services.${props.service.name}): a container service's alarms need its backend`);
      this.addTaskAlarms(props.backend);
    } else {
      if (!props.frontDoor) throw validationError(this, `ServiceAlarms (services.${props.service.name}): a url service's alarms need the front door (its per-route metrics)`);
      this.addRouteAlarms(props.frontDoor);
    }
  }

  private add(spec: AlarmSpec): void {
    this.alarms.push(createAlarm(this, this.props.topic, { prefix: `${this.props.gatewayName}-${this.props.service.name}`, ...spec }));
  }

  /** Container services: what the ALB and ECS see of the tasks. */
  private addTaskAlarms(b: BackendMetrics): void {
    const logs = `Logs: log group ${b.logGroup.logGroupName}.`;
    this.addTargetErrorRate(b, logs);
    this.addTargetLatency(b, logs);
    this.addUnhealthyTasks(b, logs);
    this.addTasksBelowMinimum(b, logs);
    this.addSustainedUsage('cpu-high', b.metricCpuUtilization(), this.props.service.alarms.cpuPercent, 'CPU', ' although autoscaling should add tasks. Check whether maxTasks is reached or the task size is too small.');
    this.addSustainedUsage('memory-high', b.metricMemoryUtilization(), this.props.service.alarms.memoryPercent, 'memory', '; tasks may be killed out of memory. Check for leaks or raise memoryMiB.');
  }

  private addTargetErrorRate(b: BackendMetrics, logs: string): void {
    const { name, alarms: t } = this.props.service;
    this.add({
      id: 'target-5xx',
      description: `${name} (Fargate): more than ${t.error5xxPercent}% of requests failed with 5xx from the tasks, 2 of 3 five-minute periods. First check the service's logs for errors and whether a deployment just rolled out. ${logs} ${this.look}`,
      metric: errorRate(b.metricServerErrors(), b.metricRequestCount(), `${name} target 5xx %`),
      threshold: t.error5xxPercent,
      treatMissingData: cw.TreatMissingData.NOT_BREACHING,
    });
  }

  private addTargetLatency(b: BackendMetrics, logs: string): void {
    const { name, alarms: t } = this.props.service;
    this.add({
      id: 'target-p99',
      description: `${name} (Fargate): p99 response time of the tasks above ${t.p99LatencyMs} ms, 2 of 3 five-minute periods. Check CPU/memory and slow dependencies (database, downstream calls). ${logs} ${this.look}`,
      metric: b.metricLatency(),
      // The ALB publishes seconds.
      threshold: t.p99LatencyMs / 1000,
      treatMissingData: cw.TreatMissingData.NOT_BREACHING,
    });
  }

  private addUnhealthyTasks(b: BackendMetrics, logs: string): void {
    const { name, loadBalancer } = this.props.service;
    this.add({
      id: 'unhealthy-tasks',
      description: `${name} (Fargate): tasks failing the ALB health check (${excerpt(loadBalancer!.healthCheck.path)}) for 3 minutes. Check the health endpoint and the task logs; ECS replaces failing tasks. ${logs} ${this.look}`,
      metric: b.metricUnhealthyHosts(),
      threshold: 0,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      treatMissingData: cw.TreatMissingData.NOT_BREACHING,
    });
  }

  private addTasksBelowMinimum(b: BackendMetrics, logs: string): void {
    const { name, alarms: t } = this.props.service;
    this.add({
      id: 'tasks-below-minimum',
      description: `${name} (Fargate): fewer than ${t.minTasks} tasks running for 5 minutes. Check ECS service events (tasks failing to start: image pull, secrets, out-of-memory). ${logs} ${this.look}`,
      metric: b.metricRunningTasks(),
      threshold: t.minTasks,
      comparison: cw.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      // No data means no tasks report: as bad as too few.
      treatMissingData: cw.TreatMissingData.BREACHING,
    });
  }

  /**
   * CPU or memory above the threshold for 15 minutes (three of three five-minute periods, as the description
   * says); `advice` follows "for 15 minutes" in the description.
   */
  private addSustainedUsage(id: string, metric: cw.IMetric, percent: number, what: string, advice: string): void {
    this.add({
      id,
      description: `${this.props.service.name} (Fargate): average ${what} above ${percent}% for 15 minutes${advice} ${this.look}`,
      metric,
      threshold: percent,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      treatMissingData: cw.TreatMissingData.MISSING,
    });
  }

  /**
   * url services: every route of the service at the gateway (its two route keys, and on the REST front
   * door the cached GET methods beside them, which publish metrics of their own).
   */
  private addRouteAlarms(fd: ApiMetrics): void {
    const { name, url, routes: planned, alarms: t } = this.props.service;
    const routes = planned.map((r) => r.key);
    // A route without traffic publishes nothing: FILL keeps one idle route from hiding another.
    const sumOf = (prefix: string, metric: (route: string) => cw.IMetric) =>
      new cw.MathExpression({
        expression: routes.map((_, i) => `FILL(${prefix}${i}, 0)`).join(' + '),
        usingMetrics: Object.fromEntries(routes.map((route, i) => [`${prefix}${i}`, metric(route)])),
      });
    const backend = `${name} (url backend ${excerpt(url!)})`;
    this.add({
      id: 'backend-5xx',
      description: `${backend}: more than ${t.error5xxPercent}% of its requests returned 5xx at the gateway, 2 of 3 five-minute periods. Check the backend's health and the gateway access log (integrationError). ${this.look}`,
      metric: errorRate(sumOf('e', (route) => fd.metricServerErrors(route)), sumOf('r', (route) => fd.metricCount(route)), `${name} 5xx %`),
      threshold: t.error5xxPercent,
      treatMissingData: cw.TreatMissingData.NOT_BREACHING,
    });
    this.add({
      id: 'backend-p99',
      description: `${backend}: p99 latency of one of its routes above ${t.p99LatencyMs} ms, 2 of 3 five-minute periods. Check the backend; the timeout is ${planned[0].integration.timeoutMs} ms. ${this.look}`,
      metric: new cw.MathExpression({
        expression: `MAX([${routes.map((_, i) => `FILL(l${i}, 0)`).join(', ')}])`,
        usingMetrics: Object.fromEntries(routes.map((route, i) => [`l${i}`, fd.metricLatency(route)])),
        label: `${name} p99 latency (worst route)`,
        period: PERIOD,
      }),
      threshold: t.p99LatencyMs,
      treatMissingData: cw.TreatMissingData.NOT_BREACHING,
    });
  }
}
