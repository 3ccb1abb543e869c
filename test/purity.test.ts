// shared/ is the game itself: pure and deterministic. This test fails the build if any
// file there reaches for Node, Colyseus, Phaser, the clock or unseeded randomness, and if
// the client reaches into the server (the contracts both use live in shared/).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SHARED = fileURLToPath(new URL('../shared', import.meta.url));
const CLIENT = fileURLToPath(new URL('../client', import.meta.url));

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (/\.(ts|js|mjs)$/.test(p)) out.push(p);
  }
  return out;
}

const FORBIDDEN: [RegExp, string][] = [
  [/from\s+['"](node:|fs['"]|path['"]|os['"]|crypto['"]|child_process|worker_threads)/, 'a Node module'],
  [/from\s+['"](colyseus|@colyseus\/)/, 'Colyseus'],
  [/from\s+['"]phaser/, 'Phaser'],
  [/(from\s*|import\s*\(\s*)['"](\.\.\/)+(server|client)\//, 'server/ or client/'],
  [/require\(/, 'require()'],
  [/\bMath\.random\b/, 'Math.random'],
  [/\bDate\.now\b|\bnew Date\b|\bDate\(/, 'the clock (Date)'],
  [/\bperformance\.now\b/, 'the clock (performance.now)'],
  [/\bset(Timeout|Interval|Immediate)\b/, 'timers'],
  [/\bprocess\./, 'process'],
];

describe('shared/ stays pure', () => {
  const all = files(SHARED);
  it('has source files to check', () => {
    expect(all.length).toBeGreaterThan(10);
  });
  for (const f of all) {
    it(f.slice(SHARED.length + 1), () => {
      const text = readFileSync(f, 'utf8')
        .split('\n')
        .filter((l) => !/^\s*(\/\/|\*)/.test(l))
        .join('\n');
      for (const [re, what] of FORBIDDEN) expect(re.test(text), `${f} uses ${what}`).toBe(false);
    });
  }
  it('would catch a violation', () => {
    expect(FORBIDDEN.some(([re]) => re.test("import x from 'node:fs'"))).toBe(true);
    expect(FORBIDDEN.some(([re]) => re.test('const r = Math.random();'))).toBe(true);
    expect(FORBIDDEN.some(([re]) => re.test("import type { ClusterState } from '../../server/rooms/schema.js';"))).toBe(true);
  });
});

// Any module specifier that climbs into server/: `from '…/server/…'` (import, import type,
// export … from) and `import('…/server/…')`.
const SERVER_IMPORT = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.\.\/)+server\//;

describe('client/ never imports server/', () => {
  const all = files(CLIENT).filter((f) => !f.includes('node_modules'));
  it('has source files to check', () => {
    expect(all.length).toBeGreaterThan(10);
  });
  for (const f of all) {
    it(f.slice(CLIENT.length + 1), () => {
      expect(SERVER_IMPORT.test(readFileSync(f, 'utf8')), `${f} imports from server/`).toBe(false);
    });
  }
  it('would catch a violation', () => {
    expect(SERVER_IMPORT.test("import { ClusterState } from '../../server/rooms/schema.js';")).toBe(true);
    expect(SERVER_IMPORT.test("import type { RoundListItem } from '../../server/store/types.js';")).toBe(true);
    expect(SERVER_IMPORT.test("export type { DebriefJson } from '../server/rooms/schema.js';")).toBe(true);
    expect(SERVER_IMPORT.test("const m = await import('../../../server/rooms/projection.js');")).toBe(true);
    expect(SERVER_IMPORT.test("import '../../server/rooms/schema.js';")).toBe(true);
    expect(SERVER_IMPORT.test("import { x } from '../../shared/view/round.js';")).toBe(false);
  });
});

// Folder-level layering of shared/: scenarios below sim, sim below protocol, and so on. A
// cycle between folders means neither can be understood (or tested) without the other.
describe('shared/ folders import each other without cycles', () => {
  const graph = folderGraph(files(SHARED));
  it('has folders that import each other', () => {
    expect([...graph.values()].some((to) => to.size > 0)).toBe(true);
  });
  it('has no cycle', () => {
    expect(cycleIn(graph)).toBeNull();
  });
  it('would catch a cycle', () => {
    const g = new Map([['sim', new Set(['scenarios'])], ['scenarios', new Set(['protocol'])], ['protocol', new Set(['sim'])], ['round', new Set(['sim'])]]);
    expect(cycleIn(g)).toEqual(['sim', 'scenarios', 'protocol', 'sim']);
    expect(cycleIn(new Map([['sim', new Set(['scenarios'])], ['scenarios', new Set<string>()]]))).toBeNull();
    expect([...importedFolders("import type { X } from '../sim/state.js';\nexport { Y } from './y.js';\n} from '../scenarios/types.js';")]).toEqual(['sim', 'scenarios']);
  });
});

/** Folder → the other shared/ folders its files import (type-only imports and re-exports count). */
function folderGraph(all: string[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const f of all) {
    const folder = f.slice(SHARED.length + 1).split(/[\\/]/)[0]!;
    if (!graph.has(folder)) graph.set(folder, new Set());
    for (const to of importedFolders(readFileSync(f, 'utf8'))) if (to !== folder) graph.get(folder)!.add(to);
  }
  return graph;
}

function importedFolders(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/\bfrom\s+['"]\.\.\/([\w-]+)\//g)) out.add(m[1]!);
  for (const m of text.matchAll(/\bimport\(\s*['"]\.\.\/([\w-]+)\//g)) out.add(m[1]!);
  return out;
}

/** The first cycle found, as a path that ends where it starts, or null. */
function cycleIn(graph: Map<string, Set<string>>): string[] | null {
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (node: string): string[] | null => {
    const at = path.indexOf(node);
    if (at >= 0) return [...path.slice(at), node];
    if (done.has(node)) return null;
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const found = visit(next);
      if (found !== null) return found;
    }
    path.pop();
    done.add(node);
    return null;
  };
  for (const node of graph.keys()) {
    const found = visit(node);
    if (found !== null) return found;
  }
  return null;
}
