import type * as cw from 'aws-cdk-lib/aws-cloudwatch';
import type * as logs from 'aws-cdk-lib/aws-logs';

/**
 * The metrics the alarms and dashboards read from a container backend. Monitoring depends on this, not
 * on the backend construct, so the backends may use monitoring's metric helpers without an import cycle.
 */
export interface BackendMetrics {
  /** Where the tasks log: alarm descriptions point the on-call engineer there. */
  readonly logGroup: logs.ILogGroup;
  /** 5xx responses from the tasks (not from the ALB itself), per period. */
  metricServerErrors(options?: cw.MetricOptions): cw.Metric;
  /** Requests the ALB sent to the tasks, per period. */
  metricRequestCount(options?: cw.MetricOptions): cw.Metric;
  /** Time the tasks take to answer (seconds), p99 by default. */
  metricLatency(options?: cw.MetricOptions): cw.Metric;
  /** Tasks failing the ALB health check. */
  metricUnhealthyHosts(options?: cw.MetricOptions): cw.Metric;
  metricCpuUtilization(options?: cw.MetricOptions): cw.Metric;
  metricMemoryUtilization(options?: cw.MetricOptions): cw.Metric;
  /** Running tasks, minimum per minute. */
  metricRunningTasks(): cw.Metric;
}
