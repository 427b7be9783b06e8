import { CfnResource, Duration, Lazy, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';
import type { IntegrationPlan, ServicePlan } from '../plan/gateway-plan';
import type { HttpCorsPlan } from '../plan/cors';
import type { ApiMetricScope } from '../monitoring/metrics';
import { validationError } from '../construct-errors';
import { accessLogFormat } from './access-log-format';
import { allowAuthorizerInvoke, FrontDoorBase, FrontDoorProps, gatewayVpcLink, GatewayFrontDoor, lambdaAuthorizerUri, type PathRewrite, type WebAclPlacement } from './front-door-common';

export type HttpFrontDoorProps = FrontDoorProps;

/**
 * The HTTP API front door: one VPC link to the internal ALBs, integrations shared per ALB (never one
 * per service: an HTTP API allows 300), two routes per service, stage throttles, JSON access logs,
 * CORS and an optional custom domain. It renders the gateway plan: every route, integration, throttle
 * and the authorizer are as the plan says.
 */
export class HttpFrontDoor extends FrontDoorBase implements GatewayFrontDoor {
  readonly api: apigwv2.HttpApi;
  readonly vpcLink: apigwv2.VpcLink;
  readonly accessLogs: logs.LogGroup;
  readonly authorizer?: apigwv2.CfnAuthorizer;
  /** The `$default` stage; its route settings are those of the routes added (`addServiceRoutes`). */
  readonly stage: apigwv2.HttpStage;
  readonly domainName?: apigwv2.DomainName;

  /** API keys belong to REST usage plans: none here. */
  readonly apiKeys: Readonly<Record<string, CfnResource>> = {};

  protected metricScope(route?: string): ApiMetricScope {
    return { kind: 'http', apiId: this.api.apiId, stage: '$default', route };
  }

  /** None: the integration itself sets the path the backend gets (overwrite:path). */
  backendPathRewrite(): PathRewrite | undefined {
    return undefined;
  }

  /** Every internal ALB (an HTTP API cannot carry a web ACL). */
  webAclTarget(): WebAclPlacement {
    return { target: { kind: 'alb', loadBalancerArns: this.props.loadBalancers.map((a) => a.loadBalancer.loadBalancerArn) } };
  }

  private readonly integrations = new Map<string, apigwv2.CfnIntegration>();
  /** Stage route settings by route key; CloudFormation casing, since the property is untyped JSON. */
  private readonly routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number; DetailedMetricsEnabled: boolean }> = {};
  private readonly props: HttpFrontDoorProps;

  constructor(scope: Construct, id: string, props: HttpFrontDoorProps) {
    super(scope, id, props);
    if (props.plan.frontDoor !== 'http') throw validationError(this, `HttpFrontDoor: the plan of "${props.plan.name}" is for the ${props.plan.frontDoor} front door; plan a map with frontDoor "http", or use RestFrontDoor`);
    this.props = props;
    const { map } = props.plan;
    this.api = new apigwv2.HttpApi(this, 'Api', {
      apiName: map.name,
      description: `${map.name} gateway (cdk-service-gateway)`,
      createDefaultStage: false,
      disableExecuteApiEndpoint: this.disableExecuteApiEndpoint,
      corsPreflight: this.plan.cors?.http && httpCorsPreflight(this.plan.cors.http),
    });
    this.vpcLink = gatewayVpcLink(this, props);
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: props.logRetention });
    this.authorizer = this.createAuthorizer();
    this.domainName = this.customDomain((domainName, certificate) => {
      const domain = new apigwv2.DomainName(this, 'Domain', { domainName, certificate, securityPolicy: apigwv2.SecurityPolicy.TLS_1_2 });
      return { domainName: domain, aliasTarget: route53.RecordTarget.fromAlias(new targets.ApiGatewayv2DomainProperties(domain.regionalDomainName, domain.regionalHostedZoneId)) };
    });
    // The integrations to the ALBs that the plan's routes share, each once.
    for (const service of this.plan.services) {
      for (const route of [...service.routes, ...service.preflightRoutes]) {
        if (route.integration.connectionType === 'VPC_LINK') this.integrationFor(this, route.integration);
      }
    }
    this.stage = new apigwv2.HttpStage(this, 'Stage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: this.plan.stageThrottle.rateLimit, burstLimit: this.plan.stageThrottle.burstLimit },
      detailedMetricsEnabled: true,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogs),
        format: apigw.AccessLogFormat.custom(accessLogFormat('http', map.auth.authorizer)),
      },
    });
    // Per-route settings name route keys: read when the template is written, once every route was added
    // (the stage waits for their stacks, since CloudFormation rejects settings of routes that do not exist yet).
    (this.stage.node.defaultChild as apigwv2.CfnStage).routeSettings = Lazy.any({
      produce: () => {
        const keys = Object.keys(this.routeSettings).sort();
        return keys.length > 0 ? Object.fromEntries(keys.map((k) => [k, this.routeSettings[k]])) : undefined;
      },
    });
    if (this.domainName) new apigwv2.ApiMapping(this, 'ApiMapping', { api: this.api, domainName: this.domainName, stage: this.stage });
  }

  /** The `AWS::ApiGatewayV2::Api` resource. */
  get apiResource(): apigwv2.CfnApi {
    return this.api.node.defaultChild as apigwv2.CfnApi;
  }

  protected get apiId(): string {
    return this.api.apiId;
  }

  protected get stagePathInUrl(): string {
    return '';
  }

  /**
   * Creates a service's planned routes (and a url service's own integrations) in `scope`; with `cors`,
   * also its preflight routes (`OPTIONS`, no authorizer), answered by the ALB's preflight rule.
   */
  addServiceRoutes(scope: Construct, service: ServicePlan): void {
    this.claimRouteScope(scope, service);
    for (const route of service.routes) {
      const target = this.integrationFor(scope, route.integration);
      const verified = route.authorizationType !== 'NONE';
      const cfn = new apigwv2.CfnRoute(scope, route.exactRoute ? 'Route' : 'ProxyRoute', {
        apiId: this.api.apiId,
        routeKey: route.key,
        target: `integrations/${target.ref}`,
        authorizationType: route.authorizationType,
        authorizerId: verified ? this.authorizer!.ref : undefined,
        authorizationScopes: route.authorizationScopes.length ? [...route.authorizationScopes] : undefined,
      });
      if (!verified) {
        Validations.of(cfn).acknowledge({ id: 'AwsSolutions-APIG4', reason: 'The map declares this service public (auth: "none"); WAF rules and throttles still apply.' });
      }
      if (route.throttle) {
        this.routeSettings[route.key] = {
          ThrottlingRateLimit: route.throttle.rateLimit,
          ThrottlingBurstLimit: route.throttle.burstLimit,
          DetailedMetricsEnabled: true,
        };
      }
    }
    for (const route of service.preflightRoutes) {
      const cfn = new apigwv2.CfnRoute(scope, route.exactRoute ? 'PreflightRoute' : 'PreflightProxyRoute', {
        apiId: this.api.apiId,
        routeKey: route.key,
        target: `integrations/${this.integrationFor(scope, route.integration).ref}`,
        authorizationType: route.authorizationType,
      });
      Validations.of(cfn).acknowledge({ id: 'AwsSolutions-APIG4', reason: 'CORS preflight (OPTIONS): browsers send it without credentials; the ALB answers it with 204 and API Gateway adds the CORS headers.' });
    }
    this.stage.node.addDependency(this.routesReady(scope));
  }

  /**
   * A planned integration: to an internal ALB, shared by every route that plans the same one (created
   * here once); to a url service's URL, its own (in the service's `scope`).
   */
  private integrationFor(scope: Construct, planned: IntegrationPlan): apigwv2.CfnIntegration {
    const id = planned.id!;
    if (planned.connectionType === 'INTERNET') {
      return (scope.node.tryFindChild(id) as apigwv2.CfnIntegration | undefined) ?? new apigwv2.CfnIntegration(scope, id, {
        apiId: this.api.apiId,
        description: planned.description,
        integrationType: planned.type,
        integrationMethod: planned.httpMethod,
        integrationUri: planned.target,
        payloadFormatVersion: '1.0',
        timeoutInMillis: planned.timeoutMs,
        requestParameters: { ...planned.requestParameters },
      });
    }
    let integration = this.integrations.get(id);
    if (!integration) {
      const alb = this.props.loadBalancers[planned.loadBalancer!];
      integration = new apigwv2.CfnIntegration(this, id, {
        apiId: this.api.apiId,
        description: planned.description,
        integrationType: planned.type,
        integrationMethod: planned.httpMethod,
        integrationUri: alb.listener.listenerArn,
        connectionType: 'VPC_LINK',
        connectionId: this.vpcLink.vpcLinkId,
        payloadFormatVersion: '1.0',
        timeoutInMillis: planned.timeoutMs,
        requestParameters: { ...planned.requestParameters },
      });
      this.integrations.set(id, integration);
    }
    return integration;
  }

  private createAuthorizer(): apigwv2.CfnAuthorizer | undefined {
    const planned = this.plan.authorizer;
    // No route uses JWT auth: no authorizer (and no Lambda) at all.
    if (!planned) return undefined;
    if (planned.kind === 'native') {
      return new apigwv2.CfnAuthorizer(this, 'Authorizer', {
        apiId: this.api.apiId,
        name: planned.name,
        authorizerType: planned.type,
        identitySource: [...planned.identitySource],
        // Validation allows one issuer with the native authorizer.
        jwtConfiguration: { issuer: planned.issuers[0], audience: [...planned.audience] },
      });
    }
    const fn = this.props.authorizerFunction;
    if (!fn) throw validationError(this, 'HttpFrontDoor: the plan has a Lambda JWT authorizer; give authorizerFunction (the bundled JwtAuthorizerFunction\'s function)');
    const authorizer = new apigwv2.CfnAuthorizer(this, 'Authorizer', {
      apiId: this.api.apiId,
      name: planned.name,
      authorizerType: planned.type,
      authorizerPayloadFormatVersion: planned.payloadFormatVersion,
      enableSimpleResponses: planned.enableSimpleResponses,
      // Scopes differ per route: the cache key includes it, so a cached allow never opens another.
      identitySource: [...planned.identitySource],
      authorizerResultTtlInSeconds: planned.resultTtlSeconds,
      authorizerUri: lambdaAuthorizerUri(fn),
    });
    allowAuthorizerInvoke(this, fn, 'InvokeFromApiGateway', this.api.apiId, authorizer.ref);
    return authorizer;
  }
}

/** The plan's CORS configuration in CDK's terms (CDK writes it into the API's `CorsConfiguration`). */
function httpCorsPreflight(cors: HttpCorsPlan): apigwv2.CorsPreflightOptions {
  return {
    allowOrigins: [...cors.allowOrigins],
    allowMethods: cors.allowMethods.map((m) => (m === '*' ? apigwv2.CorsHttpMethod.ANY : (m as apigwv2.CorsHttpMethod))),
    allowHeaders: [...cors.allowHeaders],
    exposeHeaders: cors.exposeHeaders ? [...cors.exposeHeaders] : undefined,
    allowCredentials: cors.allowCredentials,
    maxAge: Duration.seconds(cors.maxAge),
  };
}
