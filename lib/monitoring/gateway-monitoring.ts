import { RemovalPolicy } from 'aws-cdk-lib';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { BackendMetrics } from './backend-metrics';
import type { GatewayPlacement } from '../plan/placement';
import type { ResolvedServiceMap } from '../service-map/schema';
import { authorizerWidget, capacityWidget, serviceWidget, trafficWidgets, wafWidget } from './dashboard-widgets';
import { ApiMetrics, GatewayAlarms } from './gateway-alarms';
import { ServiceAlarms } from './service-alarms';
import { gatewayThresholds, serviceThresholds } from '../plan/thresholds';

/** CloudWatch allows 500 widgets a dashboard; services beyond this go to the next dashboard. */
export const SERVICES_PER_DASHBOARD = 200;

export interface GatewayMonitoringProps {
  readonly map: ResolvedServiceMap;
  readonly placement: GatewayPlacement;
  /**
   * The topic alarms go to.
   *
   * @default - the map's `alarms.topicArn`; without it, a new KMS-encrypted topic
   */
  readonly topic?: sns.ITopic;
  readonly frontDoor: ApiMetrics;
  readonly accessLogGroupName: string;
  /** Where each service's alarms go: the construct scope of the service in its nested stack. */
  readonly serviceScopes: ReadonlyMap<string, Construct>;
  readonly backends: Readonly<Record<string, BackendMetrics>>;
  readonly clusterName: string;
  readonly authorizer?: lambda.IFunction;
  /** The web ACL's metrics, when the firewall is on. */
  readonly waf?: { readonly blocked: cw.IMetric; readonly allowed: cw.IMetric };
}

/**
 * Alarms that page for the right thing and a dashboard per gateway. One SNS topic (or the map's
 * `alarms.topicArn`) receives every alarm and its recovery; gateway alarms live here, each service's
 * alarms in the service's nested stack.
 */
export class GatewayMonitoring extends Construct {
  readonly topic: sns.ITopic;
  /** The topic's key, when the gateway created the topic. */
  readonly topicKey?: kms.Key;
  readonly gatewayAlarms: GatewayAlarms;
  readonly serviceAlarms: Readonly<Record<string, ServiceAlarms>>;
  /** The first dashboard is the gateway's overview; more follow past 200 services. */
  readonly dashboards: cw.Dashboard[] = [];

  constructor(scope: Construct, id: string, props: GatewayMonitoringProps) {
    super(scope, id);
    const { map } = props;
    if (props.topic) {
      this.topic = props.topic;
    } else if (map.alarms.topicArn) {
      this.topic = sns.Topic.fromTopicArn(this, 'Topic', map.alarms.topicArn);
    } else {
      // Alarm notifications can carry service names and URLs: encrypted, with a key CloudWatch may use.
      this.topicKey = new kms.Key(this, 'TopicKey', {
        description: `${map.name} gateway: encrypts the alarm topic`,
        enableKeyRotation: true,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      this.topicKey.addToResourcePolicy(
        new iam.PolicyStatement({
          principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          resources: ['*'],
        }),
      );
      // Grants on this key only for AWS services acting on AWS resources, never for a person or a role.
      this.topicKey.addToResourcePolicy(
        new iam.PolicyStatement({
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: ['kms:CreateGrant'],
          resources: ['*'],
          conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
        }),
      );
      this.topic = new sns.Topic(this, 'Topic', { displayName: `${map.name} gateway alarms`, masterKey: this.topicKey, enforceSSL: true });
    }
    for (const email of map.alarms.email) this.topic.addSubscription(new subscriptions.EmailSubscription(email));

    const dashboardName = `${map.name}-gateway`;
    this.gatewayAlarms = new GatewayAlarms(this, 'Alarms', {
      gatewayName: map.name,
      thresholds: gatewayThresholds(map),
      topic: this.topic,
      frontDoor: props.frontDoor,
      authorizer: props.authorizer,
      wafBlocked: props.waf?.blocked,
      dashboardName,
      accessLogGroupName: props.accessLogGroupName,
    });

    const serviceAlarms: Record<string, ServiceAlarms> = {};
    for (const p of props.placement.services) {
      serviceAlarms[p.name] = new ServiceAlarms(props.serviceScopes.get(p.name)!, 'Alarms', {
        gatewayName: map.name,
        placement: p,
        thresholds: serviceThresholds(map, p.service),
        topic: this.topic,
        backend: Object.hasOwn(props.backends, p.name) ? props.backends[p.name] : undefined,
        frontDoor: props.frontDoor,
        dashboardName,
      });
    }
    this.serviceAlarms = serviceAlarms;

    const overview: cw.IWidget[] = [...trafficWidgets(props.frontDoor)];
    if (props.authorizer) overview.push(authorizerWidget(props.authorizer));
    if (props.waf) overview.push(wafWidget(props.waf.blocked, props.waf.allowed));
    overview.push(capacityWidget(props.clusterName));
    const services = props.placement.services;
    for (let start = 0, n = 0; start === 0 || start < services.length; start += SERVICES_PER_DASHBOARD, n++) {
      const widgets = services.slice(start, start + SERVICES_PER_DASHBOARD).map((p) => serviceWidget(p, props.frontDoor));
      const dashboard = new cw.Dashboard(this, n === 0 ? 'Dashboard' : `Dashboard${n + 1}`, {
        dashboardName: n === 0 ? dashboardName : `${dashboardName}-${n + 1}`,
      });
      dashboard.addWidgets(...(n === 0 ? overview : []), ...widgets);
      this.dashboards.push(dashboard);
    }
  }
}
