/**
 * Kong -> service map: a 3.0 file with services, routes, consumers and the plugins the map can express,
 * plus 1.1 (YAML) and 2.1 (JSON) samples for the older formats' differences.
 */
import { join } from 'node:path';
import { validateServiceMap } from '../../lib/plan';
import { FIXTURES, FIXTURE_SECRETS, KONG, entry, importFixture } from './helpers';

describe('Kong 3.0 import', () => {
  const out = importFixture([KONG]);
  const services = out.map.services;

  test('the map validates', () => {
    expect(() => validateServiceMap(out.map)).not.toThrow();
  });

  test('services with a usable route path become services with path and stripPrefix (Kong defaults strip_path to true)', () => {
    expect(Object.keys(services)).toEqual(['orders', 'catalog', 'accounts', 'reports']);
    expect(services.orders).toMatchObject({ path: '/orders', stripPrefix: true });
    expect(services.catalog).toMatchObject({ path: '/catalog', stripPrefix: false });
    expect(services.accounts).toMatchObject({ path: '/accounts', stripPrefix: true });
    expect(services.reports.path).toBe('/reports');
  });

  test('an upstream becomes a container with its targets\' port, task count, algorithm and health-check path', () => {
    expect(services.orders.container).toEqual({
      image: 'REPLACE-ME/orders:latest',
      port: 8080,
      healthCheckPath: '/healthz',
      // healthy {interval 5, successes 2}, unhealthy {interval 5, http_failures 3}; the map's 5 s timeout is not below 5 s, so 4 s.
      healthCheck: { intervalSeconds: 5, healthyThresholdCount: 2, unhealthyThresholdCount: 3, timeoutSeconds: 4 },
    });
    expect(services.orders.scaling).toEqual({ minTasks: 2, maxTasks: 4 });
    expect(services.orders.loadBalancing).toEqual({ algorithm: 'least_outstanding_requests' });
    expect(entry(out, 'healthchecks.active.healthy.successes 2').fields).toEqual(['services.orders.container.healthCheck.healthyThresholdCount']);
    expect(entry(out, 'healthchecks.active.unhealthy.http_failures 3').fields).toEqual(['services.orders.container.healthCheck.unhealthyThresholdCount']);
    expect(entry(out, /^healthchecks\.active$/).note).toMatch(/not below the 5 s interval.*: 4 s/);
  });

  test('protocol/host/port/path and url become url backends; read_timeout is capped at 29 s', () => {
    expect(services.catalog.url).toBe('https://catalog.example.com/api');
    expect(services.accounts.url).toBe('https://accounts.example.com');
    expect(services.orders.timeoutMs).toBe(29000);
    expect(services.accounts.timeoutMs).toBe(10000);
  });

  test('routes the map cannot express are reported: regex paths, several paths, methods, hosts, method-only', () => {
    expect(entry(out, 'path ~/v[0-9]+/orders$').note).toMatch(/regular-expression/);
    expect(entry(out, 'path /products').note).toMatch(/one path prefix/);
    expect(entry(out, 'methods GET,POST').note).toMatch(/every method/);
    expect(entry(out, 'route accounts hosts').note).toMatch(/host-based/);
    expect(entry(out, 'route search-by-method').note).toMatch(/methods only/);
    expect(entry(out, 'service search').fields).toEqual([]);
  });

  test('key-auth with consumers becomes apiKey auth, API keys and usage plans on the REST front door', () => {
    expect(out.map.frontDoor).toBe('rest');
    expect(services.orders.auth).toBe('apiKey');
    expect(out.map.apiKeys).toEqual({ 'mobile-app': { plan: 'consumers' }, 'partner-acme': { plan: 'partner-acme' } });
    // minute 600 -> 10/s, hour 20000 -> 5.556/s: the tighter; the minute's 600 may arrive at once; day -> quota.
    expect(out.map.usagePlans).toEqual({
      consumers: { rateLimit: 5.556, burstLimit: 600, quota: { limit: 100000, period: 'DAY' } },
      'partner-acme': { rateLimit: 5, burstLimit: 5, quota: { limit: 10000, period: 'DAY' } },
    });
    expect(entry(out, 'key-auth').note).toMatch(/x-api-key header instead of apikey/);
  });

  test('rate limits: by ip and by header become WAF rules with the window shown; by service the throttle', () => {
    // second 20 -> 1200 per 60 s, minute 600 -> 600 per 60 s: the tighter rule per window.
    expect(services.catalog.rateLimits).toEqual([{ limit: 600, windowSeconds: 60, key: 'ip' }]);
    expect(services.accounts.rateLimits).toEqual([{ limit: 200, windowSeconds: 60, key: 'header', headerName: 'x-tenant-id' }]);
    expect(entry(out, 'rate-limiting-advanced').note).toContain('100 per 30 s × 60 s / 30 s = 200 per 60 s');
    expect(out.map.throttle).toEqual({ rateLimit: 83.333, burstLimit: 5000 });
  });

  test('openid-connect gives the issuer, audience and scopes; jwt on a route sets jwt auth; HS256 secrets are reported', () => {
    expect(out.map.auth).toEqual({ jwt: { issuer: 'https://login.example.com/', audience: ['accounts-api'], algorithms: ['RS256'] } });
    expect(services.accounts).toMatchObject({ auth: 'jwt', scopes: ['accounts:read'] });
    expect(services.reports.auth).toBe('jwt');
    expect(services.catalog.auth).toBe('none');
    expect(entry(out, 'jwt_secrets with HS256').nearest).toMatch(/RS256/);
  });

  test('cors, proxy-cache, ip-restriction and bot-detection become their map fields', () => {
    expect(out.map.cors).toEqual({
      allowOrigins: ['https://shop.example.com'],
      allowMethods: ['GET', 'POST', 'PUT'],
      allowHeaders: ['authorization', 'content-type'],
      allowCredentials: true,
      maxAgeSeconds: 3600,
    });
    expect(services.orders.cache).toEqual({ ttlSeconds: 30 });
    expect(out.map.firewall?.blockedIpCidrs).toEqual(['203.0.113.7/32', '198.51.100.0/24']);
    expect(out.map.firewall?.managedRuleGroups).toContain('AWSManagedRulesBotControlRuleSet');
  });

  test('SNIs give the domain with a placeholder certificate; other plugins and credentials are reported', () => {
    expect(out.map.domain).toEqual({ name: 'api.shop.example.com', certificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/REPLACE-ME' });
    expect(entry(out, 'plugin prometheus').nearest).toMatch(/alarms/);
    expect(entry(out, 'plugin request-transformer').fields).toEqual([]);
    expect(entry(out, 'basicauth_credentials').note).toMatch(/never copied/);
  });

  test('report lines carry the line of the plugin or field in kong.yml', () => {
    expect(entry(out, 'plugin key-auth').at).toEqual({ file: 'kong/kong.yml', line: 19 });
    expect(entry(out, 'plugin bot-detection').at.line).toBe(136);
  });

  test('no key, secret, password, certificate or private key reaches the map or the report', () => {
    const text = JSON.stringify(out.map) + out.reportText;
    for (const secret of FIXTURE_SECRETS) expect(text).not.toContain(secret);
  });
});

describe('Kong 1.1 and 2.1 formats', () => {
  test('1.1: regex paths are told by their characters; whitelist is the allowed list; an hour limit uses the 600 s window', () => {
    const out = importFixture([join(FIXTURES, 'kong/kong-1.1.yml')]);
    expect(() => validateServiceMap(out.map)).not.toThrow();
    expect(out.map.services['legacy-billing']).toMatchObject({ path: '/billing', url: 'https://billing.example.org:8443/v2' });
    expect(entry(out, 'path /invoices/\\d+').note).toMatch(/regular-expression/);
    expect(out.map.firewall?.allowedIpCidrs).toEqual(['192.0.2.0/24']);
    expect(out.map.services['legacy-billing'].rateLimits).toEqual([{ limit: 600, windowSeconds: 600, key: 'ip' }]);
    expect(entry(out, 'plugin rate-limiting').note).toMatch(/3600 per 3600 s × 600 s \/ 3600 s = 600 per 600 s/);
  });

  test('2.1 JSON: jwt + acl + consumer rate limit become jwt auth, a scope and a per-user WAF rule on the HTTP front door', () => {
    const out = importFixture([join(FIXTURES, 'kong/kong-2.1.json')]);
    expect(() => validateServiceMap(out.map)).not.toThrow();
    expect(out.map.frontDoor).toBeUndefined();
    expect(out.map.services.inventory).toMatchObject({
      container: { image: 'REPLACE-ME/inventory:latest', port: 9000 },
      auth: 'jwt',
      scopes: ['inventory:read'],
      rateLimits: [{ limit: 120, windowSeconds: 60, key: 'user' }],
    });
    expect(out.map.auth?.jwt?.algorithms).toEqual(['ES256']);
    expect(out.report.placeholders.map((p) => p.field)).toEqual(['services.inventory.container.image', 'auth.jwt.issuer', 'auth.jwt.audience']);
  });

  test('an unknown _format_version is an error naming the file and line', () => {
    const { importKong } = require('../../lib/import/kong') as typeof import('../../lib/import/kong');
    const { parseYamlSource } = require('../../lib/import/yaml-source') as typeof import('../../lib/import/yaml-source');
    expect(() => importKong(parseYamlSource('kong.yml', '# Kong\n_format_version: "4.0"\nservices: []\n'), {})).toThrow(/^kong\.yml:2: _format_version "4\.0" is not one this import reads \(valid: "1\.1", "2\.1", "3\.0"\)/);
  });
});
