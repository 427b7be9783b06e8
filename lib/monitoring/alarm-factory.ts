import { Duration, Token } from 'aws-cdk-lib';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface AlarmSpec {
  /** Construct id, and the last part of the alarm name. */
  readonly id: string;
  /** `<gateway>[-<service>]` */
  readonly prefix: string;
  /** What broke, where to look first: read by the on-call engineer in the notification. */
  readonly description: string;
  readonly metric: cw.IMetric;
  readonly threshold: number;
  readonly comparison?: cw.ComparisonOperator;
  /** @default 3 */
  readonly evaluationPeriods?: number;
  /** @default 2 */
  readonly datapointsToAlarm?: number;
  readonly treatMissingData: cw.TreatMissingData;
}

/** CloudWatch's limit on an alarm description (PutMetricAlarm, AlarmDescription: up to 1,024 characters). */
export const ALARM_DESCRIPTION_MAX_CHARS = 1024;

/** A map value quoted in a description, cut to `max` characters so that the advice after it still fits. */
export function excerpt(value: string, max = 100): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

/** Creates an alarm named `<prefix>-<id>` that notifies the topic when it fires and when it recovers. */
export function createAlarm(scope: Construct, topic: sns.ITopic, spec: AlarmSpec): cw.Alarm {
  const alarm = new cw.Alarm(scope, spec.id, {
    alarmName: `${spec.prefix}-${spec.id}`,
    // Cut only plain text: cutting through a token (a log group name) would break it. Map values inside
    // descriptions are excerpts already, so one with tokens stays far below the limit.
    alarmDescription: Token.isUnresolved(spec.description) ? spec.description : excerpt(spec.description, ALARM_DESCRIPTION_MAX_CHARS),
    metric: spec.metric,
    threshold: spec.threshold,
    comparisonOperator: spec.comparison ?? cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: spec.evaluationPeriods ?? 3,
    datapointsToAlarm: spec.datapointsToAlarm ?? 2,
    treatMissingData: spec.treatMissingData,
  });
  const action = new actions.SnsAction(topic);
  alarm.addAlarmAction(action);
  alarm.addOkAction(action);
  return alarm;
}

export const ONE_MINUTE = Duration.minutes(1);
