/**
 * Reading a service map file (JSON or YAML) for the CLI and the CDK app: the first step of map -> plan ->
 * constructs / verify / diff. It lives in lib so that lib never imports bin.
 */
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';

/** A map file that cannot be read or parsed. */
export class MapFileError extends Error {
  /** @param detail the problem without the file name, for callers that name the file themselves */
  constructor(message: string, readonly detail: string = message) {
    super(message);
  }
}

/** JSON.parse on Node 20 names a character position only: add its line and column. */
function withLineAndColumn(message: string, text: string): string {
  const m = /at position (\d+)/.exec(message);
  if (!m || /line \d+/.test(message)) return message;
  const before = text.slice(0, Number(m[1])).split('\n');
  return `${message} (line ${before.length}, column ${before[before.length - 1].length + 1})`;
}

// lib/service-map -> examples when run from source, or dist/lib/service-map -> examples when built.
const EXAMPLE_CANDIDATES = [join(__dirname, '..', '..', 'examples', 'school.json'), join(__dirname, '..', '..', '..', 'examples', 'school.json')];

/** The bundled example map (a school platform of three services). */
export const EXAMPLE_MAP = EXAMPLE_CANDIDATES.find((candidate) => existsSync(candidate)) ?? EXAMPLE_CANDIDATES[0];

/**
 * Reads a map from JSON or YAML (by extension), or the bundled example when `file` is undefined.
 * Returns the parsed, not yet validated, map.
 */
export function loadServiceMapFile(file: string | undefined): { map: unknown; path?: string } {
  const path = file ? resolve(file) : EXAMPLE_MAP;
  let text: string;
  try {
    // Editors on Windows may start the file with a UTF-8 byte-order mark; JSON.parse would reject it.
    text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new MapFileError(`serviceMap: cannot read "${file ?? path}" (${why})`, `cannot read it (${why})`);
  }
  if (text.trim() === '') {
    throw new MapFileError(`serviceMap: "${file ?? path}" is empty (a service map needs at least "name" and "services")`, 'it is empty (a service map needs at least "name" and "services")');
  }
  try {
    const ext = extname(path).toLowerCase();
    const map = ext === '.yaml' || ext === '.yml' ? parseYaml(text) : JSON.parse(text);
    return { map, path: file ? path : undefined };
  } catch (e) {
    const known = ['.json', '.yaml', '.yml'].includes(extname(path).toLowerCase());
    const yaml = /\.ya?ml$/i.test(path);
    const detail = `not valid ${yaml ? 'YAML' : 'JSON'}: ${yaml ? (e as Error).message : withLineAndColumn((e as Error).message, text).replace(/\s*\n\s*/g, ' ')}${known ? '' : ' (a service map file is JSON, .json, or YAML, .yaml or .yml; "cdk-service-gateway import" turns an NGINX, Kong or Copilot file into one)'}`;
    throw new MapFileError(`serviceMap: "${file ?? path}" is ${detail}`, `it is ${detail}`);
  }
}
