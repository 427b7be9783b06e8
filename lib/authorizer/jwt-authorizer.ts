import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { authorizerEnvironment, type JwtSettings } from '../service-map/conventions';

/** The Lambda runtime of the authorizer; the bundle's esbuild target follows it (scripts/bundle-authorizer.ts). */
export const AUTHORIZER_RUNTIME = lambda.Runtime.NODEJS_24_X;

/** The esbuild target matching a Lambda Node.js runtime: `nodejs24.x` -> `node24`. */
export function esbuildTarget(runtime: lambda.Runtime): string {
  const major = /^nodejs(\d+)\.x$/.exec(runtime.name)?.[1];
  if (!major) throw new Error(`${runtime.name} is not a Node.js Lambda runtime`);
  return `node${major}`;
}

/**
 * The files of the built authorizer (scripts/bundle-authorizer.ts): `index.js`, the handlers, and
 * `logger.js`, which `index.js` loads when it writes its first log line. The construct adds
 * `route-scopes.json`.
 */
export const AUTHORIZER_BUNDLE_FILES: readonly string[] = ['index.js', 'logger.js'];

/** Where the authorizer bundle lives: built by `npm run build` (scripts/bundle-authorizer.ts). */
export function authorizerBundleDir(): string {
  const candidates = [
    join(__dirname, '..', '..', 'authorizer'), // dist/lib/authorizer -> dist/authorizer (installed package)
    join(__dirname, '..', '..', 'dist', 'authorizer'), // lib/authorizer -> dist/authorizer (source checkout)
  ];
  const found = candidates.find((dir) => AUTHORIZER_BUNDLE_FILES.every((file) => existsSync(join(dir, file))));
  if (!found) {
    throw new Error(`The JWT authorizer bundle is missing (looked in ${candidates.join(', ')}); run "npm run build" first`);
  }
  return found;
}

/** The token settings (`JwtSettings`: issuer, audience, key set, claims) and where the function runs. */
export interface JwtAuthorizerFunctionProps extends JwtSettings {
  /** Gateway name, prefix of the function's description and log group. */
  readonly gatewayName: string;
  /**
   * Required scopes per route key (`ANY /orders/{proxy+}`); the function denies route keys not listed.
   */
  readonly routeScopes: Readonly<Record<string, readonly string[]>>;
  /** Retention of the function's log group. */
  readonly logRetention: logs.RetentionDays;
  /**
   * Which front door calls it: the HTTP API (payload 2.0, simple responses) or a REST API (REQUEST
   * authorizer, IAM policy responses). Both share one verification core.
   *
   * @default 'http'
   */
  readonly frontDoor?: 'http' | 'rest';
}

/**
 * The Lambda function of the bundled jose JWT authorizer: the pre-built bundle plus a
 * `route-scopes.json` written from the map, arm64, with a role that may only write its own logs.
 */
export class JwtAuthorizerFunction extends Construct {
  readonly function: lambda.Function;
  readonly logGroup: logs.LogGroup;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: JwtAuthorizerFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.gatewayName} JWT authorizer: writes its own logs, nothing else`,
    });
    // Least privilege instead of AWSLambdaBasicExecutionRole (which allows every log group).
    // The log group's ARN ends in ":*" (its log streams, named at run time): nothing narrower exists.
    this.role.addToPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [this.logGroup.logGroupArn] }));
    const logGroupId = Stack.of(this).getLogicalId(this.logGroup.node.defaultChild as logs.CfnLogGroup);
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logGroupId}.Arn>:*]`,
      reason: "Log streams of the authorizer's own log group: Lambda names them at run time.",
    });

    this.function = new lambda.Function(this, 'Function', {
      description: `${props.gatewayName} gateway: verifies JWTs (jose) for API Gateway`,
      runtime: AUTHORIZER_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      handler: props.frontDoor === 'rest' ? 'index.restHandler' : 'index.handler',
      code: lambda.Code.fromAsset(stageAsset(props.routeScopes)),
      memorySize: 512,
      timeout: Duration.seconds(3),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: authorizerEnvironment(props),
    });
    this.function.node.addDependency(this.role);
  }
}

export { authorizerEnvironment, jwtSettings, type JwtSettings } from '../service-map/conventions';

/**
 * Copies the bundle and writes the route scopes beside it, in a folder named by their content hash:
 * repeated synths reuse it instead of leaving a new temporary folder each time, and the asset hash
 * follows the content only. The folder is reused only when its files hold exactly these bytes.
 */
function stageAsset(routeScopes: Readonly<Record<string, readonly string[]>>): string {
  const bundleDir = authorizerBundleDir();
  const sorted = Object.fromEntries(Object.keys(routeScopes).sort().map((k) => [k, [...routeScopes[k]].sort()]));
  const files: Array<[string, Buffer]> = [
    ...AUTHORIZER_BUNDLE_FILES.map((name): [string, Buffer] => [name, readFileSync(join(bundleDir, name))]),
    ['route-scopes.json', Buffer.from(`${JSON.stringify(sorted)}\n`)],
  ];
  const hash = createHash('sha256');
  for (const [name, content] of files) hash.update(name).update('\0').update(content).update('\0');
  const dir = join(stagingRoot(), `authorizer-${hash.digest('hex').slice(0, 16)}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Atomic replacements, never a removal of the folder: a parallel synth may be copying it right now.
  for (const [name, content] of files) if (!sameContent(join(dir, name), content)) writeAtomically(join(dir, name), content);
  for (const extra of readdirSync(dir).filter((name) => !files.some(([f]) => f === name))) rmSync(join(dir, extra), { recursive: true, force: true });
  return dir;
}

/**
 * A staging folder only this user can write: the authorizer code deployed comes from it, so nobody
 * else on a shared build machine may plant files there. Falls back to a fresh private folder when the
 * usual one is not ours.
 */
function stagingRoot(): string {
  const uid = process.getuid?.();
  const root = join(tmpdir(), `cdk-service-gateway-${uid ?? 'user'}`);
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const stat = lstatSync(root);
  const ours = stat.isDirectory() && (uid === undefined || (stat.uid === uid && (stat.mode & 0o077) === 0));
  return ours ? root : mkdtempSync(join(tmpdir(), 'cdk-service-gateway-'));
}

function sameContent(file: string, content: Buffer): boolean {
  try {
    return readFileSync(file).equals(content);
  } catch {
    return false;
  }
}

/** Parallel synths (test workers) may stage the same folder: never let one read a half-written file. */
function writeAtomically(file: string, content: Buffer): void {
  // The temporary file sits beside the folder, not in it: the folder is the asset, copied as it is.
  const temp = join(dirname(dirname(file)), `.staging-${process.pid}-${Math.random().toString(36).slice(2)}`);
  writeFileSync(temp, content);
  renameSync(temp, file);
}
