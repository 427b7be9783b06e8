import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { ServicePlan } from '../plan/gateway-plan';
import type { ApiMetrics } from './gateway-alarms';
import { targetGroupSearch } from './metrics';

const WIDTH = 12;
const HEIGHT = 6;

export function trafficWidgets(fd: ApiMetrics): cw.IWidget[] {
  return [
    new cw.GraphWidget({ title: 'Gateway: requests and errors', width: WIDTH, height: HEIGHT, left: [fd.metricCount()], right: [fd.metricServerErrors(), fd.metricClientErrors()] }),
    new cw.GraphWidget({
      title: 'Gateway: latency (ms)',
      width: WIDTH,
      height: HEIGHT,
      left: [fd.metricLatency(undefined, { statistic: 'p50', label: 'p50' }), fd.metricLatency(undefined, { label: 'p99' }), fd.metricIntegrationLatency(undefined, { label: 'integration p99' })],
    }),
  ];
}

export function authorizerWidget(fn: lambda.IFunction): cw.IWidget {
  return new cw.GraphWidget({
    title: 'JWT authorizer',
    width: WIDTH,
    height: HEIGHT,
    left: [fn.metricInvocations(), fn.metricErrors(), fn.metricThrottles()],
    right: [fn.metricDuration({ statistic: 'p99', label: 'duration p99 (ms)' })],
  });
}

export function wafWidget(blocked: cw.IMetric, allowed: cw.IMetric): cw.IWidget {
  return new cw.GraphWidget({ title: 'WAF: allowed and blocked requests', width: WIDTH, height: HEIGHT, left: [allowed], right: [blocked] });
}

/** ECS capacity of every service at once (a SEARCH), so the widget does not grow with the map. */
export function capacityWidget(clusterName: string): cw.IWidget {
  const search = (metric: string, label: string) =>
    new cw.MathExpression({ expression: `SEARCH('{ECS/ContainerInsights,ClusterName,ServiceName} MetricName="${metric}" ClusterName="${clusterName}"', 'Average', 300)`, label });
  return new cw.GraphWidget({
    title: 'ECS capacity: running tasks, CPU and memory per service',
    width: 24,
    height: HEIGHT,
    left: [search('RunningTaskCount', 'running tasks')],
    right: [search('CpuUtilized', 'CPU units used'), search('MemoryUtilized', 'memory MiB used')],
  });
}

/** One widget per service: requests, 5xx and p99 latency. */
export function serviceWidget(p: ServicePlan, fd: ApiMetrics): cw.IWidget {
  if (p.kind === 'container') {
    const tg = p.loadBalancer!.targetGroupName;
    return new cw.GraphWidget({
      title: `${p.name} (Fargate): requests, 5xx, p99 (s)`,
      width: 8,
      height: HEIGHT,
      left: [targetGroupSearch(tg, 'RequestCount', 'Sum', 'requests'), targetGroupSearch(tg, 'HTTPCode_Target_5XX_Count', 'Sum', '5xx')],
      right: [targetGroupSearch(tg, 'TargetResponseTime', 'p99', 'p99')],
    });
  }
  // The route below the service's path, where nearly all of its traffic goes.
  const proxy = p.routes.find((r) => r.method === 'ANY' && !r.exactRoute)!.key;
  return new cw.GraphWidget({
    title: `${p.name} (url): requests, 5xx, p99 (ms)`,
    width: 8,
    height: HEIGHT,
    left: [fd.metricCount(proxy, { label: 'requests' }), fd.metricServerErrors(proxy, { label: '5xx' })],
    right: [fd.metricLatency(proxy, { label: 'p99' })],
  });
}
