import { Aws, CfnResource, Duration, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct, IDependable } from 'constructs';
import { planAuthorizer } from '../plan/authorizer';
import { routeAuthorization, routeThrottle } from '../plan/routes';
import type { ServicePlacement } from '../plan/placement';
import type { ApiMetricScope } from '../monitoring/metrics';
import { accessLogFormat } from './access-log-format';
import { allowAuthorizerInvoke, domainAliasRecords, FrontDoorBase, FrontDoorProps, gatewayVpcLink, GatewayFrontDoor, lambdaAuthorizerUri, type PathRewrite, type WebAclPlacement } from './front-door-common';
import { requestParameters, sharedIntegrationKey, urlIntegrationParameters } from '../plan/integration-mapping';
import { preflightIntegrationKey, type SharedIntegrationKey } from '../plan/placement';

export type HttpFrontDoorProps = FrontDoorProps;

/**
 * The HTTP API front door: one VPC link to the internal ALBs, integrations shared per ALB (never one
 * per service: an HTTP API allows 300), two routes per service, stage throttles, JSON access logs,
 * CORS and an optional custom domain.
 */
export class HttpFrontDoor extends FrontDoorBase implements GatewayFrontDoor {
  readonly api: apigwv2.HttpApi;
  readonly vpcLink: apigwv2.VpcLink;
  readonly accessLogs: logs.LogGroup;
  readonly authorizer?: apigwv2.CfnAuthorizer;
  readonly domainName?: apigwv2.DomainName;
  /** Created by `finish()`, once every route exists. */
  stage!: apigwv2.HttpStage;

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
    super(scope, id);
    this.props = props;
    const { map } = props;
    this.api = new apigwv2.HttpApi(this, 'Api', {
      apiName: map.name,
      description: `${map.name} gateway (cdk-service-gateway)`,
      createDefaultStage: false,
      // With a custom domain, clients use it only; the execute-api URL would bypass its mapping.
      disableExecuteApiEndpoint: map.domain !== undefined,
      corsPreflight: map.cors && {
        allowOrigins: map.cors.allowOrigins,
        allowMethods: map.cors.allowMethods.map((m) => (m === '*' ? apigwv2.CorsHttpMethod.ANY : (m as apigwv2.CorsHttpMethod))),
        allowHeaders: map.cors.allowHeaders,
        exposeHeaders: map.cors.exposeHeaders.length ? map.cors.exposeHeaders : undefined,
        allowCredentials: map.cors.allowCredentials,
        maxAge: Duration.seconds(map.cors.maxAgeSeconds),
      },
    });
    this.vpcLink = gatewayVpcLink(this, props);
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: props.logRetention });
    this.authorizer = this.createAuthorizer();

    if (map.domain) {
      this.domainName = new apigwv2.DomainName(this, 'Domain', {
        domainName: map.domain.name,
        certificate: props.certificate ?? acm.Certificate.fromCertificateArn(this, 'Certificate', map.domain.certificateArn),
        securityPolicy: apigwv2.SecurityPolicy.TLS_1_2,
      });
      const target = route53.RecordTarget.fromAlias(new targets.ApiGatewayv2DomainProperties(this.domainName.regionalDomainName, this.domainName.regionalHostedZoneId));
      domainAliasRecords(this, map.domain, target, props.hostedZone);
    }
  }

  /** The `AWS::ApiGatewayV2::Api` resource. */
  get apiResource(): apigwv2.CfnApi {
    return this.api.node.defaultChild as apigwv2.CfnApi;
  }

  /** The URL clients call. */
  get url(): string {
    return this.props.map.domain ? `https://${this.props.map.domain.name}/` : `https://${this.api.apiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}/`;
  }

  /**
   * Creates a service's two routes (and a url service's own integrations) in `scope`; with `cors`, also
   * its two preflight routes (`OPTIONS`, no authorizer), answered by the ALB's preflight rule.
   */
  addServiceRoutes(scope: Construct, placement: ServicePlacement): void {
    const svc = placement.service;
    const [exact, proxy] = placement.routeKeys;
    const targetFor = (exactRoute: boolean): string => {
      if (placement.kind === 'container') return this.sharedIntegration(placement, exactRoute).ref;
      const mapping = svc.stripPrefix && exactRoute ? 'Exact' : '';
      const id = `Integration${mapping}`;
      const existing = scope.node.tryFindChild(id) as apigwv2.CfnIntegration | undefined;
      const integration =
        existing ??
        new apigwv2.CfnIntegration(scope, id, {
          apiId: this.api.apiId,
          // API Gateway allows 1,024 characters; a URL may have 2,048.
          description: `${placement.name}: ${svc.url!.length > 200 ? `${svc.url!.slice(0, 199)}…` : svc.url}`,
          integrationType: 'HTTP_PROXY',
          integrationMethod: 'ANY',
          integrationUri: svc.url!,
          payloadFormatVersion: '1.0',
          timeoutInMillis: svc.timeoutMs,
          requestParameters: urlIntegrationParameters(svc.url!, this.caller(placement), this.authorizerKind, svc.stripPrefix, exactRoute),
        });
      return integration.ref;
    };
    const { authorizationType, authorizationScopes } = routeAuthorization(this.props.map, svc);
    const throttle = routeThrottle(this.props.map, svc);
    for (const [key, isExact, id] of [[exact, true, 'Route'], [proxy, false, 'ProxyRoute']] as const) {
      const jwt = placement.auth === 'jwt';
      const route = new apigwv2.CfnRoute(scope, id, {
        apiId: this.api.apiId,
        routeKey: key,
        target: `integrations/${targetFor(isExact)}`,
        authorizationType,
        authorizerId: jwt ? this.authorizer!.ref : undefined,
        authorizationScopes: authorizationScopes.length ? [...authorizationScopes] : undefined,
      });
      if (!jwt) {
        Validations.of(route).acknowledge({ id: 'AwsSolutions-APIG4', reason: 'The map declares this service public (auth: "none"); WAF rules and throttles still apply.' });
      }
      if (throttle) {
        this.routeSettings[key] = {
          ThrottlingRateLimit: throttle.rateLimit,
          ThrottlingBurstLimit: throttle.burstLimit,
          DetailedMetricsEnabled: true,
        };
      }
    }
    placement.preflightRouteKeys.forEach((routeKey, i) => {
      const route = new apigwv2.CfnRoute(scope, i === 0 ? 'PreflightRoute' : 'PreflightProxyRoute', {
        apiId: this.api.apiId,
        routeKey,
        target: `integrations/${this.integrationFor(preflightIntegrationKey(placement)).ref}`,
        authorizationType: 'NONE',
      });
      Validations.of(route).acknowledge({ id: 'AwsSolutions-APIG4', reason: 'CORS preflight (OPTIONS): browsers send it without credentials; the ALB answers it with 204 and API Gateway adds the CORS headers.' });
    });
  }

  /**
   * Creates the `$default` stage after every route: per-route settings name route keys, and
   * CloudFormation rejects settings for routes that do not exist yet.
   */
  finish(routesReady: readonly IDependable[]): apigwv2.HttpStage {
    const { map } = this.props;
    this.stage = new apigwv2.HttpStage(this, 'Stage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: map.throttle.rateLimit, burstLimit: map.throttle.burstLimit },
      detailedMetricsEnabled: true,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogs),
        format: apigw.AccessLogFormat.custom(accessLogFormat('http', this.props.map.auth.authorizer)),
      },
    });
    const cfnStage = this.stage.node.defaultChild as apigwv2.CfnStage;
    if (Object.keys(this.routeSettings).length > 0) {
      const sorted = Object.fromEntries(Object.keys(this.routeSettings).sort().map((k) => [k, this.routeSettings[k]]));
      cfnStage.routeSettings = sorted;
    }
    for (const dep of routesReady) this.stage.node.addDependency(dep);
    if (this.domainName) {
      new apigwv2.ApiMapping(this, 'ApiMapping', { api: this.api, domainName: this.domainName, stage: this.stage });
    }
    return this.stage;
  }

  private get authorizerKind(): 'lambda' | 'native' {
    return this.props.map.auth.authorizer;
  }

  private caller(placement: ServicePlacement): 'verified' | 'anonymous' {
    return placement.auth === 'jwt' ? 'verified' : 'anonymous';
  }

  private sharedIntegration(placement: ServicePlacement, exactRoute: boolean): apigwv2.CfnIntegration {
    return this.integrationFor(sharedIntegrationKey(placement, exactRoute));
  }

  private integrationFor(key: SharedIntegrationKey): apigwv2.CfnIntegration {
    let integration = this.integrations.get(key.id);
    if (!integration) {
      const alb = this.props.loadBalancers[key.loadBalancer];
      integration = new apigwv2.CfnIntegration(this, key.id, {
        apiId: this.api.apiId,
        description: key.description,
        integrationType: 'HTTP_PROXY',
        integrationMethod: 'ANY',
        integrationUri: alb.listener.listenerArn,
        connectionType: 'VPC_LINK',
        connectionId: this.vpcLink.vpcLinkId,
        payloadFormatVersion: '1.0',
        timeoutInMillis: key.timeoutMs,
        requestParameters: requestParameters(key.caller, this.authorizerKind, key.path),
      });
      this.integrations.set(key.id, integration);
    }
    return integration;
  }

  private createAuthorizer(): apigwv2.CfnAuthorizer | undefined {
    const planned = planAuthorizer(this.props.map);
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
    if (!fn) throw new Error('HttpFrontDoor: the Lambda JWT authorizer needs authorizerFunction');
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
