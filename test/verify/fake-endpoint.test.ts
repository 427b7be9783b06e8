/**
 * verify with the real AWS SDK clients against a loopback fake of CloudFormation, API Gateway v2 and WAFv2.
 */
import { stringify as toYaml } from 'yaml';
import { runVerify } from '../../lib/verify';
import { FakeAws } from './fake-aws';
import { API_ID, deployedSchool, fakeAwsEnv, gatewayTemplate, STACK } from './fixtures';
import { capture, statusOf, tableRow, withEnv } from './helpers';

describe('verify against a fake AWS endpoint', () => {
  let fake: FakeAws;
  let restoreEnv: () => void;

  beforeAll(async () => {
    fake = new FakeAws(deployedSchool());
    const endpoint = await fake.start();
    restoreEnv = withEnv({ ...fakeAwsEnv(endpoint), AWS_PROFILE: undefined });
  });
  afterAll(async () => {
    restoreEnv();
    await fake.stop();
  });
  beforeEach(() => {
    fake.state = deployedSchool();
    fake.requests.length = 0;
  });

  async function verify(stack = STACK) {
    const output = capture();
    const code = await runVerify({ stack }, output);
    return { code, ...output };
  }

  test('exits 0 and reports every item ok when the deployed state matches the map', async () => {
    const { code, stdout, stderr } = await verify();

    expect(stderr).toEqual([]);
    expect(code).toBe(0);
    for (const item of [
      'route ANY /live-reading',
      'route ANY /live-reading/{proxy+}',
      'route ANY /students',
      'route ANY /students/{proxy+}',
      'route ANY /payment',
      'route ANY /payment/{proxy+}',
      'integration parameters ANY /live-reading',
      'integration parameters ANY /live-reading/{proxy+}',
      'integration parameters ANY /students',
      'integration parameters ANY /students/{proxy+}',
      'integration parameters ANY /payment',
      'integration parameters ANY /payment/{proxy+}',
      'authorizer school-jwt',
      'stage $default default throttle',
      'stage $default throttle ANY /live-reading',
      'stage $default throttle ANY /live-reading/{proxy+}',
      'waf web ACL school-waf',
      'waf rule per-ip',
      'waf rule per-user',
      'waf rule svc-live-reading-ip-500-per-60s',
      'waf managed rule group AWS/AWSManagedRulesCommonRuleSet',
      'waf managed rule group AWS/AWSManagedRulesKnownBadInputsRuleSet',
      'waf association ALB SchoolGatewayAlb0LoadBalancer9A8B7C6D',
    ]) {
      expect([item, statusOf(stdout, item)]).toEqual([item, 'ok']);
    }
    expect(tableRow(stdout, 'route ANY /payment')).toContain('integration=HTTP_PROXY https://payment.example.com, timeout=10000 ms');
    expect(tableRow(stdout, 'authorizer school-jwt')).toContain('identitySource=$context.routeKey $request.header.Authorization, payloadFormat=2.0, simpleResponses=true');
    expect(tableRow(stdout, 'integration parameters ANY /students')).toContain('header.x-gateway-user=overwrite $context.authorizer.sub, path=overwrite /  ');
    expect(tableRow(stdout, 'waf rule per-user')).toContain('limit=100, window=60 s, aggregate=CUSTOM_KEYS header x-gateway-user  ');
    expect(tableRow(stdout, 'waf rule svc-live-reading-ip-500-per-60s')).toContain(
      'aggregate=FORWARDED_IP x-gateway-client-ip (fallback NO_MATCH), scopeDown=header x-gateway-service EXACTLY "ANY /live-reading" or header x-gateway-service EXACTLY "ANY /live-reading/{proxy+}"  ',
    );
    expect(stdout).toContain('36 items: 36 ok, 0 drift, 0 missing, 0 unexpected');
    expect(statusOf(stdout, 'cors configuration')).toBe('ok');
    expect(stdout[stdout.length - 1]).toBe('Deployed state matches the service map.');
  });

  test('follows every pagination cursor', async () => {
    await verify();

    // The fake pages by two: 7 stack resources, 12 routes (6 ANY, 6 OPTIONS) take 4 and 6 calls, each passing the previous token.
    expect(fake.calls('ListStackResources')).toHaveLength(4);
    const routeCalls = fake.calls('GetRoutes');
    expect(routeCalls).toHaveLength(6);
    expect(routeCalls[0].params.nextToken).toBeUndefined();
    expect(routeCalls[1].params.nextToken).toBeDefined();
    // 5 integrations take 3 calls; the payment integration is on the last page.
    const integrationCalls = fake.calls('GetIntegrations');
    expect(integrationCalls).toHaveLength(3);
    expect(integrationCalls[1].params.nextToken).toBeDefined();
    expect(fake.calls('GetTemplate')).toHaveLength(1);
    // Every request was signed with the environment's credentials.
    expect(new Set(fake.requests.map((r) => r.accessKeyId))).toEqual(new Set(['AKIAFAKEVERIFYTEST01']));
  });

  test('a deleted route is reported missing and exits 1', async () => {
    const api = fake.state.httpApis[API_ID];
    api.routes = api.routes.filter((r) => r.routeKey !== 'ANY /payment/{proxy+}');

    const { code, stdout } = await verify();

    expect(code).toBe(1);
    expect(statusOf(stdout, 'route ANY /payment/{proxy+}')).toBe('missing');
    expect(tableRow(stdout, 'route ANY /payment/{proxy+}')).toMatch(/auth=CUSTOM.*  -  +missing$/);
    expect(statusOf(stdout, 'integration parameters ANY /payment/{proxy+}')).toBe('missing');
    expect(statusOf(stdout, 'route ANY /payment')).toBe('ok');
    expect(stdout[stdout.length - 1]).toBe('Drift: 2 items differ from the service map.');
  });

  test('an authorizer whose identity source lost the route key is drift: its cache would let one route\'s allow open another', async () => {
    fake.state.httpApis[API_ID].authorizers[0].identitySource = ['$request.header.Authorization'];

    const { code, stdout } = await verify();

    expect(code).toBe(1);
    expect(tableRow(stdout, 'authorizer school-jwt')).toMatch(
      /^authorizer school-jwt +identitySource=\$context\.routeKey \$request\.header\.Authorization +identitySource=\$request\.header\.Authorization +drift$/,
    );
  });

  test('an authorizer found on a later page matches; the others are unexpected', async () => {
    const api = fake.state.httpApis[API_ID];
    const legacy = (n: number) => ({ authorizerId: `old${n}`, name: `legacy-${n}`, authorizerType: 'REQUEST', authorizerResultTtlInSeconds: 0, identitySource: [] });
    api.authorizers = [legacy(1), legacy(2), ...api.authorizers];

    const { code, stdout } = await verify();

    expect(code).toBe(1);
    expect(fake.calls('GetAuthorizers')).toHaveLength(2);
    expect(statusOf(stdout, 'authorizer school-jwt')).toBe('ok');
    expect(statusOf(stdout, 'authorizer legacy-1')).toBe('unexpected');
    expect(statusOf(stdout, 'authorizer legacy-2')).toBe('unexpected');
  });

  test('an integration that no longer overwrites x-gateway-user is drift on every route it serves', async () => {
    const payment = fake.state.httpApis[API_ID].integrations.find((i) => i.integrationId === 'int-pay')!;
    const { 'overwrite:header.x-gateway-user': _user, ...rest } = payment.requestParameters as Record<string, string>;
    void _user;
    payment.requestParameters = rest;

    const { code, stdout } = await verify();

    expect(code).toBe(1);
    for (const route of ['ANY /payment', 'ANY /payment/{proxy+}']) {
      expect(tableRow(stdout, `integration parameters ${route}`)).toMatch(
        /^integration parameters \S+ \S+ +header\.x-gateway-user=overwrite \$context\.authorizer\.sub +header\.x-gateway-user=\(not set\) +drift$/,
      );
    }
    expect(statusOf(stdout, 'integration parameters ANY /students')).toBe('ok');
  });

  test('a verified route whose integration appends to x-gateway-user instead of overwriting it is drift', async () => {
    const live = fake.state.httpApis[API_ID].integrations.find((i) => i.integrationId === 'int-alb0-full')!;
    const { 'overwrite:header.x-gateway-user': user, ...rest } = live.requestParameters as Record<string, string>;
    live.requestParameters = { ...rest, 'append:header.x-gateway-user': user };

    const { code, stdout } = await verify();

    expect(code).toBe(1);
    expect(tableRow(stdout, 'integration parameters ANY /live-reading')).toMatch(
      /header\.x-gateway-user=overwrite \$context\.authorizer\.sub +header\.x-gateway-user=append \$context\.authorizer\.sub +drift$/,
    );
  });

  test('a changed route throttle is drift showing both values, and exits 1', async () => {
    fake.state.httpApis[API_ID].stages.$default.routeSettings = {
      'ANY /live-reading': { throttlingBurstLimit: 200, throttlingRateLimit: 50 },
      'ANY /live-reading/{proxy+}': { throttlingBurstLimit: 200, throttlingRateLimit: 100 },
    };

    const { code, stdout } = await verify();

    expect(code).toBe(1);
    const row = tableRow(stdout, 'stage $default throttle ANY /live-reading');
    expect(row).toMatch(/rate=100\/s +rate=50\/s +drift$/);
    expect(statusOf(stdout, 'stage $default throttle ANY /live-reading/{proxy+}')).toBe('ok');
  });

  test('a changed default stage throttle is drift', async () => {
    fake.state.httpApis[API_ID].stages.$default.defaultRouteSettings = { throttlingBurstLimit: 5000, throttlingRateLimit: 1000 };

    const { code, stdout } = await verify();

    expect(code).toBe(1);
    expect(tableRow(stdout, 'stage $default default throttle')).toMatch(/burst=2000 +burst=5000 +drift$/);
  });

  test('a web ACL no longer associated with the ALB is reported missing and exits 1', async () => {
    fake.state.webAcls[0].associations = { APPLICATION_LOAD_BALANCER: [] };

    const { code, stdout } = await verify();

    expect(code).toBe(1);
    const row = tableRow(stdout, 'waf association ALB SchoolGatewayAlb0LoadBalancer9A8B7C6D');
    expect(row).toMatch(/present +- +missing$/);
    const listCall = fake.calls('ListResourcesForWebACL')[0];
    expect(listCall.params.ResourceType).toBe('APPLICATION_LOAD_BALANCER');
  });

  test('a changed WAF rate limit and an extra route are drift and unexpected', async () => {
    fake.state.webAcls[0].webAcl.Rules = (fake.state.webAcls[0].webAcl.Rules as Array<Record<string, any>>).map((r) =>
      r.Name === 'per-user' ? { ...r, Statement: { RateBasedStatement: { ...r.Statement.RateBasedStatement, Limit: 1000 } } } : r,
    );
    fake.state.httpApis[API_ID].routes.push({ routeId: 'x', routeKey: 'GET /debug', authorizationType: 'NONE', target: 'integrations/int-pay' });

    const { code, stdout } = await verify();

    expect(code).toBe(1);
    expect(tableRow(stdout, 'waf rule per-user')).toMatch(/limit=100 +limit=1000 +drift$/);
    expect(tableRow(stdout, 'route GET /debug')).toMatch(/^route GET \/debug +- +auth=NONE, integration=HTTP_PROXY https:\/\/payment.example.com, timeout=10000 ms +unexpected$/);
  });

  test('a user rate rule re-keyed to the connection address is drift: behind the VPC link every caller shares one address', async () => {
    // GIVEN the per-user rule counting by IP instead of the gateway's user header
    fake.state.webAcls[0].webAcl.Rules = (fake.state.webAcls[0].webAcl.Rules as Array<Record<string, any>>).map((r) =>
      r.Name === 'per-user' ? { ...r, Statement: { RateBasedStatement: { Limit: 100, EvaluationWindowSec: 60, AggregateKeyType: 'IP' } } } : r,
    );

    // WHEN
    const { code, stdout } = await verify();

    // THEN only how it aggregates differs
    expect(code).toBe(1);
    expect(tableRow(stdout, 'waf rule per-user')).toMatch(/^waf rule per-user +aggregate=CUSTOM_KEYS header x-gateway-user +aggregate=IP +drift$/);
    expect(statusOf(stdout, 'waf rule per-ip')).toBe('ok');
  });

  test('a deleted web ACL is reported missing without reading its associations', async () => {
    fake.state.webAcls = [];

    const { code, stdout } = await verify();

    expect(code).toBe(1);
    expect(statusOf(stdout, 'waf web ACL school-waf')).toBe('missing');
    expect(fake.calls('ListResourcesForWebACL')).toHaveLength(0);
  });

  test('access denied exits 2 and names the denied IAM action', async () => {
    fake.state.failures.GetRoutes = {
      status: 403,
      code: 'AccessDeniedException',
      message: `User: arn:aws:iam::123456789012:user/ci is not authorized to perform: apigateway:GET on resource: arn:aws:apigateway:eu-west-1::/apis/${API_ID}/routes`,
    };

    const { code, stdout, stderr } = await verify();

    expect(code).toBe(2);
    expect(stdout).toEqual([]);
    expect(stderr.join('\n')).toMatch(/Access denied: the credentials in use are not allowed to perform apigateway:GET \(HTTP API a1b2c3d4e5\)/);
  });

  test('access denied by CloudFormation names cloudformation:GetTemplate', async () => {
    fake.state.failures.GetTemplate = {
      status: 403,
      code: 'AccessDenied',
      message: 'User: arn:aws:iam::123456789012:user/ci is not authorized to perform: cloudformation:GetTemplate on resource: arn:aws:cloudformation:eu-west-1:123456789012:stack/school-gateway/*',
    };

    const { code, stderr } = await verify();

    expect(code).toBe(2);
    expect(stderr.join('\n')).toContain('not allowed to perform cloudformation:GetTemplate');
  });

  test('rejected credentials exit 2 saying they are invalid or expired', async () => {
    fake.state.failures.GetTemplate = { status: 403, code: 'ExpiredToken', message: 'The security token included in the request is expired' };

    const { code, stderr } = await verify();

    expect(code).toBe(2);
    expect(stderr.join('\n')).toContain('AWS rejected the credentials (ExpiredToken): they are invalid or expired.');
  });

  test('a stack that does not exist exits 2 with the stack and region named', async () => {
    const { code, stdout, stderr } = await verify('no-such-stack');

    expect(code).toBe(2);
    expect(stdout).toEqual([]);
    expect(stderr.join('\n')).toContain('Stack "no-such-stack" not found in region eu-west-1');
  });

  // The SDK waits a random fraction (full jitter) of its exponential backoff between attempts: seconds of waiting
  // here. With the fraction at 0 every retry still happens, at once; what these tests count is the attempts.
  const withoutBackoffWaits = () => jest.spyOn(Math, 'random').mockReturnValue(0);
  afterEach(() => jest.restoreAllMocks());

  test('throttled calls are retried', async () => {
    withoutBackoffWaits();
    fake.state.failures.GetWebACL = { status: 400, code: 'ThrottlingException', message: 'Rate exceeded', times: 1 };
    fake.state.failures.GetRoutes = { status: 429, code: 'TooManyRequestsException', message: 'Too Many Requests', times: 2 };

    const { code } = await verify();

    expect(code).toBe(0);
    expect(fake.calls('GetRoutes').length).toBe(6 + 2);
    expect(fake.calls('GetWebACL').length).toBe(2);
  });

  test('a stack still throttled after every retry exits 2 saying so', async () => {
    withoutBackoffWaits();
    fake.state.failures.GetTemplate = { status: 400, code: 'Throttling', message: 'Rate exceeded' };

    const { code, stderr } = await verify();

    expect(code).toBe(2);
    expect(fake.calls('GetTemplate')).toHaveLength(5);
    expect(stderr.join('\n')).toContain('AWS kept throttling cloudformation:GetTemplate');
  });

  test('reads a template stored as YAML with short-form intrinsic functions, map recorded as an object', async () => {
    const template = gatewayTemplate(undefined, {}, true);
    const yamlBody =
      toYaml(template) +
      'Outputs:\n  ApiUrl:\n    Value: !GetAtt SchoolGatewayHttpApi7A2B3C4D.ApiEndpoint\n  ApiId:\n    Value: !Ref SchoolGatewayHttpApi7A2B3C4D\n' +
      '  Joined:\n    Value: !Join ["", [!Ref AWS::Region, "-x"]]\n';
    fake.state.stacks[STACK].templateBody = yamlBody;

    const { code, stdout, stderr } = await verify();

    expect(stderr).toEqual([]);
    expect(code).toBe(0);
    expect(statusOf(stdout, 'route ANY /students')).toBe('ok');
  });

  test('a stack without the gateway metadata exits 2 explaining why', async () => {
    fake.state.stacks[STACK].templateBody = JSON.stringify({ Resources: { Bucket: { Type: 'AWS::S3::Bucket' } } });

    const { code, stderr } = await verify();

    expect(code).toBe(2);
    expect(stderr.join('\n')).toContain('has no "cdk-service-gateway" metadata');
  });

  test('credentials never appear in the output', async () => {
    fake.state.failures.GetTemplate = { status: 400, code: 'SomethingOdd', message: `echo AKIAFAKEVERIFYTEST01 fake-secret-key-never-printed-0123456789` };

    const { code, stderr } = await verify();

    expect(code).toBe(2);
    const text = stderr.join('\n');
    expect(text).toContain('SomethingOdd');
    expect(text).not.toContain('AKIAFAKEVERIFYTEST01');
    expect(text).not.toContain('fake-secret-key-never-printed');
  });
});
