import { mkdirSync, mkdtempSync, copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Where the authorizer bundle lives: built by `npm run build` (scripts/bundle-authorizer.ts). */
export function authorizerBundleDir(): string {
  const candidates = [
    join(__dirname, '..', '..', 'authorizer'), // dist/lib/authorizer -> dist/authorizer (installed package)
    join(__dirname, '..', '..', 'dist', 'authorizer'), // lib/authorizer -> dist/authorizer (source checkout)
  ];
  const found = candidates.find((dir) => existsSync(join(dir, 'index.js')));
  if (!found) {
    throw new Error(`The JWT authorizer bundle is missing (looked in ${candidates.join(', ')}); run "npm run build" first`);
  }
  return found;
}

export interface JwtAuthorizerFunctionProps {
  /** Gateway name, prefix of the function's description and log group. */
  readonly gatewayName: string;
  readonly issuer: string;
  readonly audience: readonly string[];
  readonly jwksUri: string;
  readonly algorithms: readonly string[];
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
    this.role.addToPolicy(
      new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [this.logGroup.logGroupArn, `${this.logGroup.logGroupArn}:*`] }),
    );

    this.function = new lambda.Function(this, 'Function', {
      description: `${props.gatewayName} gateway: verifies JWTs (jose) for API Gateway`,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      handler: props.frontDoor === 'rest' ? 'index.restHandler' : 'index.handler',
      code: lambda.Code.fromAsset(stageAsset(props.routeScopes)),
      memorySize: 512,
      timeout: Duration.seconds(3),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: {
        JWKS_URI: props.jwksUri,
        JWT_ISSUER: props.issuer,
        JWT_AUDIENCE: props.audience.join(','),
        JWT_ALGORITHMS: props.algorithms.join(','),
        POWERTOOLS_SERVICE_NAME: `${props.gatewayName}-authorizer`,
        POWERTOOLS_LOG_LEVEL: 'INFO',
      },
    });
    this.function.node.addDependency(this.role);
  }
}

/** Copies the bundle and writes the route scopes beside it; the asset hash follows the content only. */
function stageAsset(routeScopes: Readonly<Record<string, readonly string[]>>): string {
  const bundle = authorizerBundleDir();
  const dir = mkdtempSync(join(tmpdir(), 'csg-authorizer-'));
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(bundle, 'index.js'), join(dir, 'index.js'));
  const sorted = Object.fromEntries(Object.keys(routeScopes).sort().map((k) => [k, [...routeScopes[k]].sort()]));
  writeFileSync(join(dir, 'route-scopes.json'), `${JSON.stringify(sorted)}\n`);
  return dir;
}
