import { Match } from 'aws-cdk-lib/assertions';
import { exampleMap, resourcesOf, synthGateway } from '../support/gateway';
import type { ServiceMap } from '../../lib/service-map/schema';
import { decodeRecordedMap } from '../../lib/recorded-map';

describe('ServiceGateway with the example map', () => {
  const gw = synthGateway(exampleMap());
  const live = gw.serviceTemplate('live-reading');
  const students = gw.serviceTemplate('student-api');
  const payment = gw.serviceTemplate('payment');

  test('one internal ALB whose listener answers unknown requests with a fixed 404', () => {
    gw.root.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 1);
    gw.root.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internal',
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' }]),
    });
    gw.root.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      DefaultActions: [Match.objectLike({ Type: 'fixed-response', FixedResponseConfig: Match.objectLike({ StatusCode: '404' }) })],
    });
  });

  test('each container service is routed by the gateway-set service header, not by path', () => {
    live.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Conditions: [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'x-gateway-service', Values: ['ANY /live-reading', 'ANY /live-reading/{proxy+}'] } }],
      Priority: gw.gateway.placement.services.find((s) => s.name === 'live-reading')!.priority,
    });
    students.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Conditions: [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'x-gateway-service', Values: ['ANY /students', 'ANY /students/{proxy+}'] } }],
    });
  });

  test('two routes per service, with the JWT authorizer on jwt services', () => {
    for (const [template, path] of [[live, '/live-reading'], [students, '/students'], [payment, '/payment']] as const) {
      for (const key of [`ANY ${path}`, `ANY ${path}/{proxy+}`]) {
        template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: key, AuthorizationType: 'CUSTOM', AuthorizerId: Match.anyValue() });
      }
    }
  });

  test('integrations overwrite the service, client-IP, user and path parameters', () => {
    gw.root.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      ConnectionType: 'VPC_LINK',
      IntegrationType: 'HTTP_PROXY',
      RequestParameters: {
        'overwrite:header.x-gateway-service': '$context.routeKey',
        'overwrite:header.x-gateway-client-ip': '$context.identity.sourceIp',
        'overwrite:header.x-gateway-user': '$context.authorizer.sub',
        'overwrite:header.x-gateway-scopes': '$context.authorizer.scope',
        'overwrite:path': '$request.path',
      },
    });
  });

  test('stripPrefix sends the backend the path below the prefix', () => {
    const stripping = resourcesOf(gw.root, 'AWS::ApiGatewayV2::Integration').map(([, r]) => r.Properties.RequestParameters['overwrite:path']);
    expect(stripping).toEqual(expect.arrayContaining(['/$request.path.proxy', '/']));
  });

  test('the HTTP front door sets the path itself: no listener rule rewrites it', () => {
    expect(gw.gateway.frontDoor.backendPathRewrite(gw.gateway.map.services['student-api'])).toBeUndefined();
    for (const t of [live, students]) for (const [, rule] of resourcesOf(t, 'AWS::ElasticLoadBalancingV2::ListenerRule')) expect(rule.Properties.Transforms).toBeUndefined();
  });

  test('metrics: HTTP API dimensions (ApiId, Stage $default; Route for a route)', () => {
    const fd = gw.gateway.frontDoor;
    expect(fd.metricServerErrors().metricName).toBe('5xx');
    expect(fd.metricCount('ANY /students').dimensions).toEqual({ ApiId: fd.apiResource.ref, Stage: '$default', Route: 'ANY /students' });
  });

  test('integrations are shared per ALB, not one per service', () => {
    // live-reading (full path) and student-api (strip prefix: proxy + exact) on one ALB: three shared
    // integrations, and the anonymous one every service's CORS preflight routes use (the map sets cors).
    gw.root.resourceCountIs('AWS::ApiGatewayV2::Integration', 4);
    payment.resourceCountIs('AWS::ApiGatewayV2::Integration', 1);
  });

  test('url services get an HTTP proxy integration with their timeout', () => {
    payment.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'HTTP_PROXY',
      IntegrationUri: 'https://payment.example.com',
      TimeoutInMillis: 10000,
      RequestParameters: Match.objectLike({ 'overwrite:path': '$request.path', 'overwrite:header.x-gateway-client-ip': '$context.identity.sourceIp' }),
    });
  });

  test('only the VPC link reaches the ALB, only the ALB reaches tasks, nothing is public', () => {
    const ingress = resourcesOf(gw.root, 'AWS::EC2::SecurityGroupIngress').map(([, r]) => r.Properties);
    const albSg = resourcesOf(gw.root, 'AWS::EC2::SecurityGroup').find(([, r]) => /Internal ALB/.test(r.Properties.GroupDescription))![0];
    const tasksSg = resourcesOf(gw.root, 'AWS::EC2::SecurityGroup').find(([, r]) => /Fargate tasks/.test(r.Properties.GroupDescription))![0];
    const linkSg = resourcesOf(gw.root, 'AWS::EC2::SecurityGroup').find(([, r]) => /VPC link/.test(r.Properties.GroupDescription))![0];
    const into = (sg: string) => ingress.filter((r) => r.GroupId['Fn::GetAtt'][0] === sg);
    expect(into(albSg).map((r) => [r.SourceSecurityGroupId['Fn::GetAtt'][0], r.FromPort])).toEqual([[linkSg, 80]]);
    expect(into(tasksSg).map((r) => [r.SourceSecurityGroupId['Fn::GetAtt'][0], r.FromPort]).sort()).toEqual([[albSg, 8000], [albSg, 8080]]);
    // No security group anywhere accepts traffic from an address range.
    const inline = resourcesOf(gw.root, 'AWS::EC2::SecurityGroup').flatMap(([, r]) => r.Properties.SecurityGroupIngress ?? []);
    expect([...ingress, ...inline].filter((r: any) => r.CidrIp || r.CidrIpv6)).toEqual([]);
    for (const t of [live, students]) {
      t.hasResourceProperties('AWS::ECS::Service', { NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED' }) } });
    }
  });

  test('Fargate services deploy safely: circuit breaker with rollback, 100 % minimum healthy', () => {
    live.hasResourceProperties('AWS::ECS::Service', {
      LaunchType: 'FARGATE',
      DeploymentConfiguration: Match.objectLike({ DeploymentCircuitBreaker: { Enable: true, Rollback: true }, MinimumHealthyPercent: 100, MaximumPercent: 200 }),
    });
    live.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Cpu: '256',
      Memory: '512',
      ContainerDefinitions: [Match.objectLike({ Image: 'public.ecr.aws/nginx/nginx:1.27', PortMappings: [{ ContainerPort: 8000, Protocol: 'tcp' }], Environment: [{ Name: 'LOG_LEVEL', Value: 'info' }] })],
    });
    students.hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '512', Memory: '1024' });
  });

  test('target groups carry the health check and load-balancing options of the map', () => {
    live.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      TargetType: 'ip',
      Port: 8000,
      HealthCheckPath: '/health',
      Name: Match.stringLikeRegexp('^school-live-reading-[0-9a-z]{7}$'),
      TargetGroupAttributes: Match.arrayWith([
        { Key: 'deregistration_delay.timeout_seconds', Value: '30' },
        { Key: 'slow_start.duration_seconds', Value: '30' },
        { Key: 'load_balancing.algorithm.type', Value: 'least_outstanding_requests' },
      ]),
    });
  });

  test('autoscaling on CPU, and on requests where the map asks for it', () => {
    live.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 2, MaxCapacity: 10 });
    live.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({ TargetValue: 60, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' } }),
    });
    live.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({ TargetValue: 1000, PredefinedMetricSpecification: Match.objectLike({ PredefinedMetricType: 'ALBRequestCountPerTarget' }) }),
    });
    students.resourcePropertiesCountIs('AWS::ApplicationAutoScaling::ScalingPolicy', { PolicyType: 'TargetTrackingScaling' }, 1);
  });

  test('stage throttles: the gateway default and per-route limits of services that set one', () => {
    gw.root.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: Match.objectLike({ ThrottlingRateLimit: 1000, ThrottlingBurstLimit: 2000 }),
      RouteSettings: {
        'ANY /live-reading': Match.objectLike({ ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 }),
        'ANY /live-reading/{proxy+}': Match.objectLike({ ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 }),
      },
    });
    // Route settings name routes that live in nested stacks: the stage waits for them.
    const [, stage] = resourcesOf(gw.root, 'AWS::ApiGatewayV2::Stage')[0];
    const nested = resourcesOf(gw.root, 'AWS::CloudFormation::Stack').map(([id]) => id);
    expect(stage.DependsOn).toEqual(expect.arrayContaining(nested));
  });

  test('JSON access logs without tokens, and bounded retention on every log group', () => {
    const [, stage] = resourcesOf(gw.root, 'AWS::ApiGatewayV2::Stage')[0];
    const format = JSON.parse(stage.Properties.AccessLogSettings.Format);
    expect(format).toMatchObject({ requestId: '$context.requestId', routeKey: '$context.routeKey', status: '$context.status' });
    expect(JSON.stringify(format)).not.toMatch(/authorization|header/i);
    for (const t of [gw.root, live, students]) {
      for (const [, lg] of resourcesOf(t, 'AWS::Logs::LogGroup')) expect(lg.Properties.RetentionInDays).toBe(30);
    }
  });

  test('the new VPC logs rejected traffic to a log group with bounded retention', () => {
    const [[groupId]] = resourcesOf(gw.root, 'AWS::Logs::LogGroup').filter(([id]) => id.includes('VpcFlowLogs'));
    gw.root.hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceType: 'VPC',
      TrafficType: 'REJECT',
      LogDestinationType: 'cloud-watch-logs',
      LogGroupName: { Ref: groupId },
    });
  });

  test('CORS from the map', () => {
    gw.root.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: Match.objectLike({ AllowOrigins: ['https://app.example.com'], AllowMethods: ['GET', 'POST'], MaxAge: 600 }),
    });
  });

  test('the authorizer is a least-privilege arm64 Lambda configured from the map', () => {
    gw.root.hasResourceProperties('AWS::Lambda::Function', {
      Architectures: ['arm64'],
      Runtime: 'nodejs24.x',
      Environment: {
        Variables: Match.objectLike({
          // The map's jwksUri (without one, JWKS_URI is left out and the authorizer discovers the key set).
          JWKS_URI: 'https://id.example.com/.well-known/jwks.json',
          JWT_ISSUER: 'https://id.example.com/',
          JWT_AUDIENCE: 'school-api',
          JWT_ALGORITHMS: 'RS256,ES256',
          // Settings the map leaves at the authorizer's defaults are not written.
          JWT_SUBJECT_CLAIMS: Match.absent(),
          JWT_SCOPE_CLAIMS: Match.absent(),
          JWT_ACCESS_TOKENS_ONLY: Match.absent(),
        }),
      },
    });
    const policies = resourcesOf(gw.root, 'AWS::IAM::Policy').filter(([id]) => id.includes('Authorizer'));
    expect(policies).toHaveLength(1);
    const statements = policies[0][1].Properties.PolicyDocument.Statement;
    expect(statements).toEqual([expect.objectContaining({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow' })]);
    gw.root.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      EnableSimpleResponses: true,
      AuthorizerPayloadFormatVersion: '2.0',
      AuthorizerResultTtlInSeconds: 300,
      // live-reading and student-api need different scopes: a cached allow must not cross routes.
      IdentitySource: ['$request.header.Authorization', '$context.routeKey'],
    });
    gw.root.hasResourceProperties('AWS::Lambda::Permission', { Principal: 'apigateway.amazonaws.com', SourceArn: Match.anyValue() });
  });

  test('outputs the API URL and the ALB DNS name', () => {
    const outputs = gw.root.findOutputs('*');
    expect(Object.values(outputs).map((o) => o.Description)).toEqual(
      expect.arrayContaining(['school: the URL clients call', 'school: internal ALB 0 (reachable from the VPC link only)']),
    );
  });

  test('records the map (without environment values) on the API for verify', () => {
    const [, api] = resourcesOf(gw.root, 'AWS::ApiGatewayV2::Api')[0] as any;
    const record = api.Metadata['cdk-service-gateway'];
    expect(record).toMatchObject({ schemaVersion: 1, frontDoor: 'http', stageName: '$default', mapEncoding: 'gzip+base64' });
    const recorded = decodeRecordedMap(record.map);
    expect(recorded.services['live-reading'].container!.environment).toEqual({ LOG_LEVEL: '(redacted)' });
    expect(recorded).toEqual({ ...gw.gateway.map, services: expect.objectContaining({ payment: gw.gateway.map.services.payment }) });
  });
});

describe('ServiceGateway options', () => {
  const minimal = (extra: Partial<ServiceMap> = {}): ServiceMap => ({
    name: 'shop',
    services: { web: { path: '/web', container: { image: 'nginx:1.27' } }, open: { path: '/open', url: 'https://open.example.com/v1', stripPrefix: true } },
    ...extra,
  });

  test('anonymous routes remove identity headers a client might send', () => {
    const gw = synthGateway(minimal());
    gw.root.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      RequestParameters: Match.objectLike({ 'remove:header.x-gateway-user': "''", 'remove:header.x-gateway-scopes': "''" }),
    });
    gw.root.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 0);
    gw.root.resourceCountIs('AWS::Lambda::Function', 0);
    gw.serviceTemplate('web').hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'ANY /web', AuthorizationType: 'NONE' });
  });

  test('a url service with a base path and stripPrefix keeps its base path', () => {
    const gw = synthGateway(minimal());
    const params = resourcesOf(gw.serviceTemplate('open'), 'AWS::ApiGatewayV2::Integration').map(([, r]) => r.Properties.RequestParameters['overwrite:path']);
    expect(params.sort()).toEqual(['/v1', '/v1/${request.path.proxy}']);
  });

  test('the native JWT authorizer enforces scopes per route without a Lambda', () => {
    const gw = synthGateway({
      name: 'shop',
      auth: { jwt: { issuer: 'https://id.example.com/', audience: ['shop'] }, authorizer: 'native' },
      services: { web: { path: '/web', container: { image: 'nginx:1.27' }, scopes: ['web:read'] } },
    });
    gw.root.resourceCountIs('AWS::Lambda::Function', 0);
    gw.root.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'JWT', JwtConfiguration: { Issuer: 'https://id.example.com/', Audience: ['shop'] } });
    gw.serviceTemplate('web').hasResourceProperties('AWS::ApiGatewayV2::Route', { AuthorizationType: 'JWT', AuthorizationScopes: ['web:read'] });
    gw.root.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      RequestParameters: Match.objectLike({ 'overwrite:header.x-gateway-user': '$context.authorizer.claims.sub' }),
    });
    // The access log names the caller too: the native authorizer exposes the token's claims.
    const [, stage] = resourcesOf(gw.root, 'AWS::ApiGatewayV2::Stage')[0] as any;
    expect(JSON.parse(stage.Properties.AccessLogSettings.Format)).toMatchObject({ user: '$context.authorizer.claims.sub' });
  });

  test('a custom domain gets its certificate, an API mapping and alias records; execute-api is off', () => {
    const gw = synthGateway(
      minimal({ domain: { name: 'api.example.com', certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc-123', hostedZoneId: 'Z123', zoneName: 'example.com' } }),
    );
    gw.root.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'api.example.com',
      DomainNameConfigurations: [Match.objectLike({ CertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc-123', SecurityPolicy: 'TLS_1_2' })],
    });
    gw.root.resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 1);
    gw.root.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'api.example.com.', Type: 'A', HostedZoneId: 'Z123' });
    gw.root.hasResourceProperties('AWS::ApiGatewayV2::Api', { DisableExecuteApiEndpoint: true });
  });

  test('a new VPC follows the network block', () => {
    const gw = synthGateway(minimal({ network: { maxAzs: 3, natGateways: 2 } }));
    gw.root.resourceCountIs('AWS::EC2::NatGateway', 2);
    gw.root.resourcePropertiesCountIs('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false }, 6);
  });

  test('container insights on the cluster', () => {
    synthGateway(minimal()).root.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
    });
  });

  test('a bad map throws every problem before any construct exists', () => {
    expect(() => synthGateway({ name: 'shop', services: { web: { path: '/web', container: { image: 'x', cpu: 300 } } } } as ServiceMap)).toThrow(
      /services\.web\.container\.cpu: 300 is not a Fargate CPU size/,
    );
  });
});

describe('ServiceGateway with an issuer but no jwt service', () => {
  test('creates no authorizer and no Lambda', () => {
    const gw = synthGateway({
      name: 'shop',
      auth: { jwt: { issuer: 'https://id.example.com/', audience: ['shop'] }, default: 'none' },
      services: { web: { path: '/web', container: { image: 'nginx:1.27' } } },
    });
    gw.root.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 0);
    gw.root.resourceCountIs('AWS::Lambda::Function', 0);
  });
});
