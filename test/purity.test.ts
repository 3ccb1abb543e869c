// shared/ is the game itself: pure and deterministic. This test fails the build if any
// file there reaches for Node, Colyseus, Phaser, the clock or unseeded randomness.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SHARED = fileURLToPath(new URL('../shared', import.meta.url));

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

const FORBIDDEN: [RegExp, string][] = [
  [/from\s+['"](node:|fs['"]|path['"]|os['"]|crypto['"]|child_process|worker_threads)/, 'a Node module'],
  [/from\s+['"](colyseus|@colyseus\/)/, 'Colyseus'],
  [/from\s+['"]phaser/, 'Phaser'],
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
  });
});
