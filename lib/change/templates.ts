/**
 * The templates a change is judged on: each stack of a cloud assembly (`cdk.out`) with its nested
 * stacks, read the way CloudFormation deploys them.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Input the diff cannot read: exit code 2. */
export class DiffInputError extends Error {}

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
  readonly [key: string]: unknown;
}

export interface CfnTemplate {
  readonly Parameters?: Record<string, unknown>;
  readonly Resources?: Record<string, CfnResource>;
}

/** A stack's template and, by the logical id of their `AWS::CloudFormation::Stack` resource, its nested stacks. */
export interface StackTemplate {
  readonly template: CfnTemplate;
  readonly nested: ReadonlyMap<string, StackTemplate>;
  /** A cloud assembly's stack: its environment as the manifest gives it, `aws://<account>/<region>` (`unknown-account` / `unknown-region` when environment-agnostic). */
  readonly environment?: string;
}

/** Every stack of an assembly by stack name (stacks of nested assemblies, i.e. Stages, included). */
export function readCloudAssembly(directory: string): Map<string, StackTemplate> {
  if (!existsSync(join(directory, 'manifest.json'))) {
    throw new DiffInputError(`${directory} is not a cloud assembly (no manifest.json); run "cdk synth" first, or give a service map file`);
  }
  const stacks = new Map<string, StackTemplate>();
  collectStacks(directory, stacks);
  if (stacks.size === 0) throw new DiffInputError(`${directory}: the cloud assembly holds no stack`);
  return stacks;
}

interface Manifest {
  readonly artifacts?: Record<
    string,
    { type: string; environment?: string; properties?: { templateFile?: string; stackName?: string; directoryName?: string; flags?: Record<string, { userValue?: unknown }> } }
  >;
}

/**
 * The feature flags the app that synthesized an assembly set (its `cdk.json` context), from aws-cdk-lib's
 * feature-flag report in the manifest: a map synthesized to compare with the assembly needs the same ones.
 */
export function assemblyFeatureFlags(directory: string): Record<string, unknown> {
  const flags: Record<string, unknown> = {};
  const collect = (dir: string) => {
    for (const artifact of Object.values(readJson<Manifest>(join(dir, 'manifest.json')).artifacts ?? {})) {
      if (artifact.type === 'cdk:feature-flag-report') {
        for (const [flag, report] of Object.entries(artifact.properties?.flags ?? {})) if (report.userValue !== undefined) flags[flag] = report.userValue;
      } else if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
        collect(join(dir, artifact.properties.directoryName));
      }
    }
  };
  collect(directory);
  return flags;
}

function collectStacks(directory: string, into: Map<string, StackTemplate>): void {
  const manifest = readJson<Manifest>(join(directory, 'manifest.json'));
  const assetFiles = fileAssets(directory);
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    const props = artifact.properties ?? {};
    if (artifact.type === 'aws:cloudformation:stack' && props.templateFile) {
      into.set(props.stackName ?? id, { ...readStack(directory, props.templateFile, assetFiles, new Set()), environment: artifact.environment });
    } else if (artifact.type === 'cdk:cloud-assembly' && props.directoryName) {
      collectStacks(join(directory, props.directoryName), into);
    }
  }
}

function readStack(directory: string, file: string, assetFiles: ReadonlyMap<string, string>, seen: Set<string>): StackTemplate {
  const template = readJson<CfnTemplate>(join(directory, file));
  const nested = new Map<string, StackTemplate>();
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    if (resource.Type !== 'AWS::CloudFormation::Stack') continue;
    const nestedFile = nestedTemplateFile(resource, assetFiles);
    if (!nestedFile || seen.has(nestedFile)) continue;
    nested.set(logicalId, readStack(directory, nestedFile, assetFiles, new Set([...seen, nestedFile])));
  }
  return { template, nested };
}

/** The nested template's file: from the asset path CDK records, or the file asset whose hash the template URL names. */
function nestedTemplateFile(resource: CfnResource, assetFiles: ReadonlyMap<string, string>): string | undefined {
  const recorded = resource.Metadata?.['aws:asset:path'];
  if (typeof recorded === 'string') return recorded;
  const url = JSON.stringify(resource.Properties?.TemplateURL ?? '');
  for (const [hash, path] of assetFiles) if (url.includes(hash)) return path;
  return undefined;
}

/** File assets of every asset manifest in the directory: hash -> path of its source in the directory. */
function fileAssets(directory: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of readdirSync(directory).filter((n) => n.endsWith('.assets.json'))) {
    const manifest = readJson<{ files?: Record<string, { source?: { path?: string; packaging?: string } }> }>(join(directory, f));
    for (const [hash, asset] of Object.entries(manifest.files ?? {})) {
      const path = asset.source?.path;
      if (path && asset.source?.packaging !== 'zip' && path.endsWith('.json') && existsSync(join(directory, path)) && statSync(join(directory, path)).isFile()) {
        out.set(hash, path);
      }
    }
  }
  return out;
}

function readJson<T>(file: string): T {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new DiffInputError(`cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new DiffInputError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}
