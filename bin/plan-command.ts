/**
 * `cdk-service-gateway plan <map>`: what the gateway of a map will be, before anything is deployed.
 */
import { parseArgs } from 'node:util';
import { formatPlan, planGateway, planJson, warningJson } from '../lib/plan';
import { loadServiceMapFile, MapFileError } from './load-map';

export const PLAN_USAGE = `Usage: cdk-service-gateway plan <map.json|map.yaml> [--json]

Validates a service map and prints the gateway it plans: the route table (route -> auth and scopes ->
service -> integration -> ALB and listener priority), the WAF rules in evaluation order with their
capacity, the AWS quotas used against their limits, and the warnings. Nothing is synthesized or deployed.

Options:
  --json       Print the plan as JSON (problems and warnings included)
  -h, --help   Show this help

Exit codes: 0 the map plans, 1 the map has problems (each printed with its field path), 2 bad usage or unreadable file.`;

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

export function runPlan(args: string[], output: Output): number {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: true });
  } catch (err) {
    output.err(`${(err as Error).message}\n\n${PLAN_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    output.out(PLAN_USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    output.err(`${positionals.length === 0 ? 'Missing the map file' : `One map file, got ${positionals.length}`}.\n\n${PLAN_USAGE}`);
    return 2;
  }
  let map: unknown;
  try {
    ({ map } = loadServiceMapFile(positionals[0]));
  } catch (err) {
    if (err instanceof MapFileError) {
      output.err(err.message);
      return 2;
    }
    throw err;
  }
  const { problems, warnings, plan } = planGateway(map);
  if (values.json) {
    // Without a plan, the map as written says what it acknowledges (when it says it as an object).
    const written = (map as { acknowledgeWarnings?: unknown } | null)?.acknowledgeWarnings;
    const acknowledgements = plan?.map.acknowledgeWarnings ?? (typeof written === 'object' && written !== null ? (written as Record<string, unknown>) : {});
    output.out(JSON.stringify({ problems, warnings: warnings.map((w) => warningJson(w, acknowledgements)), plan: plan && planJson(plan) }, null, 2));
    return plan ? 0 : 1;
  }
  if (!plan) {
    output.err(`Invalid service map (${problems.length} problem${problems.length === 1 ? '' : 's'}):`);
    for (const p of problems) output.err(`  ${p}`);
    return 1;
  }
  for (const line of formatPlan(plan)) output.out(line);
  return 0;
}
