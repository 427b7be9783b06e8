import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { BackendMetrics } from './backend-metrics';
import { cachesResponses } from '../service-map/conventions';
import type { ServicePlacement } from '../plan/placement';
import { createAlarm, excerpt } from './alarm-factory';
import type { ApiMetrics } from './gateway-alarms';
import { errorRate, PERIOD } from './metrics';
import type { ServiceThresholds } from '../plan/thresholds';

export interface ServiceAlarmsProps {
  readonly gatewayName: string;
  readonly placement: ServicePlacement;
  readonly thresholds: ServiceThresholds;
  readonly topic: sns.ITopic;
  /** Container services: their backend. */
  readonly backend?: BackendMetrics;
  /** url services: the front door's per-route metrics. */
  readonly frontDoor: ApiMetrics;
  /** Named in descriptions: where the on-call engineer looks next. */
  readonly dashboardName: string;
}

/**
 * The alarms of one service, in the service's own nested stack (next to what they watch). Container
 * services: target 5xx rate, target p99, unhealthy tasks, tasks below the minimum, CPU and memory.
 * url services: 5xx rate and p99 latency of their routes at the gateway.
 */
export class ServiceAlarms extends Construct {
  readonly alarms: cw.Alarm[] = [];

  constructor(scope: Construct, id: string, props: ServiceAlarmsProps) {
    super(scope, id);
    const { placement: p, thresholds: t } = props;
    const prefix = `${props.gatewayName}-${p.name}`;
    const look = `Dashboard: ${props.dashboardName}.`;
    const add = (spec: Omit<Parameters<typeof createAlarm>[2], 'prefix'>) => this.alarms.push(createAlarm(this, props.topic, { prefix, ...spec }));

    if (props.backend) {
      const b = props.backend;
      const logs = `Logs: log group ${b.logGroup.logGroupName}.`;
      add({
        id: 'target-5xx',
        description: `${p.name} (Fargate): more than ${t.error5xxPercent}% of requests failed with 5xx from the tasks, 2 of 3 five-minute periods. First check the service's logs for errors and whether a deployment just rolled out. ${logs} ${look}`,
        metric: errorRate(b.metricServerErrors(), b.metricRequestCount(), `${p.name} target 5xx %`),
        threshold: t.error5xxPercent,
        treatMissingData: cw.TreatMissingData.NOT_BREACHING,
      });
      add({
        id: 'target-p99',
        description: `${p.name} (Fargate): p99 response time of the tasks above ${t.p99LatencyMs} ms, 2 of 3 five-minute periods. Check CPU/memory and slow dependencies (database, downstream calls). ${logs} ${look}`,
        metric: b.metricLatency(),
        threshold: t.p99LatencyMs / 1000,
        treatMissingData: cw.TreatMissingData.NOT_BREACHING,
      });
      add({
        id: 'unhealthy-tasks',
        description: `${p.name} (Fargate): tasks failing the ALB health check (${excerpt(p.service.container!.healthCheckPath)}) for 3 minutes. Check the health endpoint and the task logs; ECS replaces failing tasks. ${logs} ${look}`,
        metric: b.metricUnhealthyHosts(),
        threshold: 0,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        treatMissingData: cw.TreatMissingData.NOT_BREACHING,
      });
      add({
        id: 'tasks-below-minimum',
        description: `${p.name} (Fargate): fewer than ${t.minTasks} tasks running for 5 minutes. Check ECS service events (tasks failing to start: image pull, secrets, out-of-memory). ${logs} ${look}`,
        metric: b.metricRunningTasks(),
        threshold: t.minTasks,
        comparison: cw.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 5,
        datapointsToAlarm: 5,
        // No data means no tasks report: as bad as too few.
        treatMissingData: cw.TreatMissingData.BREACHING,
      });
      add({
        id: 'cpu-high',
        description: `${p.name} (Fargate): average CPU above ${t.cpuPercent}% for 15 minutes although autoscaling should add tasks. Check whether maxTasks is reached or the task size is too small. ${look}`,
        metric: b.metricCpuUtilization(),
        threshold: t.cpuPercent,
        // Sustained, as the description says: three of three five-minute periods.
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        treatMissingData: cw.TreatMissingData.MISSING,
      });
      add({
        id: 'memory-high',
        description: `${p.name} (Fargate): average memory above ${t.memoryPercent}% for 15 minutes; tasks may be killed out of memory. Check for leaks or raise memoryMiB. ${look}`,
        metric: b.metricMemoryUtilization(),
        threshold: t.memoryPercent,
        // Sustained, as the description says: three of three five-minute periods.
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        treatMissingData: cw.TreatMissingData.MISSING,
      });
      return;
    }

    // url services: every route of the service at the gateway: its two route keys, and on the REST
    // front door the cached GET methods beside them, which publish metrics of their own.
    const routes = [...p.routeKeys, ...(cachesResponses(p.service) ? p.routeKeys.map((k) => k.replace(/^ANY /, 'GET ')) : [])];
    const fd = props.frontDoor;
    // A route without traffic publishes nothing: FILL keeps one idle route from hiding another.
    const sumOf = (prefix: string, metric: (route: string) => cw.IMetric) =>
      new cw.MathExpression({
        expression: routes.map((_, i) => `FILL(${prefix}${i}, 0)`).join(' + '),
        usingMetrics: Object.fromEntries(routes.map((route, i) => [`${prefix}${i}`, metric(route)])),
      });
    const errors = sumOf('e', (route) => fd.metricServerErrors(route));
    const requests = sumOf('r', (route) => fd.metricCount(route));
    add({
      id: 'backend-5xx',
      description: `${p.name} (url backend ${excerpt(p.service.url!)}): more than ${t.error5xxPercent}% of its requests returned 5xx at the gateway, 2 of 3 five-minute periods. Check the backend's health and the gateway access log (integrationError). ${look}`,
      metric: errorRate(errors, requests, `${p.name} 5xx %`),
      threshold: t.error5xxPercent,
      treatMissingData: cw.TreatMissingData.NOT_BREACHING,
    });
    add({
      id: 'backend-p99',
      description: `${p.name} (url backend ${excerpt(p.service.url!)}): p99 latency of one of its routes above ${t.p99LatencyMs} ms, 2 of 3 five-minute periods. Check the backend; the timeout is ${p.service.timeoutMs} ms. ${look}`,
      metric: new cw.MathExpression({
        expression: `MAX([${routes.map((_, i) => `FILL(l${i}, 0)`).join(', ')}])`,
        usingMetrics: Object.fromEntries(routes.map((route, i) => [`l${i}`, fd.metricLatency(route)])),
        label: `${p.name} p99 latency (worst route)`,
        period: PERIOD,
      }),
      threshold: t.p99LatencyMs,
      treatMissingData: cw.TreatMissingData.NOT_BREACHING,
    });
  }
}
