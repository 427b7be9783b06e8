/**
 * `cdk-service-gateway diff <old map|cdk.out> <new map|cdk.out>`: what deploying the new gateway over
 * the old one does, per service, and whether that is safe. Exit codes: 0 safe, 1 unsafe, 2 bad input.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { App, Stack } from 'aws-cdk-lib';
import { loadServiceMapFile, MapFileError } from '../service-map/load-map';
import { decodeRecordedMap, RECORD_KEY, type GatewayRecord } from '../recorded-map';
import { ServiceGateway } from '../service-gateway';
import { ServiceMapError } from '../service-map/validate';
import { validateServiceMap } from '../plan';
import { diffStacks, type ChangeReport } from './diff';
import { RULES_SOURCE } from '../service-map/resource-rules';
import { assemblyFeatureFlags, DiffInputError, readCloudAssembly, type StackTemplate } from './templates';

export const DIFF_EXIT_CODES = { safe: 0, unsafe: 1, badInput: 2 } as const;

export const DIFF_USAGE = `Usage: cdk-service-gateway diff <old map|cdk.out> <new map|cdk.out>

Shows what deploying the new gateway over the old one would do, per service: resources added, changed,
replaced and removed; listener-rule priorities that move; named or stateful resources that would be
replaced (log groups, buckets, keys, API keys, usage plans); URLs clients call that would stop answering
(front door, stage name, custom domain), API keys removed, and what clients of a kept service must send
(path, credentials, CORS origins); WAF rate rules whose counters would reset.
Each side is a service map file (JSON or YAML, synthesized here) or a cloud assembly directory.

Exit codes: 0 safe to deploy, 1 needs attention (see "Before you deploy"), 2 bad input.`;

export interface DiffOutput {
  out(line: string): void;
  err(line: string): void;
}

export function runDiff(args: readonly string[], output: DiffOutput): number {
  let positionals: string[];
  let help: boolean | undefined;
  try {
    ({ positionals, values: { help } } = parseArgs({ args: [...args], options: { help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true }));
  } catch (e) {
    output.err(`${(e as Error).message}\n\n${DIFF_USAGE}`);
    return DIFF_EXIT_CODES.badInput;
  }
  if (help) {
    output.out(DIFF_USAGE);
    return DIFF_EXIT_CODES.safe;
  }
  if (positionals.length !== 2) {
    output.err(`diff takes two arguments, the old and the new gateway (got ${positionals.length}).\n\n${DIFF_USAGE}`);
    return DIFF_EXIT_CODES.badInput;
  }
  const problems: string[] = [];
  const sides = positionals.map((p, i) => {
    try {
      return gatewayStack(p, () => assemblySynthesis(positionals[1 - i]));
    } catch (e) {
      if (e instanceof DiffInputError || e instanceof MapFileError || e instanceof ServiceMapError) {
        problems.push(`${p}: ${e instanceof MapFileError ? e.detail : e.message}`);
        return undefined;
      }
      throw e;
    }
  });
  if (problems.length > 0) {
    problems.forEach((p) => output.err(p));
    return DIFF_EXIT_CODES.badInput;
  }
  const [before, after] = sides as [GatewaySide, GatewaySide];
  const report = diffStacks(before.stack, after.stack, [...new Set([...before.services, ...after.services])]);
  renderReport(report, `${positionals[0]} (${before.name}) -> ${positionals[1]} (${after.name})`).forEach((l) => output.out(l));
  return report.safe ? DIFF_EXIT_CODES.safe : DIFF_EXIT_CODES.unsafe;
}

interface GatewaySide {
  readonly name: string;
  readonly stack: StackTemplate;
  readonly services: readonly string[];
}

/** How a cloud assembly was synthesized, so that a map compared with it is synthesized alike. */
export interface SynthesisSettings {
  /** The gateway stack's environment, `aws://<account>/<region>` (`unknown-account` / `unknown-region`: environment-agnostic). */
  readonly environment?: string;
  /** Context to synthesize with: the project's `cdk.context.json` lookups and the feature flags the assembly's app set. */
  readonly context: Record<string, unknown>;
}

/** The settings of the other side when it is a readable cloud assembly with one gateway (its own errors are reported for it). */
function assemblySynthesis(path: string): SynthesisSettings | undefined {
  let like: SynthesisSettings;
  try {
    if (!statSync(path).isDirectory()) return undefined;
    like = { environment: onlyGateway(readCloudAssembly(path)).stack.environment, context: assemblyFeatureFlags(path) };
  } catch {
    return undefined;
  }
  // Feature flags win over a context file's keys, as cdk.json's context does in the CDK CLI.
  return { ...like, context: { ...projectContext(path), ...like.context } };
}

/**
 * The context values (lookups: availability zones, VPCs, hosted zones, ...) the CDK CLI passed to the app that
 * synthesized a cloud assembly: its project's `cdk.context.json`, which is not in the assembly. Read from the
 * current directory and from the assembly's parent folder (the project directory when the assembly is its
 * `cdk.out`); where both define a key, the one beside the assembly wins.
 */
export function projectContext(assembly: string, cwd = process.cwd()): Record<string, unknown> {
  const files = [...new Set([join(resolve(cwd), 'cdk.context.json'), join(dirname(resolve(assembly)), 'cdk.context.json')])];
  const context: Record<string, unknown> = {};
  for (const file of files.filter((f) => existsSync(f))) {
    let values: unknown;
    try {
      values = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new DiffInputError(`${file} (the project's context, read to synthesize the map like ${assembly}) is not valid JSON: ${(e as Error).message}`);
    }
    if (values === null || typeof values !== 'object' || Array.isArray(values)) {
      throw new DiffInputError(`${file} (the project's context, read to synthesize the map like ${assembly}) is not a JSON object of context keys`);
    }
    Object.assign(context, values);
  }
  return context;
}

/**
 * The gateway stack of a cloud assembly directory, or of a map file synthesized into a temporary one,
 * alike the other side when that is a cloud assembly (`like`).
 */
function gatewayStack(path: string, like: () => SynthesisSettings | undefined): GatewaySide {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch (e) {
    throw new DiffInputError(`cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (isDirectory) return onlyGateway(readCloudAssembly(path));
  const outdir = mkdtempSync(join(tmpdir(), 'csg-diff-'));
  try {
    synthesizeMap(path, outdir, like());
    return onlyGateway(readCloudAssembly(outdir));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * Synthesizes a map file as the bundled app does (stack `<name>-gateway`). Compared with a cloud assembly
 * (`like`), with its stack's environment and its app's feature flags: otherwise every difference they make
 * (subnets, ARNs, logical ids) would show as a change the map does not make.
 */
export function synthesizeMap(file: string, outdir: string, like?: SynthesisSettings): void {
  const { map, path } = loadServiceMapFile(file);
  const { map: resolved, plan } = validateServiceMap(map);
  const app = new App({ analyticsReporting: false, outdir, context: like?.context });
  // A placeholder environment when none is set, so that `network.vpcId` lookups give placeholders instead of failing.
  const placeholder = { account: process.env.CDK_DEFAULT_ACCOUNT ?? '123456789012', region: process.env.CDK_DEFAULT_REGION ?? 'us-east-1' };
  const [, account, region] = /^aws:\/\/([^/]+)\/(.+)$/.exec(like?.environment ?? '') ?? [];
  const known = { account: account === 'unknown-account' ? undefined : account, region: region === 'unknown-region' ? undefined : region };
  const env = !like?.environment || (resolved.network.vpcId !== undefined && !(known.account && known.region)) ? placeholder : known;
  const stack = new Stack(app, `${resolved.name}-gateway`, { env });
  // The plan just made: the gateway renders it instead of planning the map a second time.
  new ServiceGateway(stack, 'Gateway', { plan, baseDirectory: path ? dirname(path) : undefined });
  app.synth();
}

function onlyGateway(stacks: Map<string, StackTemplate>): GatewaySide {
  const gateways = [...stacks].flatMap(([name, stack]) => {
    const record = Object.values(stack.template.Resources ?? {}).map((r) => r.Metadata?.[RECORD_KEY] as GatewayRecord | undefined).find(Boolean);
    return record ? [{ name, stack, services: Object.keys(decodeRecordedMap(record.map).services) }] : [];
  });
  if (gateways.length === 1) return gateways[0];
  if (gateways.length === 0) throw new DiffInputError(`no cdk-service-gateway stack in it (stacks: ${[...stacks.keys()].join(', ')})`);
  throw new DiffInputError(`it holds ${gateways.length} gateway stacks (${gateways.map((g) => g.name).join(', ')}); give a cloud assembly with one`);
}

const KIND_LABEL = { added: 'added   ', changed: 'changed ', replaced: 'replaced', removed: 'removed ' } as const;

/** The report as printed: per service its resource changes, then what needs attention, then the verdict. */
export function renderReport(report: ChangeReport, title: string): string[] {
  const lines = [`Change preview: ${title}`, `Replacement rules: CloudFormation resource specification (${RULES_SOURCE})`];
  const services = [...new Set([...report.changes.map((c) => c.service), ...report.findings.map((f) => f.service)])].sort((x, y) => (x === 'gateway' ? -1 : y === 'gateway' ? 1 : x < y ? -1 : 1));
  if (report.changes.length === 0) lines.push('', 'No changes.');
  for (const service of services) {
    const changes = report.changes.filter((c) => c.service === service);
    if (changes.length === 0) continue;
    lines.push('', service === 'gateway' ? 'gateway (shared resources):' : `service ${service}:`);
    for (const c of changes) {
      const details = c.details.length > 4 ? [...c.details.slice(0, 4), `${c.details.length - 4} more`] : c.details;
      lines.push(`  ${KIND_LABEL[c.kind]}  ${c.type} ${c.key}${details.length ? ` (${c.kind === 'replaced' ? 'because of ' : ''}${details.join(', ')})` : ''}`);
    }
  }
  if (report.findings.length > 0) {
    lines.push('', 'Before you deploy:');
    for (const f of report.findings) lines.push(`  ${f.unsafe ? 'UNSAFE' : 'note  '}  ${f.kind.padEnd(14)} ${f.service === 'gateway' ? 'gateway' : `service ${f.service}`}: ${f.message}`);
  }
  const unsafe = report.findings.filter((f) => f.unsafe).length;
  lines.push('', unsafe === 0 ? 'Result: safe to deploy (exit 0)' : `Result: unsafe, ${unsafe} finding${unsafe === 1 ? '' : 's'} above ${unsafe === 1 ? 'needs' : 'need'} attention (exit 1)`);
  return lines;
}
