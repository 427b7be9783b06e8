import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { estimateWebAclCapacity, validateServiceMap } from '../../lib/plan';
import { rejectionOf as problemsOf } from '../support/problems';

const example = JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'school.json'), 'utf8'));

const base = (services: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ name: 'shop', services, ...extra });
const fargate = (path: string, container: Record<string, unknown> = {}) => ({ path, container: { image: 'nginx:1.27', ...container } });

describe('validateServiceMap', () => {
  test('accepts the bundled example and fills defaults', () => {
    const { map, warnings } = validateServiceMap(example);
    // The one thing to look at: on the HTTP front door the web ACL sits on the ALB, which url services never pass.
    expect(warnings).toEqual([{ id: 'cdk-service-gateway:url-bypasses-firewall', message: expect.stringMatching(/^firewall: on the HTTP front door .* requests to "url" services \(payment\) never pass it/) }]);
    expect(map.frontDoor).toBe('http');
    expect(map.services.payment.url).toBe('https://payment.example.com');
    expect(map.services['student-api'].loadBalancing.algorithm).toBe('round_robin');
    expect(map.logs.retentionDays).toBe(30);
  });

  test('fills documented defaults for a minimal map', () => {
    const { map } = validateServiceMap(base({ web: fargate('/web') }));
    const web = map.services.web;
    expect(web.container).toMatchObject({ port: 8080, cpu: 256, memoryMiB: 512, healthCheckPath: '/' });
    expect(web.scaling).toMatchObject({ minTasks: 2, maxTasks: 4, cpuTargetPercent: 60 });
    expect(map.throttle).toEqual({ rateLimit: 1000, burstLimit: 2000 });
    expect(map.firewall.rateLimits).toEqual([{ name: 'per-ip', limit: 2000, windowSeconds: 300, key: 'ip' }]);
  });

  test('reports every field problem at once with its path', () => {
    const problems = problemsOf({ name: 'Shop', frontDoor: 'grpc', services: { web: { path: 'web', contianer: {} } } });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^name: "Shop" is not a valid gateway name/),
        expect.stringMatching(/^frontDoor: "grpc" is not a front door \(valid: http, rest\)/),
        expect.stringMatching(/^services\.web\.path: "web" is not a valid service path/),
        expect.stringMatching(/^services\.web: unknown field "contianer" \(did you mean "container"\?\) \(valid fields: path, stripPrefix, container, url/),
      ]),
    );
  });

  test('rejects a CPU size Fargate does not offer, naming the valid ones', () => {
    expect(problemsOf(base({ web: fargate('/web', { cpu: 300 }) }))).toContain(
      'services.web.container.cpu: 300 is not a Fargate CPU size (256, 512, 1024, 2048, 4096, 8192, 16384)',
    );
  });

  test('rejects a CPU / memory pair Fargate does not offer', () => {
    expect(problemsOf(base({ web: fargate('/web', { cpu: 256, memoryMiB: 4096 }) }))).toContain(
      'services.web.container.memoryMiB: 4096 MiB is not offered with cpu 256 (valid: 512, 1024, 2048)',
    );
  });

  test('requires exactly one backend', () => {
    const problems = problemsOf(base({ a: { path: '/a' }, b: { path: '/b', url: 'https://b.example.com', container: { image: 'x' } } }));
    expect(problems).toContain('services.a: has no backend; set "container" (Fargate) or "url" (HTTP proxy)');
    expect(problems).toContain('services.b: has both "container" and "url"; a service has exactly one backend');
  });

  test('rejects duplicate and overlapping paths, case-insensitively', () => {
    const problems = problemsOf(base({ a: fargate('/orders'), b: fargate('/Orders'), c: fargate('/orders/items') }));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^services\.b\.path: "\/Orders" duplicates the path of services\.a/),
        expect.stringMatching(/^services\.c\.path: "\/orders\/items" overlaps the path of services\.a/),
      ]),
    );
  });

  test('rejects plain-http and credentialed backend URLs', () => {
    expect(problemsOf(base({ a: { path: '/a', url: 'http://a.example.com' } }))[0]).toMatch(/^services\.a\.url: "http:\/\/a\.example\.com" is not a valid backend URL/);
    expect(problemsOf(base({ a: { path: '/a', url: 'https://u:p@a.example.com' } }))[0]).toMatch(/^services\.a\.url:/);
  });

  test('rejects ports and scaling ranges out of bounds', () => {
    const problems = problemsOf(base({ a: { ...fargate('/a', { port: 70000 }), scaling: { minTasks: 5, maxTasks: 2 } } }));
    expect(problems).toContain('services.a.container.port: 70000 is above the maximum 65535 (valid: 1 to 65535)');
    const p2 = problemsOf(base({ a: { ...fargate('/a'), scaling: { minTasks: 5, maxTasks: 2 } } }));
    expect(p2).toContain('services.a.scaling: minTasks 5 is above maxTasks 2 (minTasks <= maxTasks)');
  });

  test('rejects combinations that CDK or AWS would reject at synth or deploy', () => {
    // Slow start does not exist with weighted random routing.
    expect(problemsOf(base({ a: { ...fargate('/a'), loadBalancing: { algorithm: 'weighted_random', slowStartSeconds: 30 } } }))).toEqual([
      expect.stringMatching(/^services\.a\.loadBalancing\.slowStartSeconds: ALB target groups cannot combine slow start with "weighted_random"/),
    ]);
    expect(() => validateServiceMap(base({ a: { ...fargate('/a'), loadBalancing: { algorithm: 'weighted_random' } } }))).not.toThrow();
    // A new VPC without NAT gateways leaves tasks and the authorizer without a route out.
    expect(problemsOf(base({ a: fargate('/a') }, { network: { natGateways: 0 } }))).toEqual([expect.stringMatching(/^network\.natGateways: 0 is below the minimum 1/)]);
    // The proxy route key is an ALB header-condition value: at most 128 characters.
    const longest = `/${'a'.repeat(114)}`;
    expect(() => validateServiceMap(base({ a: fargate(longest) }))).not.toThrow();
    expect(problemsOf(base({ a: fargate(`${longest}b`) }))).toEqual([
      expect.stringMatching(/^services\.a\.path: "\/a{79}…" \(116 characters\) is too long; at most 115 characters \(its route key "ANY <path>\/\{proxy\+\}" is an ALB header-condition value, at most 128 characters\)/),
    ]);
  });

  test('rejects REST-only features on the HTTP front door, naming frontDoor', () => {
    const problems = problemsOf(
      base(
        { a: { ...fargate('/a'), cache: { ttlSeconds: 60 }, auth: 'apiKey' } },
        { usagePlans: { free: { rateLimit: 1, burstLimit: 1 } }, apiKeys: { app: { plan: 'free' } } },
      ),
    );
    for (const field of ['usagePlans', 'apiKeys', 'services.a.cache', 'services.a.auth']) {
      expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^${field.replace(/\./g, '\\.')}: .*set frontDoor to "rest"`))]));
    }
  });

  test('accepts REST-only features on the REST front door and checks key plans', () => {
    const problems = problemsOf(
      base({ a: { ...fargate('/a'), cache: { ttlSeconds: 60 } } }, { frontDoor: 'rest', usagePlans: { free: { rateLimit: 1, burstLimit: 1 } }, apiKeys: { app: { plan: 'gold' } } }),
    );
    expect(problems).toEqual(['apiKeys.app.plan: "gold" is not a usage plan (valid: free)']);
  });

  test('jwt auth needs an issuer; scopes need jwt auth', () => {
    const problems = problemsOf(base({ a: { ...fargate('/a'), auth: 'jwt' }, b: { ...fargate('/b'), scopes: ['x:read'] } }));
    expect(problems).toContain('services.a.auth: "jwt" needs auth.jwt (issuer, audience) or auth.cognito in the map');
    expect(problems).toContain('services.b.scopes: scopes need auth "jwt" (this service uses "none")');
  });

  test('url services reject container-only options', () => {
    expect(problemsOf(base({ a: { path: '/a', url: 'https://a.example.com', scaling: { minTasks: 1 } } }))).toEqual([
      'services.a.scaling: only applies to "container" services, not "url" services',
    ]);
  });

  test('rejects bad WAF limits, windows, keys, countries, CIDRs and managed groups', () => {
    const problems = problemsOf(
      base(
        { a: { ...fargate('/a'), rateLimits: [{ limit: 5, windowSeconds: 30 }] } },
        {
          firewall: {
            rateLimits: [{ limit: 100, key: 'header' }, { limit: 100, key: 'cookie' }],
            blockedCountries: ['Germany', 'XX', 'UK', 'de', 'GB'],
            blockedIpCidrs: ['10.0.0.0/33', '2001:db8::/32'],
            managedRuleGroups: ['AWSManagedRulesMadeUp'],
          },
        },
      ),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'services.a.rateLimits[0].limit: 5 is below the minimum 10 (valid: 10 to 2000000000)',
        'services.a.rateLimits[0].windowSeconds: 30 is not a WAF evaluation window (valid: 60, 120, 300, 600 seconds)',
        'firewall.rateLimits[1].key: "cookie" is not a rate-limit key (valid: ip, user, header)',
        'firewall.blockedCountries[0]: "Germany" is not an ISO 3166 alpha-2 country code (uppercase, e.g. "DE", "GB")',
        // Right shape, but not assigned ("XX"), not ISO ("UK" is GB), or lowercase: WAF would reject them at deploy.
        expect.stringMatching(/^firewall\.blockedCountries\[1\]: "XX" is not an ISO 3166/),
        expect.stringMatching(/^firewall\.blockedCountries\[2\]: "UK" is not an ISO 3166/),
        expect.stringMatching(/^firewall\.blockedCountries\[3\]: "de" is not an ISO 3166/),
        expect.stringMatching(/^firewall\.managedRuleGroups\[0\]: "AWSManagedRulesMadeUp" is not a known AWS managed rule group/),
      ]),
    );
    expect(problems.filter((p) => p.startsWith('firewall.blockedCountries[4]'))).toEqual([]); // GB is fine
    const p2 = problemsOf(base({ a: fargate('/a') }, { firewall: { rateLimits: [{ limit: 100, key: 'header' }], blockedIpCidrs: ['10.0.0.0/33', '2001:db8::/32'] } }));
    expect(p2).toEqual([
      'firewall.rateLimits[0].headerName: key "header" needs headerName, e.g. "x-api-key"',
      'firewall.blockedIpCidrs[0]: "10.0.0.0/33" is not an IPv4 or IPv6 CIDR (e.g. "203.0.113.0/24", "2001:db8::/32")',
    ]);
  });

  test('fails above the maximum WAF capacity (the firewall construct warns above the included capacity)', () => {
    const groups = ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesSQLiRuleSet', 'AWSManagedRulesLinuxRuleSet', 'AWSManagedRulesWindowsRuleSet', 'AWSManagedRulesPHPRuleSet'];
    const validated = validateServiceMap(base({ a: fargate('/a') }, { firewall: { managedRuleGroups: groups } }));
    expect(estimateWebAclCapacity(validated.map)).toBe(1602);
    expect(validated.warnings).toEqual([]);
    expect(validated.plan.firewall?.capacity).toMatchObject({ wcu: 1602, included: 1500, max: 5000, warning: expect.stringMatching(/^firewall: the web ACL needs 1602 WCU; above 1500 WCU/) });
    expect(validated.plan.warnings).toContainEqual({ id: 'cdk-service-gateway:waf-capacity', message: validated.plan.firewall?.capacity.warning });
    const many = Array.from({ length: 160 }, (_, i) => ({ name: `r${i}`, limit: 100, key: 'user' }));
    const problems = problemsOf(base({ a: { ...fargate('/a'), auth: 'jwt' } }, { auth: { jwt: { issuer: 'https://id.example.com/', audience: ['x'] } }, firewall: { rateLimits: many } }));
    expect(problems).toEqual([expect.stringMatching(/^firewall: the web ACL needs \d+ WCU, above the WAF maximum of 5000/)]);
  });
});

describe('REST front door rules', () => {
  test('the rest block needs the REST front door', () => {
    expect(problemsOf(base({ a: fargate('/a') }, { rest: { stageName: 'live' } }))).toEqual(['rest: only applies to the REST front door (set frontDoor to "rest", or remove rest)']);
  });

  test('REST integrations time out at 29 s; the default fits both front doors', () => {
    expect(problemsOf(base({ a: { ...fargate('/a'), timeoutMs: 30000 } }, { frontDoor: 'rest' }))).toEqual([
      expect.stringMatching(/^services\.a\.timeoutMs: 30000 is above the REST API integration timeout of 29000 ms/),
    ]);
    expect(validateServiceMap(base({ a: fargate('/a') }, { frontDoor: 'rest' })).map.services.a.timeoutMs).toBe(29000);
  });

  test('an audience with a comma or space is rejected (the authorizer receives them comma-separated)', () => {
    const problems = problemsOf(base({ a: fargate('/a') }, { auth: { jwt: { issuer: 'https://id.example.com/', audience: ['ok', 'a,b', 'c d'] } } }));
    expect(problems).toEqual([
      'auth.jwt.audience[1]: "a,b" is not an audience (no spaces or commas)',
      'auth.jwt.audience[2]: "c d" is not an audience (no spaces or commas)',
    ]);
  });

  test('the native JWT authorizer\'s differences from the bundled one are warnings that say what happens', () => {
    const { warnings } = validateServiceMap(
      base(
        { a: { ...fargate('/a'), scopes: ['a:read', 'a:write'] }, b: { ...fargate('/b'), scopes: ['b:read'] } },
        { auth: { jwt: { issuer: 'https://id.example.com/', audience: ['x'], jwksUri: 'https://keys.example.com/jwks.json' }, authorizer: 'native' } },
      ),
    );
    expect(warnings).toEqual(
      expect.arrayContaining([
        { id: 'cdk-service-gateway:native-authorizer-ignores-jwks-uri', message: expect.stringMatching(/^auth\.jwt\.jwksUri: the native JWT authorizer ignores it/) },
        { id: 'cdk-service-gateway:native-authorizer-rsa-only', message: 'auth.jwt.algorithms: the native JWT authorizer verifies RSA signatures only; tokens signed with ES256 will be rejected (use authorizer "lambda" for them)' },
        { id: 'cdk-service-gateway:native-authorizer-any-scope', message: 'services.a.scopes: the native JWT authorizer lets a token through with any one of a:read, a:write, not all of them (use authorizer "lambda" to require all)' },
      ]),
    );
    expect(warnings.filter((w) => w.message.startsWith('services.b.'))).toEqual([]);
    // The bundled Lambda authorizer does all of that itself: no warning.
    const lambda = validateServiceMap(base({ a: { ...fargate('/a'), scopes: ['a:read', 'a:write'] } }, { auth: { jwt: { issuer: 'https://id.example.com/', audience: ['x'] } } }));
    expect(lambda.warnings.filter((w) => w.message.includes('native'))).toEqual([]);
  });

  test('placement problems come in the same run as the other problems', () => {
    const problems = problemsOf(
      base(
        { a: { ...fargate('/a'), priority: 7 }, b: { ...fargate('/b'), priority: 7 } },
        { domain: { name: 'api.other.com', certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc', hostedZoneId: 'Z1', zoneName: 'example.com' } },
      ),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^domain\.name: "api\.other\.com" is not inside the zone "example\.com"/),
      'services.b.priority: 7 is also pinned by services.a on the same ALB; pick another',
    ]);
  });

  test('usage plans that no apiKey service uses are a warning (they would meter nothing)', () => {
    const plans = { usagePlans: { free: { rateLimit: 1, burstLimit: 1 } }, apiKeys: { app: { plan: 'free' } }, frontDoor: 'rest' };
    expect(validateServiceMap(base({ a: fargate('/a') }, plans)).warnings).toEqual([
      { id: 'cdk-service-gateway:usage-plans-unused', message: 'usagePlans: no service uses auth "apiKey", so no request needs a key and the plans\' throttles and quotas never apply; set auth "apiKey" on the services they should meter' },
    ]);
    expect(validateServiceMap(base({ a: { ...fargate('/a'), auth: 'apiKey' } }, plans)).warnings).toEqual([]);
  });

  test('the native JWT authorizer is HTTP-only', () => {
    const problems = problemsOf(base({ a: fargate('/a') }, { frontDoor: 'rest', auth: { jwt: { issuer: 'https://id.example.com/', audience: ['x'] }, authorizer: 'native' } }));
    expect(problems).toEqual(['auth.authorizer: "native" JWT authorizers exist only on the HTTP front door; use "lambda" or set frontDoor to "http"']);
  });

  test('a cache size API Gateway does not offer is rejected', () => {
    expect(problemsOf(base({ a: fargate('/a') }, { frontDoor: 'rest', rest: { cacheClusterSizeGb: '2' } }))).toEqual([
      'rest.cacheClusterSizeGb: "2" is not an API Gateway cache size in GB (valid: 0.5, 1.6, 6.1, 13.5, 28.4, 58.2, 118, 237, as a number or a string)',
    ]);
  });
});

describe('every problem at once', () => {
  test('cross-field problems of well-formed services are reported alongside field problems elsewhere', () => {
    const problems = problemsOf({
      name: 'Bad Name',
      services: {
        a: fargate('/a', { cpu: 256, memoryMiB: 4096 }),
        b: { path: '/a/b', url: 'https://b.example.com' },
        c: { path: 'nope', container: { image: 'x' } },
      },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^name: "Bad Name" is not a valid gateway name/),
        expect.stringMatching(/^services\.c\.path: "nope" is not a valid service path/),
        'services.a.container.memoryMiB: 4096 MiB is not offered with cpu 256 (valid: 512, 1024, 2048)',
        expect.stringMatching(/^services\.b\.path: "\/a\/b" overlaps the path of services\.a/),
      ]),
    );
  });
});
