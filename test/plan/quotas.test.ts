/**
 * One definition per quota: the plan's quota table and validation's warnings and problems come from the same
 * checks (lib/plan/quota-check.ts), so every row over its limit is reported, worded from its own count.
 */
import { planGateway } from '../../lib/plan';
import { placeServices } from '../../lib/plan/placement';
import { serviceMapSchema, type ServiceMap } from '../../lib/service-map/schema';
import { WARNING_IDS } from '../../lib/service-map/warnings';

const containers = (n: number, extra: (i: number) => Record<string, unknown> = () => ({})) =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`s${i}`, { path: `/s${i}`, container: { image: 'nginx:1.27', ...extra(i) } }]));
const place = (map: ServiceMap) => placeServices(serviceMapSchema.parse(map));

describe('quota checks: one count, one limit, one message', () => {
  // Over four adjustable quotas at once: 160 services (320 routes) on two ALBs, each on its own port (more than 60
  // per ALB), one of them with 600 tasks.
  const map: ServiceMap = {
    name: 'big',
    network: { loadBalancers: 2 },
    services: { ...containers(160, (i) => ({ port: 8000 + i })), huge: { path: '/huge', container: { image: 'nginx:1.27' }, scaling: { maxTasks: 600 } } },
  };
  const { plan, problems } = planGateway(map);

  test('every quota over its limit in the table has a warning that quotes its name, count and limit; none within', () => {
    expect(problems).toEqual([]);
    const over = plan!.quotas.filter((q) => q.used > q.limit);
    expect(over.map((q) => `${q.quota} on ${q.scope}`).sort()).toEqual(
      [
        'Routes per API on HTTP API',
        'Inbound or outbound rules per security group on ALB 0',
        'Inbound or outbound rules per security group on ALB 1',
        ...[0, 1].filter((alb) => plan!.services.find((s) => s.name === 'huge')!.loadBalancer!.index === alb).flatMap((alb) => [
          `Targets per Application Load Balancer on ALB ${alb}`,
          `Targets per Target Group per Region on ALB ${alb}`,
        ]),
      ].sort(),
    );
    const quotaWarnings = plan!.warnings.filter((w) => w.id.endsWith('-quota'));
    expect(quotaWarnings).toHaveLength(over.length);
    for (const q of over) {
      // Per target group, the warning names the service (the row is the ALB's largest target group).
      const where = q.quota === 'Targets per Target Group per Region' ? 'services.huge.' : q.scope === 'HTTP API' ? 'the HTTP API ' : `${q.scope} `;
      const said = quotaWarnings.filter((w) => w.message.includes(`"${q.quota}`) && w.message.includes(where));
      expect(said.map((w) => w.message)).toEqual([expect.stringContaining(`request an increase to ${q.used}`)]);
      expect(said[0].message).toContain(`default quota of ${q.limit}`);
    }
  });

  test('the table lists each ALB\'s quotas in one order, after the API\'s and the VPC link\'s', () => {
    expect(plan!.quotas.map((q) => `${q.scope}: ${q.quota}`)).toEqual([
      'HTTP API: Routes per API',
      'HTTP API: Integrations per API',
      'account: VPC links per account and Region',
      ...[0, 1].flatMap((alb) =>
        ['Target groups per Application Load Balancer', 'Rules per Application Load Balancer', 'Inbound or outbound rules per security group', 'Targets per Application Load Balancer', 'Targets per Target Group per Region'].map(
          (q) => `ALB ${alb}: ${q}`,
        ),
      ),
      'web ACL: Maximum web ACL capacity units',
    ]);
    expect(plan!.quotas.find((q) => q.quota === 'Targets per Target Group per Region' && q.used > q.limit)).toMatchObject({ used: 1200, counted: 'largest, at the deployment peak' });
  });

  test('a hard limit over is a problem from the same check: more than 100 target groups on one ALB', () => {
    const p = place({ name: 'tg', network: { loadBalancers: 1 }, services: containers(101) });
    const row = p.quotas.find((q) => q.quota === 'Target groups per Application Load Balancer')!;
    expect(row).toMatchObject({ scope: 'ALB 0', used: 101, limit: 100, kind: 'hard', warnings: [] });
    expect(row.problems).toEqual(['network.loadBalancers: ALB 0 would hold 101 services, above the 100 target groups an ALB allows; set network.loadBalancers to 3 or more']);
    expect(p.problems).toEqual(expect.arrayContaining(row.problems));
  });
});

describe('listener rules per ALB count the CORS preflight rule', () => {
  // 100 container services fill an ALB's 100 target groups exactly; with cors the preflight rule is the 101st rule.
  const services = containers(100);
  const withCors = place({ name: 'rules', network: { loadBalancers: 1 }, cors: { allowOrigins: ['https://app.example.com'] }, services });

  test('100 services and the preflight rule are 101 rules: a warning to raise the quota, no problem', () => {
    const row = withCors.quotas.find((q) => q.quota === 'Rules per Application Load Balancer')!;
    expect(row).toMatchObject({ scope: 'ALB 0', counted: 'default rules excluded', used: 101, limit: 100, kind: 'adjustable' });
    expect(withCors.warnings.filter((w) => w.id === 'cdk-service-gateway:alb-rules-quota')).toEqual([
      {
        id: 'cdk-service-gateway:alb-rules-quota',
        message:
          'services: ALB 0 needs 101 listener rules (one per container service on it, and the one that answers CORS preflights), above the default quota of 100 ' +
          '"Rules per Application Load Balancer"; request an increase to 101 in Service Quotas (Elastic Load Balancing) before deploying, or spread the services over more ALBs (network.loadBalancers)',
      },
    ]);
    expect(withCors.quotas.find((q) => q.quota === 'Target groups per Application Load Balancer')).toMatchObject({ used: 100, problems: [] });
  });

  test('without cors the same services are 100 rules: quiet', () => {
    const plain = place({ name: 'rules', network: { loadBalancers: 1 }, services });
    expect(plain.quotas.find((q) => q.quota === 'Rules per Application Load Balancer')!.used).toBe(100);
    expect(plain.warnings.map((w) => w.id)).not.toContain('cdk-service-gateway:alb-rules-quota');
  });

  test('the warning can be acknowledged by its id', () => {
    expect(WARNING_IDS).toContain('cdk-service-gateway:alb-rules-quota');
  });
});
