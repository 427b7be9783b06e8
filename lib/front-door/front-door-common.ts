import { Aws, CfnResource, Stack } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct, IConstruct, IDependable } from 'constructs';
import type { InternalLoadBalancer } from '../backends/internal-load-balancer';
import type { FirewallTarget } from '../plan/firewall-rules/target';
import type { ApiMetrics } from '../monitoring/gateway-alarms';
import { apiMetric, type ApiMetricScope } from '../monitoring/metrics';
import type { GatewayPlan, ServicePlan } from '../plan/gateway-plan';
import type { PathRewrite } from '../plan/path-rewrite';
import type { ResolvedService, ResolvedServiceMap } from '../service-map/schema';
import { validationError } from '../construct-errors';

/** What either front door needs from the gateway. */
export interface FrontDoorProps {
  /** The gateway plan (`planGateway(map).plan`): the front door renders its routes, authorizer and throttles. */
  readonly plan: GatewayPlan;
  readonly vpc: ec2.IVpc;
  /**
   * The internal ALBs, in the plan's order (`LoadBalancerPlan.index`): at least `plan.placement.loadBalancerCount`.
   *
   * @throws ValidationError when there are fewer
   */
  readonly loadBalancers: readonly InternalLoadBalancer[];
  readonly vpcLinkSecurityGroup: ec2.ISecurityGroup;
  readonly logRetention: logs.RetentionDays;
  /** The bundled JWT authorizer function, when services use the Lambda authorizer. */
  readonly authorizerFunction?: lambda.IFunction;
  /**
   * Hosted zone for the custom domain's alias records.
   *
   * @default - the map's `domain.hostedZoneId` and `domain.zoneName`; without them, no alias records
   */
  readonly hostedZone?: route53.IHostedZone;
  /**
   * Certificate of the custom domain.
   *
   * @default - the map's `domain.certificateArn`
   * @throws ValidationError when the map has a `domain` without `certificateArn` and no certificate is given
   */
  readonly certificate?: acm.ICertificate;
}

export type { PathRewrite };

/** Where a front door's web ACL goes. */
export interface WebAclPlacement {
  readonly target: FirewallTarget;
  /** What must exist before the web ACL is associated with the target. @default - nothing */
  readonly dependsOn?: IDependable;
}

/** What the gateway asks of either front door (HTTP API or REST API), so it never needs to know which. */
export interface GatewayFrontDoor extends IConstruct, ApiMetrics {
  /** The URL clients call. */
  readonly url: string;
  readonly accessLogs: logs.ILogGroup;
  /** The CloudFormation resource of the API, which carries the record `verify` reads. */
  readonly apiResource: CfnResource;
  /** API keys by name (REST usage plans); the HTTP API has none. */
  readonly apiKeys: Readonly<Record<string, CfnResource>>;
  /** Requests; narrowed to one route (`ANY /orders/{proxy+}`) when given. */
  metricCount(route?: string, options?: cw.MetricOptions): cw.Metric;
  /** 5xx responses returned to clients. */
  metricServerErrors(route?: string, options?: cw.MetricOptions): cw.Metric;
  /** 4xx responses returned to clients. */
  metricClientErrors(route?: string, options?: cw.MetricOptions): cw.Metric;
  /** Time from request to response (ms), p99 by default. */
  metricLatency(route?: string, options?: cw.MetricOptions): cw.Metric;
  /** Time the backend took (ms), p99 by default. */
  metricIntegrationLatency(route?: string, options?: cw.MetricOptions): cw.Metric;
  /**
   * The path contract with the container services: the ALB rewrite that gives a service behind this front
   * door its own path (without the service prefix with `stripPrefix`), or `undefined` when the requests
   * already arrive with that path.
   */
  backendPathRewrite(service: ResolvedService): PathRewrite | undefined;
  /**
   * Where the web ACL goes, and what must exist before it is associated there. `pathPrefix` is the planned
   * prefix of the paths WAF inspects on a REST stage (`/<stage>` on the execute-api URL).
   */
  webAclTarget(pathPrefix: string | undefined): WebAclPlacement;
  /**
   * Creates a service's planned routes (or methods) in `scope`, its nested stack. The stage (and the REST
   * deployment) exist from the start: they take the routes' settings lazily and wait for `scope`'s stack.
   *
   * @throws ValidationError when the service is not in the plan or was added already, or `scope` holds
   * another service's routes (give each service its own scope), is the front door's stack itself, or is
   * neither in that stack nor in a nested stack of it
   */
  addServiceRoutes(scope: Construct, service: ServicePlan): void;
}

/** The custom domain of a front door: the API-specific domain name resource and where its alias records point. */
export interface RenderedDomain<T> {
  readonly domainName: T;
  readonly aliasTarget: route53.RecordTarget;
}

/**
 * What the front doors share: the plan they render, the URL clients call, the custom domain's certificate
 * and alias records, and their metrics, written once over the dimensions each API reports.
 */
export abstract class FrontDoorBase extends Construct {
  /** The plan this front door renders. */
  readonly plan: GatewayPlan;
  private readonly domainProps: Pick<FrontDoorProps, 'certificate' | 'hostedZone'>;

  /** Which service's routes each scope holds (a scope holds one service's: its ids are fixed). */
  private readonly routeScopes = new Map<Construct, string>();

  constructor(scope: Construct, id: string, props: FrontDoorProps) {
    super(scope, id);
    this.plan = props.plan;
    this.domainProps = { certificate: props.certificate, hostedZone: props.hostedZone };
    const needed = props.plan.placement.loadBalancerCount;
    if (props.loadBalancers.length < needed) {
      throw validationError(this, `${new.target.name}: the plan places services on ${needed} internal ALB${needed === 1 ? '' : 's'}, loadBalancers has ${props.loadBalancers.length}; give one InternalLoadBalancer per planned ALB (plan.placement.loadBalancerCount), in order`);
    }
  }

  /**
   * Checks that `service` is one of the plan's, not added yet, and that `scope` holds no other service's
   * routes (their construct ids would clash); a `ValidationError` naming each problem otherwise.
   */
  protected claimRouteScope(scope: Construct, service: ServicePlan): void {
    const problems: string[] = [];
    if (!this.plan.services.some((s) => s.name === service.name)) problems.push(`service "${service.name}" is not in the plan of "${this.plan.name}"`);
    const added = [...this.routeScopes].find(([, name]) => name === service.name);
    if (added) problems.push(`the routes of service "${service.name}" are already added (in ${added[0].node.path})`);
    const own = Stack.of(this);
    if (scope === own) {
      problems.push(`${scope.node.path} is the front door's stack itself, whose stage cannot wait for it; give the service a scope of its own in it (e.g. new Construct(stack, "${service.name}")) or in a nested stack`);
    } else if (!withinStack(Stack.of(scope), own)) {
      problems.push(`${scope.node.path} is in the stack ${Stack.of(scope).node.path}, neither the front door's stack ${own.node.path} nor a nested stack of it (the stage waits for the routes, the routes use the API: a cycle); give a scope in one of those`);
    }
    const holder = this.routeScopes.get(scope);
    if (holder !== undefined && holder !== service.name) {
      problems.push(`${scope.node.path} already holds the routes of service "${holder}"; give each service its own scope (e.g. new Construct(stack, "${service.name}"))`);
    }
    if (problems.length > 0) throw validationError(this, `${this.constructor.name}.addServiceRoutes: ${problems.join('; ')}`);
    this.routeScopes.set(scope, service.name);
  }

  /** The URL clients call: the custom domain, or the stage's execute-api URL. */
  get url(): string {
    const domain = this.plan.map.domain;
    return domain ? `https://${domain.name}/` : `https://${this.apiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}/${this.stagePathInUrl}`;
  }

  /** With a custom domain, clients use it only: the execute-api URL would bypass its mapping. */
  protected get disableExecuteApiEndpoint(): boolean {
    return this.plan.map.domain !== undefined;
  }

  /** The API's id (a token). */
  protected abstract get apiId(): string;

  /** What follows the host in the execute-api URL (`v1/` for a REST stage, nothing for `$default`). */
  protected abstract get stagePathInUrl(): string;

  /**
   * The map's custom domain, if any: `render` creates the API's domain name with `certificate` (the front
   * door maps it to its stage); the A and AAAA alias records go to the zone given or the one the map names.
   */
  protected customDomain<T>(render: (name: string, certificate: acm.ICertificate) => RenderedDomain<T>): T | undefined {
    const domain = this.plan.map.domain;
    if (!domain) return undefined;
    const { domainName, aliasTarget } = render(domain.name, this.domainCertificate(domain));
    domainAliasRecords(this, domain, aliasTarget, this.domainProps.hostedZone);
    return domainName;
  }

  /**
   * What the stage (or REST deployment) must wait for once `scope` holds routes: the nested stack `scope`
   * is in, or `scope` itself in the front door's own stack.
   */
  protected routesReady(scope: Construct): IDependable {
    const stack = Stack.of(scope);
    return stack !== Stack.of(this) ? stack : scope;
  }

  /** The `certificate` prop, or the certificate of the map's `domain.certificateArn`. */
  private domainCertificate(domain: NonNullable<ResolvedServiceMap['domain']>): acm.ICertificate {
    if (this.domainProps.certificate) return this.domainProps.certificate;
    if (!domain.certificateArn) {
      throw validationError(this, `domain.certificateArn: required for the custom domain ${domain.name}; add the ACM certificate's ARN to the map, or give the certificate prop`);
    }
    return acm.Certificate.fromCertificateArn(this, 'Certificate', domain.certificateArn);
  }

  /** Requests; narrowed to one route (`ANY /orders/{proxy+}`) when given. */
  metricCount(route?: string, options: cw.MetricOptions = {}): cw.Metric {
    return apiMetric(this.metricScope(route), 'count', options);
  }

  /** 5xx responses returned to clients. */
  metricServerErrors(route?: string, options: cw.MetricOptions = {}): cw.Metric {
    return apiMetric(this.metricScope(route), 'serverErrors', options);
  }

  /** 4xx responses returned to clients. */
  metricClientErrors(route?: string, options: cw.MetricOptions = {}): cw.Metric {
    return apiMetric(this.metricScope(route), 'clientErrors', options);
  }

  /** Time from request to response (ms), p99 by default. */
  metricLatency(route?: string, options: cw.MetricOptions = {}): cw.Metric {
    return apiMetric(this.metricScope(route), 'latency', options);
  }

  /** Time the backend took (ms), p99 by default. */
  metricIntegrationLatency(route?: string, options: cw.MetricOptions = {}): cw.Metric {
    return apiMetric(this.metricScope(route), 'integrationLatency', options);
  }

  /** The API's metric dimensions, narrowed to a route key when given. */
  protected abstract metricScope(route?: string): ApiMetricScope;
}

/** Whether `stack` is `root` or nested (at any depth) in it. */
function withinStack(stack: Stack, root: Stack): boolean {
  for (let s: Stack | undefined = stack; s; s = s.nestedStackParent) if (s === root) return true;
  return false;
}

/** The one VPC link V2 of a gateway (the account has 10 per Region), in the private subnets. */
export function gatewayVpcLink(scope: Construct, props: FrontDoorProps): apigwv2.VpcLink {
  return new apigwv2.VpcLink(scope, 'VpcLink', {
    vpc: props.vpc,
    vpcLinkName: `${props.plan.name}-gateway`,
    subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    securityGroups: [props.vpcLinkSecurityGroup],
  });
}

/** The URI API Gateway invokes a Lambda authorizer by (both front doors). */
export function lambdaAuthorizerUri(fn: lambda.IFunction): string {
  return `arn:${Aws.PARTITION}:apigateway:${Aws.REGION}:lambda:path/2015-03-31/functions/${fn.functionArn}/invocations`;
}

/**
 * Lets API Gateway invoke the Lambda authorizer as this API's authorizer only (its ARN), and only from
 * this account; `id` is the permission's construct id.
 */
export function allowAuthorizerInvoke(scope: Construct, fn: lambda.IFunction, id: string, apiId: string, authorizerId: string): void {
  fn.addPermission(id, {
    principal: new iam.ServicePrincipal('apigateway.amazonaws.com'),
    sourceArn: Stack.of(scope).formatArn({ service: 'execute-api', resource: apiId, resourceName: `authorizers/${authorizerId}` }),
    // Defence in depth beside the ARN: only this account's APIs.
    sourceAccount: Stack.of(scope).account,
  });
}

/** A and AAAA alias records for the custom domain, in the zone given or the zone the map names (if any). */
export function domainAliasRecords(scope: Construct, domain: NonNullable<ResolvedServiceMap['domain']>, target: route53.RecordTarget, hostedZone?: route53.IHostedZone): void {
  const zone = hostedZone
    ?? (domain.hostedZoneId && domain.zoneName ? route53.HostedZone.fromHostedZoneAttributes(scope, 'Zone', { hostedZoneId: domain.hostedZoneId, zoneName: domain.zoneName }) : undefined);
  if (!zone) return;
  new route53.ARecord(scope, 'AliasRecord', { zone, recordName: domain.name, target });
  new route53.AaaaRecord(scope, 'AliasRecordIpv6', { zone, recordName: domain.name, target });
}
