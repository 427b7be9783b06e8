/**
 * NGINX -> service map: a multi-service gateway with TLS, rate limits, an API-key check, an upstream and an
 * included file. Decisions are asserted on the imported map and report (fast; the synth is in synth.test.ts).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importFiles } from '../../lib/import/command';
import { ImportError } from '../../lib/import/common';
import { readNginx } from '../../lib/import/nginx-source';
import { validateServiceMap } from '../../lib/plan';
import { FIXTURE_SECRETS, NGINX, entry, importFixture } from './helpers';

describe('NGINX import', () => {
  const out = importFixture(NGINX);
  const services = out.map.services;

  test('the map validates', () => {
    expect(() => validateServiceMap(out.map)).not.toThrow();
  });

  test('each proxied location becomes a service; the included file adds its location', () => {
    expect(Object.keys(services).sort()).toEqual(['catalog', 'orders', 'partners', 'search']);
    expect(services.catalog.path).toBe('/catalog');
    expect(entry(out, 'location /catalog/').at).toEqual({ file: 'nginx/conf.d/catalog.conf', line: 2 });
  });

  test('a trailing slash on location and proxy_pass strips the prefix; no URI on proxy_pass keeps it', () => {
    expect(services.orders.stripPrefix).toBe(true);
    expect(services.catalog.stripPrefix).toBe(true);
    expect(services.partners.stripPrefix).toBeUndefined();
  });

  test('an upstream becomes a container service with a placeholder image, the port, task count and algorithm', () => {
    expect(services.orders.container).toEqual({ image: 'REPLACE-ME/orders:latest', port: 8081 });
    expect(services.orders.scaling).toEqual({ minTasks: 3, maxTasks: 4 });
    expect(services.orders.loadBalancing).toEqual({ algorithm: 'least_outstanding_requests' });
    expect(out.report.placeholders.map((p) => p.field)).toContain('services.orders.container.image');
  });

  test('an internal name becomes a container service (API Gateway cannot reach it); a public URL a url backend', () => {
    expect(services.search.container).toEqual({ image: 'REPLACE-ME/search:latest', port: 9200 });
    expect(entry(out, 'proxy_pass http://search.internal').note).toMatch(/internal name.*cannot reach/);
    expect(services.partners.url).toBe('https://partners.example.net');
    expect(services.catalog.url).toBe('https://catalog.shop-backends.example.com');
  });

  test('server_name with listen 443 ssl becomes the domain, with a placeholder certificate ARN that validates', () => {
    expect(out.map.domain).toEqual({ name: 'api.shop.example.com', certificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/REPLACE-ME' });
    expect(out.report.placeholders.find((p) => p.field === 'domain.certificateArn')?.fill).toMatch(/ACM certificate for api\.shop\.example\.com/);
  });

  test('a per-client limit_req becomes a per-IP WAF rule over 60 s with burst added, and shows the arithmetic', () => {
    expect(services.orders.rateLimits).toEqual([{ limit: 620, windowSeconds: 60, key: 'ip' }]);
    expect(entry(out, 'limit_req zone=per_client burst=20 nodelay').note).toContain('10 per s × 60 s = 600 per 60 s + burst 20 = 620');
    // 30r/m with burst 5: 30 per 60 s + 5.
    expect(services.search.rateLimits).toEqual([{ limit: 35, windowSeconds: 60, key: 'ip' }]);
    expect(entry(out, 'limit_req zone=search').note).toMatch(/without nodelay NGINX delays the burst/);
  });

  test('a zone keyed by the server name counts all clients: it becomes the gateway throttle (burst + 1)', () => {
    expect(out.map.throttle).toEqual({ rateLimit: 500, burstLimit: 101 });
    expect(entry(out, 'limit_req zone=site').fields).toEqual(['throttle']);
  });

  test('the API-key check becomes apiKey auth on the REST front door, one key per client the map block names', () => {
    expect(services.partners.auth).toBe('apiKey');
    expect(services.orders.auth).toBe('none');
    expect(out.map.frontDoor).toBe('rest');
    expect(out.map.apiKeys).toEqual({ 'acme-retail': { plan: 'imported' }, globex: { plan: 'imported' } });
    expect(out.map.usagePlans).toEqual({ imported: { rateLimit: 500, burstLimit: 101 } });
  });

  test('proxy_read_timeout becomes timeoutMs, capped at 29 s with a report line', () => {
    expect(services.orders.timeoutMs).toBe(29000);
    expect(entry(out, 'proxy_read_timeout 60s').note).toMatch(/60000 ms capped at 29000 ms/);
    expect(services.search.timeoutMs).toBe(10000);
    expect(services.catalog.timeoutMs).toBe(5000);
  });

  test('CORS headers become cors; proxy_cache becomes the response cache; logs become logs', () => {
    expect(out.map.cors).toEqual({
      allowOrigins: ['https://shop.example.com'],
      allowMethods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
      allowHeaders: ['authorization', 'content-type', 'x-api-key'],
      maxAgeSeconds: 3600,
    });
    expect(services.catalog.cache).toEqual({ ttlSeconds: 300 });
    expect(out.map.logs).toEqual({ retentionDays: 30 });
    expect(entry(out, 'access_log').fields).toEqual(['logs.retentionDays']);
  });

  test('the report lists what is not carried over, each with why and the nearest option', () => {
    const none = (item: string) => {
      const e = entry(out, item);
      expect(e.fields).toEqual([]);
      expect(e.nearest).toBeTruthy();
      return e;
    };
    expect(none('client_max_body_size 25m').note).toMatch(/10 MB/);
    expect(none('location ~ ^/v[0-9]+/legacy').note).toMatch(/regular-expression/);
    expect(none('location /static/').nearest).toMatch(/S3/);
    expect(none('ssl_protocols').nearest).toMatch(/TLS 1.2/);
    expect(none('include mime.types').note).toMatch(/not given/);
    expect(none('gzip on').note).toBeTruthy();
  });

  test('every directive of the files is in the report; the few left out are stood for by their block', () => {
    const { directives } = readNginx(NGINX.map((f) => ({ file: f.slice(f.indexOf('nginx/')), text: readFileSync(f, 'utf8') })));
    const reported = new Set(out.report.entries.map((e) => `${e.at.file}:${e.at.line}`));
    const missing: string[] = [];
    const walk = (list: typeof directives, inMap: boolean) => {
      for (const d of list) {
        // A map block's entries are its data (here, API keys): the block's line stands for them.
        if (!inMap && !reported.has(`${d.file}:${d.line}`)) missing.push(d.name);
        if (d.block) walk(d.block, inMap || d.name === 'map');
      }
    };
    walk(directives, false);
    // http and server are structure; the if's return and the contents of a location that is no service are its line.
    expect(missing.sort()).toEqual(['http', 'proxy_pass', 'return', 'root', 'server', 'server']);
  });

  test('no key, token or key-file path from the config reaches the map or the report', () => {
    const text = JSON.stringify(out.map) + out.reportText;
    for (const secret of FIXTURE_SECRETS) expect(text).not.toContain(secret);
    expect(out.reportText).not.toMatch(/Bearer/);
  });

  test.each([
    ['server {\n  listen 443 ssl;\n  location / { proxy_pass http://a }\n}\n', 3, /missing ";" before "}"/],
    ['http {\n  server {\n    listen 80;\n', 2, /never closed/],
    ['server { listen 80; }\n}\n', 2, /unexpected "}"/],
    ['server {\n  server_name "api.example.com;\n}\n', 2, /never closed/],
  ])('a broken file is an error naming the file and line (%#)', (text, line, problem) => {
    let error: unknown;
    try {
      readNginx([{ file: 'broken.conf', text }]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ImportError);
    expect(error).toMatchObject({ file: 'broken.conf', line });
    expect((error as ImportError).problem).toMatch(problem);
  });

  test('a limit_req naming an undefined zone is an error at its line', () => {
    const text = 'http {\n  server {\n    location /a/ {\n      limit_req zone=nope;\n      proxy_pass https://a.example.com/;\n    }\n  }\n}\n';
    expect(() => importFixtureText(text)).toThrow(/x\.conf:4: limit_req names zone "nope"/);
  });

  test('credentials in a URL or a header value are left out of the report', () => {
    const o = importFixtureText('http {\n  server {\n    location /a/ {\n      proxy_set_header X-Api-Key "k-81f2c3";\n      proxy_pass https://svc:pw-77a1@a.example.com/;\n    }\n  }\n}\n');
    const text = JSON.stringify(o.report.entries) + JSON.stringify(o.map);
    expect(text).not.toContain('k-81f2c3');
    expect(text).not.toContain('pw-77a1');
  });

  test('auth_jwt becomes auth.jwt with placeholders, and the key location gives the JWKS URL', () => {
    const text = [
      'http {',
      '  server {',
      '    listen 443 ssl;',
      '    server_name api.example.com;',
      '    auth_jwt "api";',
      '    auth_jwt_key_request /_jwks;',
      '    location = /_jwks { internal; proxy_pass https://id.example.com/.well-known/jwks.json; }',
      '    location /reports/ { proxy_pass https://reports.example.com/; }',
      '    location /health { auth_jwt off; proxy_pass https://reports.example.com/health; }',
      '  }',
      '}',
    ].join('\n');
    const o = importFixtureText(text);
    expect(o.map.auth).toEqual({ jwt: { issuer: 'https://replace-me.invalid/', audience: ['REPLACE-ME'], jwksUri: 'https://id.example.com/.well-known/jwks.json' } });
    expect(o.map.services.reports.auth).toBe('jwt');
    expect(o.map.services.health.auth).toBe('none');
    expect(Object.keys(o.map.services)).not.toContain('jwks');
    expect(o.report.placeholders.map((p) => p.field)).toEqual(expect.arrayContaining(['auth.jwt.issuer', 'auth.jwt.audience']));
    expect(() => validateServiceMap(o.map)).not.toThrow();
  });
});

describe('NGINX prefixes the map cannot hold side by side', () => {
  test('a catch-all "/" and a nested prefix are reported, and the broader prefixes kept, so the map validates', () => {
    const dir = mkdtempSync(join(tmpdir(), 'csg-nginx-'));
    const conf = join(dir, 'nginx.conf');
    writeFileSync(
      conf,
      [
        'http {',
        '  server {',
        '    location / { proxy_pass http://web.internal:3000; }',
        '    location /api/ { proxy_pass https://api.example.com/; }',
        '    location /api/v2/ { proxy_pass https://api-v2.example.com/; }',
        '    location /admin/ { proxy_pass http://admin.internal:8080/; }',
        '  }',
        '}',
      ].join('\n'),
    );
    const o = importFiles([conf], {});
    expect(Object.keys(o.map.services).sort()).toEqual(['admin', 'api']);
    expect(() => validateServiceMap(o.map)).not.toThrow();
    const root = entry(o, 'location / {');
    expect(root.fields).toEqual([]);
    expect(root.note).toMatch(/catch-all/);
    expect(entry(o, 'location /api/v2/').nearest).toMatch(/route \/api\/v2 inside the api backend/);
    // The dropped catch-all's image is no longer a value to fill in.
    expect(o.report.placeholders.map((p) => p.field)).toEqual(['services.admin.container.image']);
  });

  test('an include names a file that exists but was not given: it is not read, and the report says so', () => {
    const dir = mkdtempSync(join(tmpdir(), 'csg-nginx-'));
    writeFileSync(join(dir, 'extra.conf'), 'location /extra/ { proxy_pass https://extra.example.com/; }\n');
    writeFileSync(join(dir, 'nginx.conf'), 'http {\n  server {\n    include extra.conf;\n    location /a/ { proxy_pass https://a.example.com/; }\n  }\n}\n');
    const o = importFiles([join(dir, 'nginx.conf')], {});
    expect(Object.keys(o.map.services)).toEqual(['a']);
    expect(entry(o, 'include extra.conf').note).toMatch(/not given on the command line/);
  });
});

function importFixtureText(text: string) {
  const { importNginx } = require('../../lib/import/nginx') as typeof import('../../lib/import/nginx');
  return importNginx([{ file: 'x.conf', text }], {});
}

