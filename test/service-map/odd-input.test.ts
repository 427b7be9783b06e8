/**
 * Odd but possible maps (found by mutating valid ones) that used to crash synth or slip through:
 * each test is the smallest map of its kind and asserts the whole problem line, or that the map is accepted.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageDirectoryProblem } from '../../lib/backends/fargate-backend';
import { validateServiceMap } from '../../lib/plan';
import { restMethodSettingPath, restResourcePathOf } from '../../lib/service-map/conventions';
import { problemsOf } from '../support/problems';

const image = 'nginx:1.27';
const fargate = (path = '/a', container: Record<string, unknown> = {}) => ({ path, container: { image, ...container } });
const gateway = (extra: Record<string, unknown> = {}, services: Record<string, unknown> = { a: fargate() }) => ({ name: 'shop', services, ...extra });
const jwt = { issuer: 'https://id.example.com/', audience: ['shop'] };
const rest = (extra: Record<string, unknown>, services?: Record<string, unknown>) => gateway({ frontDoor: 'rest', ...extra }, services);

describe('record keys never find Object.prototype', () => {
  test.each(['toString', 'constructor', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', '__proto__'])('an API key whose plan is "%s" names the real plans', (plan) => {
    const map = rest({ usagePlans: { basic: { rateLimit: 10, burstLimit: 20 } }, apiKeys: { partner: { plan } } }, { a: { ...fargate(), auth: 'apiKey' } });
    expect(problemsOf(map)).toEqual([`apiKeys.partner.plan: "${plan}" is not a usage plan (valid: basic)`]);
  });

  test('a usage plan named "constructor" is a plan like any other', () => {
    const map = rest({ usagePlans: { constructor: { rateLimit: 10, burstLimit: 20 } }, apiKeys: { partner: { plan: 'constructor' } } }, { a: { ...fargate(), auth: 'apiKey' } });
    expect(validateServiceMap(map).map.apiKeys.partner.plan).toBe('constructor');
  });

  test('a service named "constructor" is accepted', () => {
    expect(Object.keys(validateServiceMap(gateway({}, { constructor: fargate() })).map.services)).toEqual(['constructor']);
  });
});

describe('"__proto__" keys are reported, never dropped', () => {
  const reserved = '"__proto__" cannot be a name (JavaScript reserves it for an object\'s prototype, so the entry would be dropped); rename it';
  // JSON.parse keeps "__proto__" as an own key, as a JSON or YAML map file would.
  const parsed = (json: string) => JSON.parse(json);

  test('a service named "__proto__" with a bad path', () => {
    const map = parsed('{"name":"shop","services":{"a":{"path":"/a","url":"https://a.example.com"},"__proto__":{"path":"not a path"}}}');
    expect(problemsOf(map)).toEqual([`services.__proto__: ${reserved}`]);
  });

  test.each([
    ['environment', '{"name":"shop","services":{"a":{"path":"/a","container":{"image":"x","environment":{"__proto__":"x"}}}}}', 'services.a.container.environment.__proto__'],
    [
      'secrets',
      '{"name":"shop","services":{"a":{"path":"/a","container":{"image":"x","secrets":{"__proto__":"arn:aws:ssm:eu-west-1:123456789012:parameter/x"}}}}}',
      'services.a.container.secrets.__proto__',
    ],
    ['usagePlans', '{"name":"shop","frontDoor":"rest","usagePlans":{"__proto__":{"rateLimit":1,"burstLimit":1}},"services":{"a":{"path":"/a","url":"https://a.example.com"}}}', 'usagePlans.__proto__'],
    ['apiKeys', '{"name":"shop","frontDoor":"rest","apiKeys":{"__proto__":{"plan":"x"}},"services":{"a":{"path":"/a","url":"https://a.example.com"}}}', 'apiKeys.__proto__'],
  ])('in %s', (_what, json, at) => {
    expect(problemsOf(parsed(json))).toEqual([`${at}: ${reserved}`]);
  });
});

describe('CDK token text is rejected in every string', () => {
  const token = '${Token[TOKEN.22]}';
  const line = (at: string, value = token) =>
    `${at}: "${value}" contains CDK token text ("\${Token[" or "#{Token["), which synth would replace with an unrelated value; a service map holds plain values only`;

  test.each([
    ['an environment value', gateway({}, { a: fargate('/a', { environment: { A: token } }) }), 'services.a.container.environment.A'],
    ['an image', gateway({}, { a: fargate('/a', { image: `repo:${token}` }) }), 'services.a.container.image', `repo:${token}`],
    ['an image directory', gateway({}, { a: fargate('/a', { image: { directory: token } }) }), 'services.a.container.image.directory'],
    ['a command', gateway({}, { a: fargate('/a', { command: ['run', token] }) }), 'services.a.container.command[1]'],
    ['a scope', gateway({ auth: { jwt } }, { a: { ...fargate(), scopes: [token] } }), 'services.a.scopes[0]'],
    ['an audience', gateway({ auth: { jwt: { ...jwt, audience: [token] } } }), 'auth.jwt.audience[0]'],
    ['a list token in a CORS header', gateway({ cors: { allowOrigins: ['*'], allowHeaders: ['#{Token[TOKEN.7]}'] } }), 'cors.allowHeaders[0]', '#{Token[TOKEN.7]}'],
  ])('%s', (_what, map, at, value = token) => {
    expect(problemsOf(map)).toContain(line(at, value));
  });

  test('the url of a url service (also not a URL)', () => {
    expect(problemsOf(gateway({}, { a: { path: '/a', url: `https://a.example.com/${token}` } }))).toContain(line('services.a.url', `https://a.example.com/${token}`));
  });

  test('"$" and braces without the marker are plain text', () => {
    expect(validateServiceMap(gateway({}, { a: fargate('/a', { environment: { A: '${HOME}', B: '#{x}' } }) })).map.services.a.container?.environment).toEqual({ A: '${HOME}', B: '#{x}' });
  });
});

describe('every problem at once', () => {
  test('a schema problem does not hide firewall problems', () => {
    expect(problemsOf(gateway({ alarms: { apiP99LatencyMs: 0 }, firewall: { blockedIpCidrs: ['nonsense'] } }))).toEqual([
      'alarms.apiP99LatencyMs: 0 is below the minimum 1 (valid: 1 to 600000)',
      'firewall.blockedIpCidrs[0]: "nonsense" is not an IPv4 or IPv6 CIDR (e.g. "203.0.113.0/24", "2001:db8::/32")',
    ]);
  });

  test('a problem in one service does not hide a priority clash between two others', () => {
    const services = { a: { ...fargate('/a'), priority: 7 }, b: { ...fargate('/b'), priority: 7 }, c: fargate('c') };
    expect(problemsOf(gateway({ name: 'Shop', network: { loadBalancers: 1 } }, services))).toEqual([
      expect.stringMatching(/^name: "Shop" is not a valid gateway name/),
      expect.stringMatching(/^services\.c\.path: "c" is not a valid service path/),
      'services.b.priority: 7 is also pinned by services.a on the same ALB; pick another',
    ]);
  });

  test('a schema problem does not hide a duplicate alarm address', () => {
    expect(problemsOf(gateway({ name: 'Shop', alarms: { email: ['ops@example.com', 'OPS@example.com'] } }))).toEqual([
      expect.stringMatching(/^name: "Shop" is not a valid gateway name/),
      'alarms.email[1]: "OPS@example.com" is already listed at alarms.email[0]; list each address once',
    ]);
  });
});

describe('alarm addresses', () => {
  test('the same address twice is rejected, naming both places', () => {
    expect(problemsOf(gateway({ alarms: { email: ['ops@example.com', 'dev@example.com', 'ops@example.com'] } }))).toEqual([
      'alarms.email[2]: "ops@example.com" is already listed at alarms.email[0]; list each address once',
    ]);
  });
});

describe('image folders', () => {
  const base = mkdtempSync(join(tmpdir(), 'image-dirs-'));
  mkdirSync(join(base, 'empty'));
  mkdirSync(join(base, 'app'));
  writeFileSync(join(base, 'app', 'Dockerfile'), 'FROM scratch\n');
  const check = (directory: string) => imageDirectoryProblem(directory, base);
  const withDir = (directory: string) => gateway({}, { a: fargate('/a', { image: { directory } }) });

  test('a missing folder names the field and where it looked', () => {
    expect(problemsOf(withDir('no-such-dir'))).toEqual([]);
    expect(() => validateServiceMap(withDir('no-such-dir'), { checkImageDirectory: check })).toThrow(
      `services.a.container.image.directory: "no-such-dir" is not a folder (looked for ${JSON.stringify(join(base, 'no-such-dir'))}; relative folders are resolved against ServiceGateway's baseDirectory, default the working directory)`,
    );
  });

  test('a folder without a Dockerfile', () => {
    expect(() => validateServiceMap(withDir('empty'), { checkImageDirectory: check })).toThrow(
      `services.a.container.image.directory: "empty" has no Dockerfile (looked for ${JSON.stringify(join(base, 'empty', 'Dockerfile'))})`,
    );
  });

  test('a folder with a Dockerfile, relative or absolute, is accepted', () => {
    expect(() => validateServiceMap(withDir('app'), { checkImageDirectory: check })).not.toThrow();
    expect(check(join(base, 'app'))).toBeUndefined();
  });
});

describe('URLs and paths the gateway could not serve', () => {
  test.each([
    ['a query', 'https://a.example.com/p?x=1'],
    ['a fragment', 'https://a.example.com/p#top'],
    ['an empty query', 'https://a.example.com/p?'],
    // "$request.header.Authorization" in the HTTP API's path mapping would send the caller's token to the backend's path.
    ['a "$"', 'https://a.example.com/$request.header.Authorization'],
    ['a brace (a REST path parameter)', 'https://a.example.com/{proxy}'],
    ['a newline (dropped by the URL parser, kept in the template)', 'https://a.example.com/a\nb'],
    ['a quote', "https://a.example.com/a'b"],
  ])('a backend url with %s is rejected (the gateway appends the request path to it)', (_what, url) => {
    expect(problemsOf(rest({}, { a: { path: '/a', url } }))).toEqual([
      `services.a.url: ${JSON.stringify(url)} is not a valid backend URL (an https:// URL without credentials, query, fragment, "$", spaces, quotes or braces)`,
    ]);
  });

  test('an issuer with a query is rejected (OIDC issuers have none); a JWKS URL may have one', () => {
    expect(problemsOf(gateway({ auth: { jwt: { ...jwt, issuer: 'https://id.example.com/?t=1' } } }))).toEqual([
      'auth.jwt.issuer: "https://id.example.com/?t=1" is not an issuer (an https:// URL without credentials, query or fragment, or a value without a scheme such as "accounts.google.com"; no spaces, commas, quotes, braces or "$")',
    ]);
    expect(problemsOf(gateway({ auth: { jwt: { ...jwt, jwksUri: 'https://id.example.com/keys?v=2' } } }))).toEqual([]);
  });

  test.each(['/.', '/..', '/a/./b', '/a/..', '/../a'])('the path %s is unreachable', (path) => {
    expect(problemsOf(gateway({}, { a: fargate(path) }))).toEqual([
      `services.a.path: "${path}" has a "." or ".." segment, which clients resolve away before sending, so no request reaches it`,
    ]);
  });

  test('dots inside a segment are fine', () => {
    expect(problemsOf(gateway({}, { a: fargate('/v1.2/...x/a..b') }))).toEqual([]);
  });
});

describe('CORS values go into header values and a mapping template', () => {
  test.each([
    ['an origin with a quote', { allowOrigins: ["https://a.example.com'"] }, `cors.allowOrigins[0]: "https://a.example.com'" is not an origin`],
    ['an origin with a path', { allowOrigins: ['https://a.example.com/'] }, 'cors.allowOrigins[0]: "https://a.example.com/" is not an origin'],
    ['an origin with a double quote', { allowOrigins: ['*', 'https://a"b.com'] }, 'cors.allowOrigins[1]: "https://a\\"b.com" is not an origin'],
    ['a header with a quote', { allowOrigins: ['*'], allowHeaders: ["x-a'b"] }, `cors.allowHeaders[0]: "x-a'b" is not an HTTP header name`],
    ['a header with a backslash', { allowOrigins: ['*'], exposeHeaders: ['x\\y'] }, 'cors.exposeHeaders[0]: "x\\\\y" is not an HTTP header name'],
  ])('%s is rejected', (_what, cors, start) => {
    const problems = problemsOf(rest({ cors }));
    expect(problems).toHaveLength(1);
    expect(problems[0].startsWith(start)).toBe(true);
  });

  test('ordinary origins and header names are accepted', () => {
    const cors = { allowOrigins: ['https://app.example.com', 'http://localhost:3000', 'https://[::1]:8443'], allowHeaders: ['authorization', 'x-request-id', 'X_Custom'] };
    expect(problemsOf(rest({ cors }))).toEqual([]);
  });
});

describe('AWS limits a long value would break', () => {
  test("the authorizer's environment stays within Lambda's 4 KB", () => {
    const audience = ['a'.repeat(2000), 'b'.repeat(2000)];
    expect(problemsOf(gateway({ auth: { jwt: { ...jwt, audience } } }))).toEqual([
      expect.stringMatching(/^auth\.jwt: issuers, audience, claims and jwksUri make the authorizer's environment 4\d{3} bytes; Lambda allows 4096 \(shorten them by \d+ bytes\)$/),
    ]);
    expect(problemsOf(gateway({ auth: { jwt: { ...jwt, audience: ['a'.repeat(3500)] } } }))).toEqual([]);
  });

  test('the native authorizer takes at most 50 audiences and 10 scopes per route (HTTP API quotas)', () => {
    const native = (audience: number, scopes: number) =>
      gateway({ auth: { jwt: { ...jwt, audience: Array.from({ length: audience }, (_, i) => `aud${i}`) }, authorizer: 'native' } }, { a: { ...fargate(), scopes: Array.from({ length: scopes }, (_, i) => `s${i}`) } });
    expect(problemsOf(native(51, 11))).toEqual([
      'auth.jwt.audience: 51 audiences; the native JWT authorizer accepts at most 50 (use authorizer "lambda" for more)',
      'services.a.scopes: 11 scopes; the native JWT authorizer allows at most 10 per route (use authorizer "lambda" for more)',
    ]);
    expect(problemsOf(native(50, 10))).toEqual([]);
  });

  test('a url longer than an integration URI may be (2,048 characters) is rejected on both front doors', () => {
    const url = `https://a.example.com/${'p'.repeat(2030)}`;
    for (const frontDoor of ['http', 'rest']) {
      expect(problemsOf(gateway({ frontDoor }, { a: { path: '/a', url } }))).toEqual([`services.a.url: ${JSON.stringify(url.slice(0, 80)).slice(0, -1)}…" (2052 characters) is too long; at most 2048 characters (API Gateway's limit for an integration URI)`]);
    }
  });

  test("on the HTTP front door a url's path must fit a 512-character parameter mapping", () => {
    const url = (n: number) => `https://a.example.com/${'p'.repeat(n - 1)}`;
    expect(problemsOf(gateway({}, { a: { path: '/a', url: url(600) } }))).toEqual([
      'services.a.url: its path is 600 characters; at most 490 (the HTTP API maps it, with the request path, into a parameter of at most 512 characters)',
    ]);
    expect(problemsOf(gateway({}, { a: { path: '/a', url: url(490) } }))).toEqual([]);
    expect(problemsOf(gateway({}, { a: { path: '/a', url: url(491) } }))).toHaveLength(1);
    expect(problemsOf(gateway({ frontDoor: 'rest' }, { a: { path: '/a', url: url(600) } }))).toEqual([]);
  });

  test('the native authorizer has no Lambda environment to fill', () => {
    expect(problemsOf(gateway({ auth: { jwt: { ...jwt, audience: ['a'.repeat(5000)] }, authorizer: 'native' } }))).toEqual([]);
  });
});

describe('problem lines', () => {
  test('a key with a newline and a terminal colour code stays one escaped line', () => {
    const problems = problemsOf(gateway({}, { 'bad\n\u001b[31mname': fargate() }));
    expect(problems).toEqual([expect.stringMatching(/^services\["bad\\n\\u001b\[31mname"\]: "bad\\n\\u001b\[31mname" is not a valid service name/)]);
    expect(problems[0]).not.toMatch(/[\u0000-\u001f]/);
  });

  test('a 10,000-character value is cut after 80 characters, saying how long it was', () => {
    const problems = problemsOf(gateway({ firewall: { blockedIpCidrs: ['x'.repeat(10_000)] } }));
    expect(problems).toEqual([`firewall.blockedIpCidrs[0]: "${'x'.repeat(80)}…" (10000 characters) is not an IPv4 or IPv6 CIDR (e.g. "203.0.113.0/24", "2001:db8::/32")`]);
  });

  test('invisible characters (a byte-order mark) are shown escaped', () => {
    expect(problemsOf(gateway({ frontDoor: '\ufeffrest' }))).toEqual(['frontDoor: "\\ufeffrest" is not a front door (valid: http, rest)']);
  });

  test('an unknown field suggests the closest one', () => {
    expect(problemsOf(gateway({}, { a: { path: '/a', container: { imgae: image } } }))).toEqual([
      expect.stringMatching(/^services\.a\.container\.image: /),
      'services.a.container: unknown field "imgae" (did you mean "image"?) (valid fields: image, port, cpu, memoryMiB, environment, secrets, healthCheckPath, healthCheck, command)',
    ]);
    expect(problemsOf(gateway({ alarm: {} }))).toEqual([expect.stringMatching(/^\(map\): unknown field "alarm" \(did you mean "alarms"\?\) \(valid fields:/)]);
  });

  test('a field nothing like a valid one gets no suggestion', () => {
    expect(problemsOf(gateway({ zzzzzz: 1 }))).toEqual([expect.stringMatching(/^\(map\): unknown field "zzzzzz" \(valid fields:/)]);
  });
});

describe('rest.cacheClusterSizeGb', () => {
  test.each([0.5, '0.5', 237, '237'])('%p is accepted as the size CloudFormation expects', (size) => {
    expect(validateServiceMap(rest({ rest: { cacheClusterSizeGb: size } })).map.rest.cacheClusterSizeGb).toBe(String(size));
  });

  test('a size API Gateway does not offer lists the valid ones', () => {
    expect(problemsOf(rest({ rest: { cacheClusterSizeGb: 0.7 } }))).toEqual([
      'rest.cacheClusterSizeGb: 0.7 is not an API Gateway cache size in GB (valid: 0.5, 1.6, 6.1, 13.5, 28.4, 58.2, 118, 237, as a number or a string)',
    ]);
  });

  test('left out, it is "0.5"', () => {
    expect(validateServiceMap(rest({})).map.rest.cacheClusterSizeGb).toBe('0.5');
  });
});

describe('REST stage method-setting paths', () => {
  test.each([
    ['/a/b', '/~1a~1b'],
    ['/a~1b', '/~1a~01b'],
    ['/~/{proxy+}', '/~1~0~1{proxy+}'],
  ])('%s is written %s and read back', (path, escaped) => {
    expect(restMethodSettingPath(path)).toBe(escaped);
    expect(restResourcePathOf(escaped.slice(1))).toBe(path);
  });
});
