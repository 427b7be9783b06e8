#!/usr/bin/env node
/**
 * The `cdk-service-gateway` command line: a dispatcher over subcommands (`verify`, `import`, `diff`, `plan`), plus `--version`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runDiff } from '../lib/change/command';
import { EXIT_CODES, runVerify } from '../lib/verify';
import { runPlan } from './plan-command';

const USAGE = `Usage: cdk-service-gateway <command> [options]

Commands:
  verify    Compare what is deployed with the service map the stack was synthesized from
  import    Turn an NGINX, Kong or Copilot setup into a service map (and a report of what is not carried over)
  diff      Preview what deploying a changed map does (replacements, priority moves, WAF resets)
  plan      Print the gateway a service map plans: routes, firewall rules, quotas, warnings

Options:
  -h, --help     Show this help
  -v, --version  Print the version of cdk-service-gateway

Run "cdk-service-gateway <command> --help" for the options of a command.`;

const VERIFY_USAGE = `Usage: cdk-service-gateway verify --stack <name> [--region <region>] [--profile <profile>] [--cdk-out <dir>]

Reads the service map recorded in the stack and compares it with the deployed routes, integrations,
authorizers, stage throttles, REST methods, usage plans, API keys (never their values), the stage's
response cache, and the WAF web ACL, its rate rules and its associations (docs/verify.md lists each item).

Options:
  --stack <name>      Deployed CloudFormation stack to verify (required)
  --region <region>   AWS region (default: AWS_REGION, then the profile's region)
  --profile <name>    Named AWS profile (default: AWS_PROFILE, then "default")
  --cdk-out <dir>     Read the map from this cloud assembly instead of the deployed template
  -h, --help          Show this help

Exit codes: 0 everything matches, 1 drift found, 2 could not verify.`;

/**
 * A line writer that stops when its reader goes away (`plan map.json | head` closes the pipe): no EPIPE
 * stack trace, and the command still ends with its own exit code.
 */
function lineWriter(stream: NodeJS.WriteStream): (line: string) => void {
  let closed = false;
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') throw err;
    closed = true;
  });
  return (line) => {
    if (!closed) stream.write(`${line}\n`);
  };
}

const output = { out: lineWriter(process.stdout), err: lineWriter(process.stderr) };

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    (command === undefined ? output.err : output.out)(USAGE);
    return command === undefined ? EXIT_CODES.cannotVerify : EXIT_CODES.match;
  }
  if (command === '--version' || command === '-v' || command === 'version') {
    output.out(packageVersion());
    return EXIT_CODES.match;
  }
  if (command === 'import') {
    // Loaded only for this command: the constructs library never pulls in the importers or their parser.
    const { runImport } = await import('../lib/import/command');
    return runImport(rest, output);
  }
  if (command === 'diff') return runDiff(rest, output);
  if (command === 'plan') return runPlan(rest, output);
  if (command !== 'verify') {
    output.err(`Unknown command "${command}".\n\n${USAGE}`);
    return EXIT_CODES.cannotVerify;
  }
  let values;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        stack: { type: 'string' },
        region: { type: 'string' },
        profile: { type: 'string' },
        'cdk-out': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    output.err(`${(err as Error).message}\n\n${VERIFY_USAGE}`);
    return EXIT_CODES.cannotVerify;
  }
  if (values.help) {
    output.out(VERIFY_USAGE);
    return EXIT_CODES.match;
  }
  if (!values.stack) {
    output.err(`Missing --stack <name>.\n\n${VERIFY_USAGE}`);
    return EXIT_CODES.cannotVerify;
  }
  return runVerify({ stack: values.stack, region: values.region, profile: values.profile, cdkOut: values['cdk-out'] }, output);
}

/** The version in the package's own package.json (dist/bin -> package root, or bin -> root from source). */
function packageVersion(): string {
  for (const candidate of [join(__dirname, '..', '..', 'package.json'), join(__dirname, '..', 'package.json')]) {
    try {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'cdk-service-gateway' && pkg.version) return pkg.version;
    } catch {
      /* try the next */
    }
  }
  return 'unknown';
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    output.err(`cdk-service-gateway: ${(err as Error).message}`);
    process.exitCode = EXIT_CODES.cannotVerify;
  },
);
