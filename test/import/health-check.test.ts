/**
 * Health-check settings from Copilot and Kong -> container.healthCheck: out-of-range values are clamped and
 * fields that only work together are adjusted, each with a report line, so the imported map always validates.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importFiles } from '../../lib/import/command';
import { fitHealthCheck, successCodesFrom } from '../../lib/import/health-check';
import { validateServiceMap } from '../../lib/plan';
import { entry } from './helpers';

describe('fitHealthCheck', () => {
  test('values in range are carried over as they are', () => {
    const hc = { intervalSeconds: 30, timeoutSeconds: 10, healthyThresholdCount: 3, unhealthyThresholdCount: 4, gracePeriodSeconds: 120, successCodes: '200-299' };
    expect(fitHealthCheck(hc)).toEqual({ value: hc, notes: { intervalSeconds: '', timeoutSeconds: '', healthyThresholdCount: '', unhealthyThresholdCount: '', gracePeriodSeconds: '', successCodes: '' } });
  });

  test('each value is clamped to the map\'s range, and rounded to whole units', () => {
    const { value, notes } = fitHealthCheck({ intervalSeconds: 1, timeoutSeconds: 0.5, healthyThresholdCount: 50, unhealthyThresholdCount: 2.4 });
    expect(value).toMatchObject({ intervalSeconds: 5, timeoutSeconds: 2, healthyThresholdCount: 10, unhealthyThresholdCount: 2 });
    expect(notes.intervalSeconds).toBe("1 is outside the map's range 5 to 300: 5");
    expect(notes.unhealthyThresholdCount).toBe('2.4 rounded to whole checks: 2');
  });

  test('a timeout not below the interval (given or default) is lowered to interval - 1', () => {
    expect(fitHealthCheck({ intervalSeconds: 5 }).value).toEqual({ intervalSeconds: 5, timeoutSeconds: 4 });
    expect(fitHealthCheck({ intervalSeconds: 10, timeoutSeconds: 60 }).value).toEqual({ intervalSeconds: 10, timeoutSeconds: 9 });
  });

  test('a grace period shorter than healthyThresholdCount x interval is raised to it', () => {
    const { value, notes } = fitHealthCheck({ intervalSeconds: 300, healthyThresholdCount: 10, gracePeriodSeconds: 0 });
    expect(value.gracePeriodSeconds).toBe(3000);
    expect(notes.gracePeriodSeconds).toMatch(/0 s is shorter than the 3000 s/);
    // Left out: the map's 60 s default is too short for 10 x 30 s, so the fitted check sets it.
    expect(fitHealthCheck({ intervalSeconds: 30, healthyThresholdCount: 10 }).value.gracePeriodSeconds).toBe(300);
  });

  test('status code lists become ALB matchers; codes outside 200-499 are returned apart', () => {
    expect(successCodesFrom([200, 302])).toEqual({ matcher: '200,302', dropped: [] });
    expect(successCodesFrom([204, 200, 201, 202, 301, 302, 503, 101])).toEqual({ matcher: '200-202,204,301-302', dropped: [503, 101] });
    expect(successCodesFrom([500])).toEqual({ matcher: undefined, dropped: [500] });
  });
});

describe('odd health-check values in a source still give a valid map', () => {
  const dir = mkdtempSync(join(tmpdir(), 'csg-hc-'));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  test('Copilot: out-of-range interval, timeout and thresholds, a too-short grace period, a bad matcher', () => {
    const manifest = file(
      'manifest.yml',
      [
        'name: api',
        'type: Load Balanced Web Service',
        'http:',
        '  path: api',
        '  healthcheck:',
        '    path: /health',
        '    success_codes: "200-599"',
        '    healthy_threshold: 12',
        '    unhealthy_threshold: 1',
        '    interval: 2s',
        '    timeout: 30s',
        '    grace_period: 0s',
        '    port: 8081',
        'image:',
        '  location: public.ecr.aws/nginx/nginx:1.27',
        '  port: 8080',
        '',
      ].join('\n'),
    );
    const out = importFiles([manifest], { outDir: dir });
    expect(out.map.services.api.container?.healthCheck).toEqual({ healthyThresholdCount: 10, unhealthyThresholdCount: 2, intervalSeconds: 5, timeoutSeconds: 4, gracePeriodSeconds: 50 });
    expect(() => validateServiceMap(out.map)).not.toThrow();
    expect(entry(out, 'http.healthcheck.success_codes').fields).toEqual([]);
    expect(entry(out, 'http.healthcheck.interval').note).toBe("2 is outside the map's range 5 to 300: 5");
    expect(entry(out, 'http.healthcheck.timeout').note).toMatch(/^30 s is not below the 5 s interval .*: 4 s$/);
    expect(entry(out, 'http.healthcheck.grace_period').note).toMatch(/0 s is shorter than the 50 s/);
    expect(entry(out, 'http.healthcheck.port').fields).toEqual([]);
  });

  test('Kong: probing off for healthy targets, a 1 s timeout, statuses outside 200-499, tcp failures', () => {
    const kong = file(
      'kong.yml',
      [
        '_format_version: "3.0"',
        'services:',
        '  - name: orders',
        '    host: orders-upstream',
        '    port: 8080',
        '    routes: [{ name: r, paths: [/orders] }]',
        'upstreams:',
        '  - name: orders-upstream',
        '    healthchecks:',
        '      active:',
        '        timeout: 1',
        '        concurrency: 10',
        '        healthy: { interval: 0, successes: 3, http_statuses: [200, 201, 202, 204, 500] }',
        '        unhealthy: { interval: 20, tcp_failures: 4, timeouts: 5, http_statuses: [503] }',
        '    targets: [{ target: "10.0.2.10:8080" }]',
        '',
      ].join('\n'),
    );
    const out = importFiles([kong], { outDir: dir });
    expect(out.map.services.orders.container?.healthCheck).toEqual({ intervalSeconds: 20, healthyThresholdCount: 3, unhealthyThresholdCount: 4, timeoutSeconds: 2, successCodes: '200-202,204' });
    expect(() => validateServiceMap(out.map)).not.toThrow();
    expect(entry(out, 'healthchecks.active.healthy.interval 0').fields).toEqual([]);
    expect(entry(out, 'healthchecks.active.timeout 1').note).toBe("1 is outside the map's range 2 to 120: 2");
    expect(entry(out, 'healthchecks.active.healthy.http_statuses 500').fields).toEqual([]);
    expect(entry(out, 'healthchecks.active.unhealthy.timeouts 5').note).toMatch(/tcp_failures is used/);
    expect(entry(out, 'healthchecks.active.concurrency').fields).toEqual([]);
  });
});
