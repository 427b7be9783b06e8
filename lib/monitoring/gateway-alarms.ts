import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { createAlarm } from './alarm-factory';
import { errorRate, PERIOD } from './metrics';
import type { GatewayThresholds } from '../plan/thresholds';

/** What the alarms need of a front door (both front doors have it). */
export interface ApiMetrics {
  metricCount(route?: string, options?: cw.MetricOptions): cw.Metric;
  metricServerErrors(route?: string, options?: cw.MetricOptions): cw.Metric;
  metricClientErrors(route?: string, options?: cw.MetricOptions): cw.Metric;
  metricLatency(route?: string, options?: cw.MetricOptions): cw.Metric;
  metricIntegrationLatency(route?: string, options?: cw.MetricOptions): cw.Metric;
}

export interface GatewayAlarmsProps {
  readonly gatewayName: string;
  readonly thresholds: GatewayThresholds;
  readonly topic: sns.ITopic;
  readonly frontDoor: ApiMetrics;
  readonly authorizer?: lambda.IFunction;
  /** The web ACL's blocked-requests metric, when the firewall is on. */
  readonly wafBlocked?: cw.IMetric;
  readonly dashboardName: string;
  readonly accessLogGroupName: string;
}

/** Gateway-wide alarms: 5xx rate, latency, integration latency, 4xx surge, authorizer, WAF. */
export class GatewayAlarms extends Construct {
  readonly alarms: cw.Alarm[] = [];

  constructor(scope: Construct, id: string, props: GatewayAlarmsProps) {
    super(scope, id);
    const { thresholds: t, frontDoor: fd } = props;
    const prefix = props.gatewayName;
    const look = `Access log: ${props.accessLogGroupName}. Dashboard: ${props.dashboardName}.`;
    const add = (spec: Omit<Parameters<typeof createAlarm>[2], 'prefix'>) => this.alarms.push(createAlarm(this, props.topic, { prefix, ...spec }));

    add({
      id: 'api-5xx',
      description: `Gateway ${prefix}: more than ${t.error5xxPercent}% of all requests returned 5xx, 2 of 3 five-minute periods. The per-service alarms tell which backend; if none fired, check the authorizer and integration errors in the access log. ${look}`,
      metric: errorRate(fd.metricServerErrors(), fd.metricCount(), 'gateway 5xx %'),
      threshold: t.error5xxPercent,
      treatMissingData: cw.TreatMissingData.NOT_BREACHING,
    });
    add({
      id: 'api-p99',
      description: `Gateway ${prefix}: p99 latency above ${t.p99LatencyMs} ms, 2 of 3 five-minute periods. Compare with integration latency: if that is high too, a backend is slow. ${look}`,
      metric: fd.metricLatency(),
      threshold: t.p99LatencyMs,
      treatMissingData: cw.TreatMissingData.NOT_BREACHING,
    });
    add({
      id: 'integration-p99',
      description: `Gateway ${prefix}: p99 backend (integration) latency above ${t.integrationP99LatencyMs} ms. Look at the per-service latency widgets to find the slow one. ${look}`,
      metric: fd.metricIntegrationLatency(),
      threshold: t.integrationP99LatencyMs,
      treatMissingData: cw.TreatMissingData.NOT_BREACHING,
    });
    if (t.error4xxPercent !== undefined) {
      add({
        id: 'api-4xx',
        description: `Gateway ${prefix}: more than ${t.error4xxPercent}% of requests returned 4xx (rejected tokens, throttling, unknown routes). A surge often means a broken client release or an attack. ${look}`,
        metric: errorRate(fd.metricClientErrors(), fd.metricCount(), 'gateway 4xx %'),
        threshold: t.error4xxPercent,
        treatMissingData: cw.TreatMissingData.NOT_BREACHING,
      });
    }
    if (props.authorizer) {
      const fn = props.authorizer;
      const logs = `Authorizer logs: /aws/lambda/${fn.functionName} (its log group).`;
      add({
        id: 'authorizer-errors',
        description: `Gateway ${prefix}: the JWT authorizer Lambda failed (errors, not denials) in 2 of 3 five-minute periods; callers get 500s. ${logs}`,
        metric: fn.metricErrors({ period: PERIOD }),
        threshold: 0,
        treatMissingData: cw.TreatMissingData.NOT_BREACHING,
      });
      add({
        id: 'authorizer-throttles',
        description: `Gateway ${prefix}: the JWT authorizer Lambda was throttled; callers get 500s. Check account Lambda concurrency and reserved concurrency. ${logs}`,
        metric: fn.metricThrottles({ period: PERIOD }),
        threshold: 0,
        treatMissingData: cw.TreatMissingData.NOT_BREACHING,
      });
      add({
        id: 'authorizer-p99',
        description: `Gateway ${prefix}: the JWT authorizer's p99 duration above ${t.authorizerP99DurationMs} ms: the JWKS endpoint may be slow or failing (the authorizer waits at most ~1 s for it). ${logs}`,
        metric: fn.metricDuration({ statistic: 'p99', period: PERIOD }),
        threshold: t.authorizerP99DurationMs,
        treatMissingData: cw.TreatMissingData.NOT_BREACHING,
      });
    }
    if (props.wafBlocked) {
      add({
        id: 'waf-blocked-surge',
        description: `Gateway ${prefix}: WAF blocked more than ${t.wafBlockedRequests} requests in 5 minutes (rate limits, managed rules, IP or geo lists). Check the WAF logs (aws-waf-logs-${prefix}) for the rule and the client. ${look}`,
        metric: props.wafBlocked,
        threshold: t.wafBlockedRequests,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        treatMissingData: cw.TreatMissingData.NOT_BREACHING,
      });
    }
  }
}
