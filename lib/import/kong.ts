import type { ImportOptions, ImportOutcome } from './outcome';
import type { YamlSource } from './yaml-source';
export function importKong(_s: YamlSource, _o: ImportOptions): ImportOutcome { throw new Error('todo'); }
