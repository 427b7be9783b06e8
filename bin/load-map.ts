import { readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';

/** A map file that cannot be read or parsed. */
export class MapFileError extends Error {}

/** The bundled example map (a school platform of three services). */
export const EXAMPLE_MAP = join(__dirname, '..', '..', 'examples', 'school.json');

/**
 * Reads a map from JSON or YAML (by extension), or the bundled example when `file` is undefined.
 * Returns the parsed, not yet validated, map.
 */
export function loadServiceMapFile(file: string | undefined): { map: unknown; path?: string } {
  const path = file ? resolve(file) : exampleMapPath();
  let text: string;
  try {
    // Editors on Windows may start the file with a UTF-8 byte-order mark; JSON.parse would reject it.
    text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  } catch (e) {
    throw new MapFileError(`serviceMap: cannot read "${file ?? path}" (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    const ext = extname(path).toLowerCase();
    const map = ext === '.yaml' || ext === '.yml' ? parseYaml(text) : JSON.parse(text);
    return { map, path: file ? path : undefined };
  } catch (e) {
    throw new MapFileError(`serviceMap: "${file ?? path}" is not valid ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'}: ${(e as Error).message}`);
  }
}

function exampleMapPath(): string {
  // dist/bin -> examples, or bin -> examples when run from source.
  for (const candidate of [EXAMPLE_MAP, join(__dirname, '..', 'examples', 'school.json')]) {
    try {
      readFileSync(candidate);
      return candidate;
    } catch {
      /* try the next */
    }
  }
  return EXAMPLE_MAP;
}
