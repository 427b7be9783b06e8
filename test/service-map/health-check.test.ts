/** container.healthCheck: each field's AWS range, the rules that tie them together, and the defaults. */
import { validateServiceMap } from '../../lib/plan';
import { problemsOf } from '../support/problems';

const withHealthCheck = (healthCheck: Record<string, unknown> | undefined, container: Record<string, unknown> = {}) => ({
  name: 'shop',
  services: { a: { path: '/a', container: { image: 'nginx:1.27', ...container, ...(healthCheck ? { healthCheck } : {}) } } },
});
const at = 'services.a.container.healthCheck';

describe('container.healthCheck', () => {
  test("left out, it keeps 0.1's health check: 15 s interval, 5 s timeout, 2 to pass, 3 to fail, 200-399, 60 s grace", () => {
    expect(validateServiceMap(withHealthCheck(undefined, { healthCheckPath: '/health' })).map.services.a.container).toMatchObject({
      healthCheckPath: '/health',
      healthCheck: { intervalSeconds: 15, timeoutSeconds: 5, healthyThresholdCount: 2, unhealthyThresholdCount: 3, successCodes: '200-399', gracePeriodSeconds: 60 },
    });
  });

  test('a slow-starting container sets a longer grace period and its own codes', () => {
    const hc = { gracePeriodSeconds: 300, intervalSeconds: 30, timeoutSeconds: 10, healthyThresholdCount: 3, unhealthyThresholdCount: 5, successCodes: '200,204' };
    expect(validateServiceMap(withHealthCheck(hc)).map.services.a.container!.healthCheck).toEqual(hc);
  });

  test.each([
    ['intervalSeconds', 4, '4 is below the minimum 5 (valid: 5 to 300)'],
    ['intervalSeconds', 301, '301 is above the maximum 300 (valid: 5 to 300)'],
    ['timeoutSeconds', 1, '1 is below the minimum 2 (valid: 2 to 120)'],
    ['healthyThresholdCount', 11, '11 is above the maximum 10 (valid: 2 to 10)'],
    ['unhealthyThresholdCount', 1, '1 is below the minimum 2 (valid: 2 to 10)'],
    ['gracePeriodSeconds', -1, '-1 is below the minimum 0 (valid: 0 to 2147483647)'],
  ])('%s %p is outside the AWS range', (field, value, message) => {
    const problems = problemsOf(withHealthCheck({ [field]: value }));
    expect(problems).toEqual([expect.stringContaining(`${at}.${field}: ${message}`)]);
  });

  test.each(['200', '200,204', '200-299', '200-399,404', '499'])('success codes %p follow the ALB matcher syntax', (successCodes) => {
    expect(problemsOf(withHealthCheck({ successCodes }))).toEqual([]);
  });

  test.each(['ok', '200 ', '199', '500', '200-', '299-200', '200,,204', '2xx'])('success codes %p are rejected with the syntax', (successCodes) => {
    expect(problemsOf(withHealthCheck({ successCodes }))).toEqual([
      `${at}.successCodes: "${successCodes}" is not an ALB success-code matcher (HTTP codes from 200 to 499, comma-separated, ranges as low-high: "200", "200,204", "200-299")`,
    ]);
  });

  test('the timeout must be below the interval', () => {
    expect(problemsOf(withHealthCheck({ intervalSeconds: 10, timeoutSeconds: 10 }))).toEqual([
      `${at}.timeoutSeconds: 10 s is not below intervalSeconds 10 s (an ALB health check times out before the next one starts)`,
    ]);
    expect(problemsOf(withHealthCheck({ intervalSeconds: 10, timeoutSeconds: 9 }))).toEqual([]);
  });

  test('the grace period must cover the time a task needs to pass healthyThresholdCount checks', () => {
    // The case: a 30 s interval and 3 checks to pass need 90 s, more than the 60 s grace period.
    expect(problemsOf(withHealthCheck({ intervalSeconds: 30, healthyThresholdCount: 3 }))).toEqual([
      `${at}.gracePeriodSeconds: 60 s is shorter than the 90 s a new task needs to pass the health check even when it answers at once ` +
        '(healthyThresholdCount 3 x intervalSeconds 30); set it to at least 90, plus the time the container takes to start',
    ]);
    expect(problemsOf(withHealthCheck({ intervalSeconds: 30, healthyThresholdCount: 3, gracePeriodSeconds: 90 }))).toEqual([]);
  });

  test('every health-check problem is reported at once, next to the others', () => {
    const problems = problemsOf(withHealthCheck({ intervalSeconds: 10, timeoutSeconds: 12, gracePeriodSeconds: 5 }, { cpu: 256, memoryMiB: 4096 }));
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([`${at}.gracePeriodSeconds`, `${at}.timeoutSeconds`, 'services.a.container.memoryMiB']);
  });

  test('an unknown field names the valid ones (the path stays container.healthCheckPath)', () => {
    expect(problemsOf(withHealthCheck({ path: '/health' }))).toEqual([
      `${at}: unknown field "path" (valid fields: intervalSeconds, timeoutSeconds, healthyThresholdCount, unhealthyThresholdCount, successCodes, gracePeriodSeconds)`,
    ]);
  });
});
