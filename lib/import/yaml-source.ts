/**
 * A YAML or JSON source (Kong, Copilot) with the line of every field, through the `yaml` package the map
 * loader uses (JSON is YAML, so one parser reads both and gives positions for both).
 */
import { LineCounter, isMap, isSeq, parseDocument, type Document } from 'yaml';
import { ImportError } from './common';

export interface YamlSource {
  readonly file: string;
  readonly value: unknown;
  /** The 1-based line of the node at `path` (keys and list indexes), or of its nearest parent that exists. */
  lineOf(path: ReadonlyArray<string | number>): number | undefined;
}

export function parseYamlSource(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const line = e.linePos?.[0]?.line ?? (e.pos ? lineCounter.linePos(e.pos[0]).line : undefined);
    throw new ImportError(file, line, `not valid YAML or JSON: ${e.message.split('\n')[0]}`);
  }
  const value = doc.toJS({ maxAliasCount: 100 });
  return {
    file,
    value,
    lineOf(path) {
      let node: unknown = doc.contents;
      let line: number | undefined = lineOfNode(node, lineCounter);
      for (const key of path) {
        if (isMap(node)) {
          const pair = node.items.find((p) => (p.key as { value?: unknown })?.value === key);
          if (!pair) break;
          line = lineOfNode(pair.key, lineCounter) ?? line;
          node = pair.value;
        } else if (isSeq(node) && typeof key === 'number') {
          node = node.items[key];
          line = lineOfNode(node, lineCounter) ?? line;
        } else break;
      }
      return line;
    },
  };
}

function lineOfNode(node: unknown, counter: LineCounter): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? counter.linePos(range[0]).line : undefined;
}
