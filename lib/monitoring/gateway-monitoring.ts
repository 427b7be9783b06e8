import { RemovalPolicy } from 'aws-cdk-lib';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { validationError } from '../construct-errors';
import type { BackendMetrics } from './backend-metrics';
import type { GatewayPlan } from '../plan/gateway-plan';
import type { ResolvedServiceMap } from '../service-map/schema';
import { authorizerWidget, capacityWidget, serviceWidget, trafficWidgets, wafWidget } from './dashboard-widgets';
import { ApiMetrics, GatewayAlarms } from './gateway-alarms';
import { ServiceAlarms } from './service-alarms';

/** CloudWatch allows 500 widgets a dashboard; services beyond this go to the next dashboard. */
export const SERVICES_PER_DASHBOARD = 200;

export interface GatewayMonitoringProps {
  /**
   * The gateway's plan: its name, the map's `alarms` block (topic, email), the gateway's thresholds
   * (`alarms`) and each service's (`services[].alarms`).
   */
  readonly plan: GatewayPlan;
  /**
   * The topic alarms go to.
   *
   * @default - the map's `alarms.topicArn`; without it, a new KMS-encrypted topic
   */
  readonly topic?: sns.ITopic;
  /** The front door's metrics (gateway alarms, url services' alarms, dashboard). */
  readonly frontDoor: ApiMetrics;
  /** The front door's access log group, named in alarm descriptions. */
  readonly accessLogGroupName: string;
  /**
   * Where each service's alarms go: the construct scope of the service in its nested stack.
   *
   * @throws ValidationError when a service of the plan has none
   */
  readonly serviceScopes: ReadonlyMap<string, Construct>;
  /**
   * Container services' backends by service name, whose metrics their alarms watch.
   *
   * @throws ValidationError when a container service of the plan has none
   */
  readonly backends: Readonly<Record<string, BackendMetrics>>;
  /** The ECS cluster of the container services (the dashboard's capacity widget). */
  readonly clusterName: string;
  /**
   * The Lambda JWT authorizer, whose errors, throttles and duration alarm.
   *
   * @default - no authorizer alarms (no authorizer, or API Gateway's native JWT authorizer)
   */
  readonly authorizer?: lambda.IFunction;
  /**
   * The web ACL's metrics, when the firewall is on.
   *
   * @default - no WAF alarm or widget
   */
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
    checkServices(this, props);
    const { plan } = props;
    const dashboardName = `${plan.name}-gateway`;
    const own = props.topic ? undefined : this.alarmTopic(plan.map);
    this.topic = props.topic ?? own!.topic;
    this.topicKey = own?.key;
    for (const email of plan.map.alarms.email) this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    this.gatewayAlarms = new GatewayAlarms(this, 'Alarms', {
      gatewayName: plan.name,
      thresholds: plan.alarms,
      topic: this.topic,
      frontDoor: props.frontDoor,
      authorizer: props.authorizer,
      wafBlocked: props.waf?.blocked,
      dashboardName,
      accessLogGroupName: props.accessLogGroupName,
    });
    this.serviceAlarms = this.createServiceAlarms(props, dashboardName);
    this.createDashboards(props, dashboardName);
  }

  /** The map's `alarms.topicArn`, or a new topic encrypted with a key of its own. */
  private alarmTopic(map: ResolvedServiceMap): { readonly topic: sns.ITopic; readonly key?: kms.Key } {
    if (map.alarms.topicArn) return { topic: sns.Topic.fromTopicArn(this, 'Topic', map.alarms.topicArn) };
    // Alarm notifications can carry service names and URLs: encrypted, with a key CloudWatch may use.
    const key = new kms.Key(this, 'TopicKey', {
      description: `${map.name} gateway: encrypts the alarm topic`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    // Grants on this key only for AWS services acting on AWS resources, never for a person or a role.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:CreateGrant'],
        resources: ['*'],
        conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
      }),
    );
    return { topic: new sns.Topic(this, 'Topic', { displayName: `${map.name} gateway alarms`, masterKey: key, enforceSSL: true }), key };
  }

  /** Each service's alarms, in the service's scope (its nested stack). */
  private createServiceAlarms(props: GatewayMonitoringProps, dashboardName: string): Record<string, ServiceAlarms> {
    const alarms: Record<string, ServiceAlarms> = {};
    for (const service of props.plan.services) {
      alarms[service.name] = new ServiceAlarms(props.serviceScopes.get(service.name)!, 'Alarms', {
        gatewayName: props.plan.name,
        service,
        topic: this.topic,
        backend: Object.hasOwn(props.backends, service.name) ? props.backends[service.name] : undefined,
        frontDoor: props.frontDoor,
        dashboardName,
      });
    }
    return alarms;
  }

  /** The overview and the first services on the first dashboard; every further 200 services on the next. */
  private createDashboards(props: GatewayMonitoringProps, dashboardName: string): void {
    const overview: cw.IWidget[] = [...trafficWidgets(props.frontDoor)];
    if (props.authorizer) overview.push(authorizerWidget(props.authorizer));
    if (props.waf) overview.push(wafWidget(props.waf.blocked, props.waf.allowed));
    overview.push(capacityWidget(props.clusterName));
    const services = props.plan.services;
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

/** Every service of the plan has a scope for its alarms, and every container service its backend; one error naming each that has not. */
function checkServices(scope: Construct, props: GatewayMonitoringProps): void {
  const problems = props.plan.services.flatMap((service) => [
    ...(props.serviceScopes.has(service.name) ? [] : [`serviceScopes: no scope for service "${service.name}"`]),
    ...(service.kind === 'container' && !Object.hasOwn(props.backends, service.name) ? [`backends: no backend for the container service "${service.name}"`] : []),
  ]);
  if (problems.length > 0) throw validationError(scope, `GatewayMonitoring: ${problems.join('; ')}; give every service of the plan its scope, and every container service its backend (FargateBackend)`);
}
