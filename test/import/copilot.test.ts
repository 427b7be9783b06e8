/**
 * Copilot -> service map: two Load Balanced Web Service manifests with environments, with and without --env.
 */
import { validateServiceMap } from '../../lib/plan';
import { ImportError } from '../../lib/import/common';
import { COPILOT, FIXTURE_SECRETS, entry, importFixture } from './helpers';

describe('Copilot import', () => {
  const base = importFixture(COPILOT, { name: 'shop' });
  const prod = importFixture(COPILOT, { name: 'shop', env: 'prod' });

  test('both maps validate', () => {
    expect(() => validateServiceMap(base.map)).not.toThrow();
    expect(() => validateServiceMap(prod.map)).not.toThrow();
    expect(base.map.name).toBe('shop');
  });

  test('image, port, cpu, memory, variables and secrets become the container', () => {
    expect(base.map.services.api.container).toEqual({
      image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api:1.8.2',
      port: 8080,
      cpu: 512,
      memoryMiB: 1024,
      environment: { LOG_LEVEL: 'info', ORDERS_TABLE: 'shop-orders', FEATURE_FLAGS_ENABLED: 'true' },
      secrets: {
        DB_PASSWORD: 'arn:aws:ssm:us-east-1:000000000000:parameter/copilot/shop/prod/secrets/db_password',
        PAYMENT_TOKEN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:shop/payment-token',
      },
      healthCheckPath: '/api/health',
      healthCheck: { successCodes: '200,204', healthyThresholdCount: 3, unhealthyThresholdCount: 2, intervalSeconds: 15, timeoutSeconds: 5, gracePeriodSeconds: 60 },
    });
    expect(base.report.placeholders.map((p) => p.field)).toEqual(
      expect.arrayContaining(['services.api.container.secrets.DB_PASSWORD', 'services.api.container.secrets.PAYMENT_TOKEN', 'domain.certificateArn']),
    );
  });

  test('image.build becomes a directory relative to the map\'s folder (Copilot resolves it against the workspace)', () => {
    expect(base.map.services.frontend.container).toMatchObject({ image: { directory: 'copilot-app/frontend' }, port: 80 });
  });

  test('count: a range with cpu_percentage and requests becomes autoscaling; a number fixes the task count', () => {
    expect(base.map.services.api.scaling).toEqual({ minTasks: 2, maxTasks: 10, cpuTargetPercent: 65, requestsPerTarget: 500 });
    expect(base.map.services.frontend.scaling).toEqual({ minTasks: 2, maxTasks: 2 });
    expect(entry(base, 'count.memory_percentage').fields).toEqual([]);
  });

  test('http: path, healthcheck path, deregistration_delay, stickiness, alias and allowed_source_ips', () => {
    expect(base.map.services.api.path).toBe('/api');
    // "/" cannot sit beside /api in the map: the report says where it went instead.
    expect(base.map.services.frontend.path).toBe('/frontend');
    expect(entry(base, 'http.path /').note).toMatch(/catch-all/);
    expect(base.map.services.api.loadBalancing).toEqual({ deregistrationDelaySeconds: 20, stickinessSeconds: 0 });
    expect(base.map.services.frontend.loadBalancing).toEqual({ stickinessSeconds: 86400 });
    expect(base.map.services.frontend.container).toMatchObject({ healthCheckPath: '/healthz' });
    expect(base.map.domain?.name).toBe('api.shop.example.com');
    expect(base.map.firewall?.allowedIpCidrs).toEqual(['10.24.34.0/23', '203.0.113.10/32']);
  });

  test('http.healthcheck settings become container.healthCheck, each with a report line', () => {
    const fields: Record<string, string> = {
      success_codes: 'successCodes', healthy_threshold: 'healthyThresholdCount', unhealthy_threshold: 'unhealthyThresholdCount',
      interval: 'intervalSeconds', timeout: 'timeoutSeconds', grace_period: 'gracePeriodSeconds',
    };
    for (const [key, field] of Object.entries(fields)) {
      expect(entry(base, `http.healthcheck.${key}`).fields).toEqual([`services.api.container.healthCheck.${field}`]);
    }
    expect(entry(base, 'http.healthcheck.interval').note).toBe('15 s');
    // A manifest with only a path keeps the map's defaults.
    expect(base.map.services.frontend.container?.healthCheck).toBeUndefined();
  });

  test('fields with no equivalent are reported: sidecars, storage, exec, publish, logging, observability, nlb', () => {
    for (const key of ['sidecars', 'storage', 'exec', 'publish', 'logging', 'observability', 'nlb']) {
      const e = entry(base, new RegExp(`^${key}$`));
      expect(e.fields).toEqual([]);
      expect(e.nearest).toBeTruthy();
    }
  });

  test('without --env, environment overrides are reported and not applied', () => {
    expect(entry(base, 'environments.prod').note).toMatch(/not applied: overrides cpu, memory, count, http, variables/);
    expect(entry(base, 'environments.prod').nearest).toMatch(/--env prod/);
    expect(base.map.services.api.container).toMatchObject({ cpu: 512 });
  });

  test('--env prod applies the overrides: maps merge, scalars and ranges replace', () => {
    const api = prod.map.services.api;
    expect(api.container).toMatchObject({ cpu: 1024, memoryMiB: 2048, environment: { LOG_LEVEL: 'warn', ORDERS_TABLE: 'shop-orders', FEATURE_FLAGS_ENABLED: 'true' } });
    expect(api.scaling).toEqual({ minTasks: 3, maxTasks: 20, cpuTargetPercent: 65, requestsPerTarget: 500 });
    expect(api.loadBalancing).toEqual({ deregistrationDelaySeconds: 60, stickinessSeconds: 0 });
    expect(prod.map.services.frontend.scaling).toEqual({ minTasks: 2, maxTasks: 6, cpuTargetPercent: 70 });
    expect(entry(prod, 'environments.prod').fields).toEqual(['services.api']);
    expect(entry(prod, 'environments.test').fields).toEqual([]);
    // The report points at the override's line.
    expect(entry(prod, 'cpu 1024').at).toEqual({ file: 'copilot-app/copilot/api/manifest.yml', line: 63 });
  });

  test('--env with an environment no manifest has is an error listing the valid ones', () => {
    expect(() => importFixture(COPILOT, { env: 'staging' })).toThrow(ImportError);
    expect(() => importFixture(COPILOT, { env: 'staging' })).toThrow(/--env staging: no manifest has environments\.staging \(valid: prod, test\)/);
  });

  test('a variable whose name says credential is not copied; secret references are copied as ARNs, never values', () => {
    expect(JSON.stringify(base.map)).not.toContain('STRIPE_API_KEY');
    expect(entry(base, 'variables.STRIPE_API_KEY').nearest).toMatch(/container\.secrets/);
    for (const out of [base, prod]) {
      const text = JSON.stringify(out.map) + out.reportText;
      for (const secret of FIXTURE_SECRETS) expect(text).not.toContain(secret);
    }
  });
});
