/**
 * Metric factories: what each part of the gateway publishes, named as CloudWatch names it. Alarms and
 * dashboard widgets are built from these; the constructs' `metricX()` helpers return them too.
 */
import { Duration } from 'aws-cdk-lib';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';

export const PERIOD = Duration.minutes(5);

/** Which API a front-door metric describes; `route` narrows it to one route (detailed metrics). */
export type ApiMetricScope =
  | { readonly kind: 'http'; readonly apiId: string; readonly stage: string; readonly route?: string }
  | { readonly kind: 'rest'; readonly apiName: string; readonly stage: string; readonly resource?: string; readonly method?: string };

export type ApiMetricName = 'count' | 'serverErrors' | 'clientErrors' | 'latency' | 'integrationLatency';

const HTTP_NAMES: Record<ApiMetricName, string> = { count: 'Count', serverErrors: '5xx', clientErrors: '4xx', latency: 'Latency', integrationLatency: 'IntegrationLatency' };
const REST_NAMES: Record<ApiMetricName, string> = { count: 'Count', serverErrors: '5XXError', clientErrors: '4XXError', latency: 'Latency', integrationLatency: 'IntegrationLatency' };

/**
 * A front-door metric. Counts (requests, 4xx, 5xx) are sums; latencies default to p99. Both front
 * doors then mean the same thing by the same name (a REST 5XXError is 0 or 1 per request, so its sum
 * is a count like the HTTP API's 5xx).
 */
export function apiMetric(scope: ApiMetricScope, name: ApiMetricName, options: cw.MetricOptions = {}): cw.Metric {
  const latency = name === 'latency' || name === 'integrationLatency';
  const dimensionsMap: Record<string, string> =
    scope.kind === 'http'
      ? { ApiId: scope.apiId, Stage: scope.stage, ...(scope.route ? { Route: scope.route } : {}) }
      : { ApiName: scope.apiName, Stage: scope.stage, ...(scope.resource ? { Resource: scope.resource, Method: scope.method ?? 'ANY' } : {}) };
  return new cw.Metric({
    namespace: 'AWS/ApiGateway',
    metricName: (scope.kind === 'http' ? HTTP_NAMES : REST_NAMES)[name],
    dimensionsMap,
    statistic: latency ? 'p99' : 'Sum',
    period: PERIOD,
    ...options,
  });
}

/**
 * A percentage of errors among requests, 0 while traffic is below `minRequests` so that one failed
 * request at night does not page anybody.
 */
export function errorRate(errors: cw.IMetric, requests: cw.IMetric, label: string, minRequests = 20): cw.MathExpression {
  return new cw.MathExpression({
    // Error counts are often published only when non-zero: a missing count is none.
    expression: `IF(FILL(requests, 0) >= ${minRequests}, 100 * FILL(errors, 0) / requests, 0)`,
    usingMetrics: { errors, requests },
    label,
    period: PERIOD,
  });
}

/** Container Insights: tasks running for a service. */
export function runningTasks(clusterName: string, serviceName: string): cw.Metric {
  return new cw.Metric({
    namespace: 'ECS/ContainerInsights',
    metricName: 'RunningTaskCount',
    dimensionsMap: { ClusterName: clusterName, ServiceName: serviceName },
    statistic: 'Minimum',
    period: Duration.minutes(1),
  });
}

/** A SEARCH over the target-group metrics of one target group, by the unique suffix of its name. */
export function targetGroupSearch(targetGroupName: string, metricName: string, statistic: string, label: string): cw.MathExpression {
  const token = targetGroupName.slice(targetGroupName.lastIndexOf('-') + 1);
  return new cw.MathExpression({
    // The suffix is a hash: unique among target groups; no token reference keeps the dashboard small.
    expression: `SEARCH('{AWS/ApplicationELB,LoadBalancer,TargetGroup} MetricName="${metricName}" ${token}', '${statistic}', 300)`,
    label,
    period: PERIOD,
  });
}
