/**
 * One test per validation rule: each asserts the whole problem line (field path and what would be
 * valid), and that the map is accepted once the problem is gone, so every test can fail.
 */
import { validateServiceMap } from '../../lib/plan';
import { ServiceMapError } from '../../lib/service-map';
import { problemsOf } from '../support/problems';

const fargate = (extra: Record<string, unknown> = {}, container: Record<string, unknown> = {}) => ({
  path: '/a',
  container: { image: 'nginx:1.27', ...container },
  ...extra,
});
/** A map with one container service `a`; `extra` sets gateway fields. */
const withService = (a: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ name: 'shop', services: { a }, ...extra });
const withGateway = (extra: Record<string, unknown>) => withService(fargate(), extra);

const certificateArn = 'arn:aws:acm:eu-west-1:123456789012:certificate/abc-123';
const domain = (fields: Record<string, unknown>) => withGateway({ domain: { name: 'api.example.com', certificateArn, ...fields } });
const jwt = { issuer: 'https://id.example.com/', audience: ['shop'] };

describe('network', () => {
  const line = 'network: vpcId imports an existing VPC; maxAzs and natGateways only apply to a new VPC (remove them or vpcId)';

  test('vpcId with maxAzs is rejected', () => {
    expect(problemsOf(withGateway({ network: { vpcId: 'vpc-0123456789abcdef0', maxAzs: 2 } }))).toEqual([line]);
  });

  test('vpcId with natGateways is rejected', () => {
    expect(problemsOf(withGateway({ network: { vpcId: 'vpc-0123456789abcdef0', natGateways: 1 } }))).toEqual([line]);
  });

  test('vpcId alone, or maxAzs and natGateways alone, are accepted', () => {
    expect(problemsOf(withGateway({ network: { vpcId: 'vpc-0123456789abcdef0', loadBalancers: 2 } }))).toEqual([]);
    expect(problemsOf(withGateway({ network: { maxAzs: 3, natGateways: 2 } }))).toEqual([]);
  });

  test('a malformed vpcId names the form of a VPC id', () => {
    expect(problemsOf(withGateway({ network: { vpcId: 'my-vpc' } }))).toEqual(['network.vpcId: expected a VPC id such as "vpc-0123456789abcdef0"']);
  });
});

describe('domain', () => {
  const together = 'domain: hostedZoneId and zoneName go together (both for a Route 53 alias, or neither)';

  test('hostedZoneId without zoneName is rejected', () => {
    expect(problemsOf(domain({ hostedZoneId: 'Z123' }))).toEqual([together]);
  });

  test('zoneName without hostedZoneId is rejected', () => {
    expect(problemsOf(domain({ zoneName: 'example.com' }))).toEqual([together]);
  });

  test('neither, or both, are accepted', () => {
    expect(problemsOf(domain({}))).toEqual([]);
    expect(problemsOf(domain({ hostedZoneId: 'Z123', zoneName: 'example.com' }))).toEqual([]);
  });

  test('domain.name outside domain.zoneName is rejected', () => {
    expect(problemsOf(domain({ hostedZoneId: 'Z123', zoneName: 'other.com' }))).toEqual([
      'domain.name: "api.example.com" is not inside the zone "other.com" (valid: "other.com" or a name ending in ".other.com")',
    ]);
  });

  test('a name that only ends with the zone\'s letters is not inside it (CDK would name the record "api.badexample.com.example.com")', () => {
    expect(problemsOf(withGateway({ domain: { name: 'api.badexample.com', certificateArn, hostedZoneId: 'Z123', zoneName: 'example.com' } }))).toEqual([
      'domain.name: "api.badexample.com" is not inside the zone "example.com" (valid: "example.com" or a name ending in ".example.com")',
    ]);
  });

  test('the zone apex and a zone name with a trailing dot are accepted', () => {
    expect(problemsOf(withGateway({ domain: { name: 'example.com', certificateArn, hostedZoneId: 'Z123', zoneName: 'example.com' } }))).toEqual([]);
    expect(problemsOf(domain({ hostedZoneId: 'Z123', zoneName: 'example.com.' }))).toEqual([]);
  });

  test('a zone name that is not a lowercase domain is rejected', () => {
    expect(problemsOf(domain({ hostedZoneId: 'Z123', zoneName: 'Example.com' }))).toEqual([
      'domain.zoneName: "Example.com" is not a lowercase hosted zone name such as "example.com"',
    ]);
    expect(problemsOf(domain({ hostedZoneId: 'Z123', zoneName: '' }))).toEqual(['domain.zoneName: "" is not a lowercase hosted zone name such as "example.com"']);
  });
});

describe('cors', () => {
  test('allowCredentials with allowOrigins "*" is rejected', () => {
    expect(problemsOf(withGateway({ cors: { allowOrigins: ['*'], allowCredentials: true } }))).toEqual([
      'cors.allowCredentials: browsers reject credentials with allowOrigins "*"; list the origins',
    ]);
  });

  test('credentials with listed origins, or "*" without credentials, are accepted', () => {
    expect(problemsOf(withGateway({ cors: { allowOrigins: ['https://app.example.com'], allowCredentials: true } }))).toEqual([]);
    expect(problemsOf(withGateway({ cors: { allowOrigins: ['*'] } }))).toEqual([]);
  });

  test('an empty allowOrigins says how many are needed', () => {
    expect(problemsOf(withGateway({ cors: { allowOrigins: [] } }))).toEqual(['cors.allowOrigins: expected at least 1 item, got 0']);
  });
});

describe('auth', () => {
  test('auth.default "jwt" without auth.jwt is rejected, and so is every service that inherits it', () => {
    expect(problemsOf(withGateway({ auth: { default: 'jwt' } }))).toEqual([
      'auth.default: "jwt" needs auth.jwt (issuer, audience) or auth.cognito',
      'services.a.auth: "jwt" needs auth.jwt (issuer, audience) or auth.cognito in the map',
    ]);
  });

  test('auth.default "jwt" with auth.jwt is accepted', () => {
    expect(problemsOf(withGateway({ auth: { default: 'jwt', jwt } }))).toEqual([]);
  });
});

describe('url services', () => {
  const url = { path: '/a', url: 'https://a.example.com' };

  test('loadBalancing only applies to container services', () => {
    expect(problemsOf(withService({ ...url, loadBalancing: { algorithm: 'round_robin' } }))).toEqual([
      'services.a.loadBalancing: only applies to "container" services, not "url" services',
    ]);
  });

  test('priority only applies to container services', () => {
    expect(problemsOf(withService({ ...url, priority: 10 }))).toEqual(['services.a.priority: only applies to "container" services, not "url" services']);
  });

  test('the same options on a container service are accepted', () => {
    expect(problemsOf(withService(fargate({ loadBalancing: { algorithm: 'round_robin' }, priority: 10 })))).toEqual([]);
  });
});

describe('container', () => {
  test('a health-check path not starting with "/" is rejected', () => {
    expect(problemsOf(withService(fargate({}, { healthCheckPath: 'health' })))).toEqual([
      'services.a.container.healthCheckPath: "health" is not a health-check path (starts with "/", then letters, digits and . _ ~ / -)',
    ]);
  });

  test('a health-check path with a space or a query is rejected', () => {
    expect(problemsOf(withService(fargate({}, { healthCheckPath: '/he alth' })))).toEqual([
      'services.a.container.healthCheckPath: "/he alth" is not a health-check path (starts with "/", then letters, digits and . _ ~ / -)',
    ]);
    expect(problemsOf(withService(fargate({}, { healthCheckPath: '/health?deep=1' })))).toEqual([
      'services.a.container.healthCheckPath: "/health?deep=1" is not a health-check path (starts with "/", then letters, digits and . _ ~ / -)',
    ]);
  });

  test('a health-check path longer than the ALB allows is rejected', () => {
    expect(problemsOf(withService(fargate({}, { healthCheckPath: `/${'h'.repeat(1024)}` })))).toEqual([
      'services.a.container.healthCheckPath: the path is 1025 characters; at most 1024 (the ALB limit for a health-check path)',
    ]);
    expect(problemsOf(withService(fargate({}, { healthCheckPath: `/${'h'.repeat(1023)}` })))).toEqual([]);
  });

  test('valid health-check paths are accepted', () => {
    for (const healthCheckPath of ['/', '/health', '/api/v1/health.json', '/_status~x']) {
      expect(problemsOf(withService(fargate({}, { healthCheckPath })))).toEqual([]);
    }
  });

  test('environment names must be environment variable names', () => {
    expect(problemsOf(withService(fargate({}, { environment: { '1BAD': 'x', 'LOG-LEVEL': 'info', 'OK_1': 'y', _PRIVATE: 'z' } })))).toEqual([
      'services.a.container.environment.1BAD: "1BAD" is not an environment variable name (letters, digits and _, not starting with a digit)',
      'services.a.container.environment.LOG-LEVEL: "LOG-LEVEL" is not an environment variable name (letters, digits and _, not starting with a digit)',
    ]);
  });

  test('environment values must be strings', () => {
    expect(problemsOf(withService(fargate({}, { environment: { PORT: 8080, DEBUG: true, NAME: 'x' } })))).toEqual([
      'services.a.container.environment.PORT: expected a string value (quote numbers and booleans), got 8080',
      'services.a.container.environment.DEBUG: expected a string value (quote numbers and booleans), got true',
    ]);
  });

  test('secret names must be environment variable names', () => {
    expect(problemsOf(withService(fargate({}, { secrets: { 'DB-PASSWORD': 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf' } })))).toEqual([
      'services.a.container.secrets.DB-PASSWORD: "DB-PASSWORD" is not an environment variable name (letters, digits and _, not starting with a digit)',
    ]);
  });

  test('secret values must be whole Secrets Manager secret or SSM parameter ARNs', () => {
    const valid =
      '(arn:aws:secretsmanager:<region>:<account>:secret:<name>) or an SSM parameter ARN (arn:aws:ssm:<region>:<account>:parameter/<name>)';
    const secrets = {
      PLAIN: 'hunter2',
      SSM_DOCUMENT: 'arn:aws:ssm:eu-west-1:123456789012:document/x',
      SSM_PREFIX: 'arn:aws:ssm:',
      SM_NO_NAME: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:',
      SM_JSON_KEY: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf:password::',
    };
    expect(problemsOf(withService(fargate({}, { secrets })))).toEqual(
      Object.entries(secrets).map(([name, arn]) => `services.a.container.secrets.${name}: "${arn}" is not a Secrets Manager secret ARN ${valid}`),
    );
  });

  test('complete and partial secret ARNs and parameter ARNs are accepted, in any partition', () => {
    const secrets = {
      COMPLETE: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf',
      PARTIAL: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db',
      PARAMETER: 'arn:aws:ssm:eu-west-1:123456789012:parameter/users/token',
      GOV: 'arn:aws-us-gov:ssm:us-gov-west-1:123456789012:parameter/x',
    };
    expect(problemsOf(withService(fargate({}, { secrets })))).toEqual([]);
  });
});

describe('loadBalancing', () => {
  const slowStart = (slowStartSeconds: unknown) => problemsOf(withService(fargate({ loadBalancing: { slowStartSeconds } })));
  const stickiness = (stickinessSeconds: unknown) => problemsOf(withService(fargate({ loadBalancing: { stickinessSeconds } })));

  test.each([10, 29, 901, 1000, -1])('slowStartSeconds %p is out of range', (value) => {
    expect(slowStart(value)).toEqual([`services.a.loadBalancing.slowStartSeconds: ${value} is not a slow-start duration (0, or 30 to 900)`]);
  });

  test('slowStartSeconds that is not a whole number is rejected', () => {
    expect(slowStart(30.5)).toEqual(['services.a.loadBalancing.slowStartSeconds: expected a slow-start duration in whole seconds (0, or 30 to 900), got 30.5']);
  });

  test.each([0, 30, 900])('slowStartSeconds %p is accepted', (value) => {
    expect(slowStart(value)).toEqual([]);
  });

  test.each([-1, 604801, 1_000_000])('stickinessSeconds %p is out of range', (value) => {
    expect(stickiness(value)).toEqual([`services.a.loadBalancing.stickinessSeconds: ${value} is not a stickiness duration (0 = off, or 1 to 604800)`]);
  });

  test('stickinessSeconds that is not a whole number is rejected', () => {
    expect(stickiness(1.5)).toEqual(['services.a.loadBalancing.stickinessSeconds: expected a stickiness duration in whole seconds (0 = off, or 1 to 604800), got 1.5']);
  });

  test.each([0, 1, 604800])('stickinessSeconds %p is accepted', (value) => {
    expect(stickiness(value)).toEqual([]);
  });
});

describe('names', () => {
  const rule = '(lowercase letters, digits and hyphens, starting with a letter, ending with a letter or digit)';

  test('a service name with uppercase letters is rejected', () => {
    expect(problemsOf({ name: 'shop', services: { Web: fargate() } })).toEqual([`services.Web: "Web" is not a valid service name ${rule}`]);
  });

  test('a service name that starts with a digit or ends with a hyphen is rejected', () => {
    expect(problemsOf({ name: 'shop', services: { '1web': fargate(), 'web-': { ...fargate(), path: '/b' } } })).toEqual([
      `services.1web: "1web" is not a valid service name ${rule}`,
      `services.web-: "web-" is not a valid service name ${rule}`,
    ]);
  });

  test('a service name longer than 32 characters is rejected; 32 is accepted', () => {
    const long = `s${'x'.repeat(32)}`;
    expect(problemsOf({ name: 'shop', services: { [long]: fargate() } })).toEqual([`services.${long}: "${long}" is longer than 32 characters`]);
    expect(problemsOf({ name: 'shop', services: { [long.slice(1)]: fargate() } })).toEqual([]);
  });

  test('a gateway name longer than 20 characters is rejected; 20 is accepted', () => {
    expect(problemsOf(withService(fargate(), { name: 'a-gateway-name-of-21c' }))).toEqual(['name: "a-gateway-name-of-21c" is longer than 20 characters']);
    expect(problemsOf(withService(fargate(), { name: 'a-gateway-name-of-20' }))).toEqual([]);
  });

  test('a missing gateway name is reported as missing', () => {
    expect(problemsOf({ services: { a: fargate() } })).toEqual(['name: expected a gateway name string, got nothing']);
  });
});

describe('wrong JSON types name the field and the valid type or values', () => {
  test.each<[string, Record<string, unknown>, string]>([
    ['a boolean', withService(fargate({ stripPrefix: 'yes' })), 'services.a.stripPrefix: expected true or false, got "yes"'],
    ['a boolean given as a number', withGateway({ firewall: { enabled: 1 } }), 'firewall.enabled: expected true or false, got 1'],
    ['a Fargate CPU size', withService(fargate({}, { cpu: '256' })), 'services.a.container.cpu: expected a Fargate CPU size (256, 512, 1024, 2048, 4096, 8192, 16384), got "256"'],
    ['a TCP port', withService(fargate({}, { port: '8080' })), 'services.a.container.port: expected a TCP port from 1 to 65535, got "8080"'],
    ['a backend URL', withService({ path: '/a', url: 42 }), 'services.a.url: expected an https:// backend URL, got 42'],
    ['an issuer URL', withGateway({ auth: { jwt: { issuer: true, audience: ['x'] } } }), 'auth.jwt.issuer: expected an issuer or a list of issuers, got true'],
    ['a rate', withGateway({ throttle: { rateLimit: 'fast', burstLimit: 10 } }), 'throttle.rateLimit: expected a rate in requests per second from 0 to 1000000, got "fast"'],
    ['a burst', withGateway({ throttle: { rateLimit: 10, burstLimit: '20' } }), 'throttle.burstLimit: expected a whole number from 0 to 1000000, got "20"'],
    ['a negative rate', withGateway({ throttle: { rateLimit: -1, burstLimit: 10 } }), 'throttle.rateLimit: -1 is below the minimum 0 (valid: 0 to 1000000)'],
    ['a percentage', withGateway({ alarms: { api5xxPercent: '5' } }), 'alarms.api5xxPercent: expected a percentage from 0 to 100, got "5"'],
    ['a percentage above 100', withService(fargate({ alarms: { error5xxPercent: 101 } })), 'services.a.alarms.error5xxPercent: 101 is above the maximum 100 (valid: 0 to 100)'],
    ['a list', withService(fargate({ scopes: 'orders:read' })), 'services.a.scopes: expected an array, got "orders:read"'],
    ['a list given as an object', withService(fargate({ rateLimits: { limit: 100 } })), 'services.a.rateLimits: expected an array, got an object'],
    ['an object', withService(fargate({ loadBalancing: 'round_robin' })), 'services.a.loadBalancing: expected an object, got "round_robin"'],
    ['the services object', { name: 'shop', services: [fargate()] }, 'services: expected an object, got an array'],
    ['an image', withService({ path: '/a', container: { image: 5 } }), 'services.a.container.image: expected an image reference such as "public.ecr.aws/nginx/nginx:1.27" or { "directory": "<folder with a Dockerfile>" }, got 5'],
    ['an empty image', withService({ path: '/a', container: { image: '' } }), 'services.a.container.image: expected a non-empty string'],
    ['a stickiness duration', withService(fargate({ loadBalancing: { stickinessSeconds: '60' } })), 'services.a.loadBalancing.stickinessSeconds: expected a stickiness duration in seconds (0 = off, or 1 to 604800), got "60"'],
    [
      'a log retention',
      withGateway({ logs: { retentionDays: '30' } }),
      'logs.retentionDays: expected a CloudWatch Logs retention in days (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653), got "30"',
    ],
  ])('%s', (_what, map, line) => {
    expect(problemsOf(map)).toEqual([line]);
  });

  test('a map that is not an object', () => {
    expect(problemsOf(null)).toEqual(['(map): expected an object, got null']);
    expect(problemsOf('shop')).toEqual(['(map): expected an object, got "shop"']);
  });
});

describe('every problem at once', () => {
  test('one map with problems in six places reports all of them in one ServiceMapError', () => {
    const map = {
      name: 'Shop', // field: not a valid name
      network: { vpcId: 'vpc-0123456789abcdef0', maxAzs: 2 }, // gateway cross-field
      cors: { allowOrigins: ['*'], allowCredentials: true }, // gateway cross-field
      auth: { default: 'jwt' }, // gateway cross-field, and the jwt services below inherit it
      throttle: { rateLimit: 'fast', burstLimit: 10 }, // field: wrong type
      services: {
        a: fargate({ stripPrefix: 'yes' }), // field: wrong type (this service does not parse)
        b: { path: '/b', container: { image: 'nginx:1.27', cpu: 256, memoryMiB: 4096 }, auth: 'none' }, // service cross-field
        c: { path: '/c', url: 'https://c.example.com', priority: 5, auth: 'none' }, // url-only rule
      },
    };
    let error: unknown;
    try {
      validateServiceMap(map);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ServiceMapError);
    const problems = (error as ServiceMapError).problems;
    expect([...problems].sort()).toEqual(
      [
        'name: "Shop" is not a valid gateway name (lowercase letters, digits and hyphens, starting with a letter, ending with a letter or digit)',
        'throttle.rateLimit: expected a rate in requests per second from 0 to 1000000, got "fast"',
        'services.a.stripPrefix: expected true or false, got "yes"',
        'services.b.container.memoryMiB: 4096 MiB is not offered with cpu 256 (valid: 512, 1024, 2048)',
        'services.c.priority: only applies to "container" services, not "url" services',
        'auth.default: "jwt" needs auth.jwt (issuer, audience) or auth.cognito',
        'network: vpcId imports an existing VPC; maxAzs and natGateways only apply to a new VPC (remove them or vpcId)',
        'cors.allowCredentials: browsers reject credentials with allowOrigins "*"; list the origins',
      ].sort(),
    );
    // The message lists them all, one per line, under a count.
    expect((error as ServiceMapError).message.split('\n')[0]).toBe('Invalid service map (8 problems):');
    for (const p of problems) expect((error as ServiceMapError).message).toContain(`\n  ${p}`);
  });

  test('a block that does not parse skips only the checks that read it', () => {
    // network does not parse (maxAzs is a string), so its vpcId rule cannot be judged; cors still is.
    expect(
      problemsOf(withGateway({ network: { vpcId: 'vpc-0123456789abcdef0', maxAzs: 'two' }, cors: { allowOrigins: ['*'], allowCredentials: true } })),
    ).toEqual([
      'network.maxAzs: expected an AZ count from 2 to 6, got "two"',
      'cors.allowCredentials: browsers reject credentials with allowOrigins "*"; list the origins',
    ]);
  });
});
