/**
 * Finds a stack's template in a local cloud assembly (`cdk.out`), the way the CDK CLI does: through
 * `manifest.json`, where a stack artifact may carry a `stackName` different from its artifact id and
 * stacks inside a `Stage` live in nested assemblies.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CannotVerifyError } from '../errors';

interface Manifest {
  readonly artifacts?: Record<string, Artifact>;
}

interface Artifact {
  readonly type: string;
  readonly displayName?: string;
  readonly properties?: { readonly templateFile?: string; readonly stackName?: string; readonly directoryName?: string };
}

/**
 * The template body of the named stack in a cloud assembly directory.
 *
 * @throws CannotVerifyError when the directory is not an assembly or has no such stack
 */
export function readAssemblyTemplate(directory: string, stackName: string): { body: string; file: string } {
  const found: string[] = [];
  const file = findTemplateFile(directory, stackName, found);
  if (!file) {
    const known = found.length > 0 ? found.join(', ') : 'none';
    throw new CannotVerifyError(`No stack named "${stackName}" in the cloud assembly ${directory} (stacks: ${known})`);
  }
  return { body: readFileSync(file, 'utf8'), file };
}

function findTemplateFile(directory: string, stackName: string, found: string[]): string | undefined {
  const manifestFile = join(directory, 'manifest.json');
  if (!existsSync(manifestFile)) {
    throw new CannotVerifyError(`${directory} is not a cloud assembly (no manifest.json); run "cdk synth" first or check --cdk-out`);
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
  } catch (err) {
    throw new CannotVerifyError(`${manifestFile} is not valid JSON: ${(err as Error).message}`);
  }
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type === 'aws:cloudformation:stack') {
      const name = artifact.properties?.stackName ?? id;
      found.push(name);
      if (name === stackName && artifact.properties?.templateFile) return join(directory, artifact.properties.templateFile);
    } else if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
      const nested = findTemplateFile(join(directory, artifact.properties.directoryName), stackName, found);
      if (nested) return nested;
    }
  }
  return undefined;
}
