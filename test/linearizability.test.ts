import { describe, expect, it } from 'vitest';
import {
  checkHistory,
  checkKey,
  parseHistory,
  type History,
  type HistoryOp,
} from './support/linearizability.js';
import { mulberry32 } from './support/prng.js';

// --- builders ---------------------------------------------------------------------------

type Type = HistoryOp['type'];

function w(process: number, value: number, invoke: number, complete: number | null, type: Type = 'ok', key = 'k'): HistoryOp {
  return { process, key, f: 'write', value, invoke, complete: type === 'info' ? null : complete, type };
}

function r(process: number, value: HistoryOp['value'], invoke: number, complete: number | null, type: Type = 'ok', key = 'k'): HistoryOp {
  return { process, key, f: 'read', value, invoke, complete: type === 'info' ? null : complete, type };
}

function history(ops: HistoryOp[]): History {
  const sorted = [...ops].sort((a, b) => a.invoke - b.invoke);
  return { format: 'splitbrain-history/1', scenario: 'test', seed: 1, settings: {}, ops: sorted };
}

const verdict = (ops: HistoryOp[]): string => checkKey(ops).verdict;


// --- hand-made histories ----------------------------------------------------------------

describe('checkKey on hand-made histories', () => {
  it('accepts a sequential history', () => {
    expect(verdict([r(1, null, 0, 1), w(1, 1, 2, 3), r(2, 1, 4, 5), w(2, 2, 6, 7), r(1, 2, 8, 9)])).toBe('linearizable');
  });

  it('accepts an empty history', () => {
    expect(checkKey([])).toMatchObject({ verdict: 'linearizable', ops: 0 });
  });

  it('flags a stale read after two acked writes', () => {
    const res = checkKey([w(1, 1, 0, 1), w(1, 2, 2, 3), r(2, 1, 4, 5)]);
    expect(res.verdict).toBe('violation');
    expect(res.detail).toContain('read → 1');
  });

  it('accepts a read concurrent with a write seeing either the old or the new value', () => {
    const base = [w(1, 1, 0, 1), w(1, 2, 10, 20)];
    expect(verdict([...base, r(2, 1, 12, 15)])).toBe('linearizable');
    expect(verdict([...base, r(2, 2, 12, 15)])).toBe('linearizable');
    // Overlapping only at the edge: equal times are concurrent.
    expect(verdict([...base, r(2, 1, 20, 25)])).toBe('linearizable');
    expect(verdict([...base, r(2, 1, 20.001, 25)])).toBe('violation');
  });

  it('flags a new-then-old inversion during one long write', () => {
    const ops = [w(1, 1, 0, 1), w(1, 2, 10, 100), r(2, 2, 20, 30), r(2, 1, 40, 50)];
    expect(verdict(ops)).toBe('violation');
    // The other order (old then new) is fine.
    expect(verdict([w(1, 1, 0, 1), w(1, 2, 10, 100), r(2, 1, 20, 30), r(2, 2, 40, 50)])).toBe('linearizable');
  });

  it('flags a read that completed before its write was invoked', () => {
    expect(verdict([r(2, 1, 0, 5), w(1, 1, 6, 8), r(3, 1, 6, 9)])).toBe('violation');
    expect(verdict([r(2, 1, 0, 6), w(1, 1, 6, 8), r(3, 1, 6, 9)])).toBe('linearizable'); // equal times: concurrent
  });

  it('flags a null read after an acked write', () => {
    expect(verdict([w(1, 1, 0, 1), r(2, null, 2, 3)])).toBe('violation');
    expect(verdict([w(1, 1, 0, 5), r(2, null, 2, 3)])).toBe('linearizable');
  });

  it('accepts an info write that a later read saw', () => {
    expect(verdict([w(1, 1, 0, 1), w(2, 2, 5, null, 'info'), r(3, 2, 100, 101), r(3, 2, 200, 201)])).toBe('linearizable');
  });

  it('accepts an info write that nobody read, even long after', () => {
    expect(verdict([w(1, 1, 0, 1), w(2, 2, 5, null, 'info'), r(3, 1, 100, 101), w(1, 3, 150, 160), r(3, 3, 200, 201)])).toBe(
      'linearizable',
    );
  });

  it('flags an info write whose value was read before it was invoked', () => {
    const res = checkKey([w(2, 2, 50, null, 'info'), r(3, 2, 10, 20)]);
    expect(res.verdict).toBe('violation');
    expect(res.detail).toMatch(/before .*was invoked/);
  });

  it('flags the old value coming back after an info write was seen', () => {
    // Once a read saw 2, the info write took effect before it; 1 cannot return.
    expect(verdict([w(1, 1, 0, 1), w(2, 2, 10, null, 'info'), r(3, 2, 20, 21), r(3, 1, 30, 31)])).toBe('violation');
  });

  it('flags a read of a value only a failed write wrote', () => {
    const res = checkKey([w(1, 1, 0, 1), w(2, 2, 5, 6, 'fail'), r(3, 2, 10, 11)]);
    expect(res.verdict).toBe('violation');
    expect(res.detail).toContain('failed write');
  });

  it('ignores failed writes nobody read', () => {
    expect(verdict([w(1, 1, 0, 1), w(2, 2, 5, 6, 'fail'), r(3, 1, 10, 11)])).toBe('linearizable');
  });

  it('ignores info reads, whatever they claim', () => {
    expect(verdict([w(1, 1, 0, 1), w(1, 2, 2, 3), r(2, 1, 4, null, 'info'), r(2, [7, 8], 4, null, 'info')])).toBe(
      'linearizable',
    );
  });

  it('skips keys with sibling reads', () => {
    const res = checkKey([w(1, 1, 0, 5), w(2, 2, 0, 5), r(3, [1, 2], 10, 11)]);
    expect(res.verdict).toBe('skipped');
    expect(res.detail).toContain('siblings');
    // A single "sibling" is an ordinary value.
    expect(verdict([w(1, 1, 0, 5), r(3, [1], 10, 11)])).toBe('linearizable');
    expect(verdict([w(1, 1, 0, 5), w(1, 2, 6, 7), r(3, [1], 10, 11)])).toBe('violation');
  });

  // 14 concurrent writes, then sequential reads of two of them: refuting it means trying
  // every (subset of writes, last write) pair, far over a 1,000-step budget.
  const expensive = (): HistoryOp[] => {
    const ops: HistoryOp[] = [];
    for (let i = 1; i <= 14; i++) ops.push(w(i, i, 0, 10), r(100 + i, i, 30 + 2 * i, 31 + 2 * i));
    ops.push(r(99, 1, 20, 21), r(99, 2, 22, 23));
    return ops;
  };

  it('decides keys over the step budget with the zone test', () => {
    const res = checkKey(expensive(), { maxSteps: 1_000 });
    expect(res.verdict).toBe('violation');
    expect(res.detail).toContain('zone test');
    expect(checkKey(expensive()).verdict).toBe('violation'); // the search alone agrees
    // maxSteps 0 sends everything to the zone test.
    expect(checkKey([w(1, 1, 0, 1), w(2, 2, 0, 10), r(3, 2, 2, 3), r(3, 2, 4, 5)], { maxSteps: 0 }).verdict).toBe('linearizable');
    expect(checkKey([w(1, 1, 0, 1), w(2, 2, 0, 10), r(3, 2, 2, 3), r(3, 1, 4, 5)], { maxSteps: 0 }).verdict).toBe('violation');
  });

  it('reports unknown over the budget when values repeat (no zone test)', () => {
    // Breaks the unique-values contract, so only the search applies.
    const ops = [...expensive(), w(50, 1, 0, 10)];
    const res = checkKey(ops, { maxSteps: 1_000 });
    expect(res.verdict).toBe('unknown');
    expect(checkHistory(history(ops), { maxStepsPerKey: 1_000 }).linearizable).toBe(false);
    expect(checkKey(ops).verdict).toBe('violation');
  });

  it('handles repeated values exactly with the search', () => {
    // Two writes of 1: reading 1 after 2 is fine if the second write of 1 came last.
    expect(verdict([w(1, 1, 0, 1), w(1, 2, 2, 3), w(2, 1, 2, 5), r(3, 1, 6, 7)])).toBe('linearizable');
    expect(verdict([w(1, 1, 0, 1), w(2, 1, 2, 3), w(1, 2, 4, 5), r(3, 1, 6, 7)])).toBe('violation');
  });

  it('rejects ops of several keys and malformed ops', () => {
    expect(() => checkKey([w(1, 1, 0, 1, 'ok', 'a'), w(1, 2, 2, 3, 'ok', 'b')])).toThrow(/several keys/);
    expect(() => checkKey([{ ...w(1, 1, 0, 1), value: null }])).toThrow(/value/);
  });
});

describe('checkHistory', () => {
  it('reports exactly the bad key of a multi-key history', () => {
    const ops = [
      w(1, 1, 0, 1, 'ok', 'a'),
      r(2, 1, 2, 3, 'ok', 'a'),
      w(1, 1, 0, 1, 'ok', 'b'),
      w(1, 2, 2, 3, 'ok', 'b'),
      r(2, 1, 4, 5, 'ok', 'b'), // stale
      w(3, 1, 0, 5, 'ok', 'c'),
      w(4, 2, 0, 5, 'ok', 'c'),
      r(5, [1, 2], 6, 7, 'ok', 'c'),
      r(5, null, 0, 1, 'ok', 'd'),
    ];
    const res = checkHistory(history(ops));
    expect(res.linearizable).toBe(false);
    expect(res.violations).toEqual(['b']);
    expect(res.keys.map((k) => [k.key, k.verdict, k.ops])).toEqual([
      ['a', 'linearizable', 2],
      ['b', 'violation', 3],
      ['c', 'skipped', 3],
      ['d', 'linearizable', 1],
    ]);
  });

  it('counts skipped keys as not breaking linearizability', () => {
    const ops = [w(1, 1, 0, 1, 'ok', 'a'), w(3, 1, 0, 5, 'ok', 'c'), w(4, 2, 0, 5, 'ok', 'c'), r(5, [1, 2], 6, 7, 'ok', 'c')];
    expect(checkHistory(history(ops))).toMatchObject({ linearizable: true, violations: [] });
  });
});

describe('parseHistory', () => {
  const good = history([w(1, 1, 0, 1), r(2, 1, 2, 3), { ...w(3, 2, 4, null, 'info'), final: true }]);

  it('round-trips a valid file and keeps extra fields', () => {
    const parsed = parseHistory(JSON.stringify(good));
    expect(parsed).toEqual(good);
    expect(checkHistory(parsed).linearizable).toBe(true);
  });

  it('throws clear errors on malformed files', () => {
    expect(() => parseHistory('{')).toThrow(/not valid JSON/);
    expect(() => parseHistory('[]')).toThrow(/JSON object/);
    expect(() => parseHistory(JSON.stringify({ ...good, format: 'other/2' }))).toThrow(/format/);
    expect(() => parseHistory(JSON.stringify({ ...good, seed: 'x' }))).toThrow(/seed/);
    expect(() => parseHistory(JSON.stringify({ ...good, ops: {} }))).toThrow(/"ops" must be an array/);
    const { settings: _, ...noSettings } = good;
    expect(() => parseHistory(JSON.stringify(noSettings))).toThrow(/settings/);
    const badOp = { ...good, ops: [...good.ops, { ...w(1, 5, 10, 11), f: 'cas' }] };
    expect(() => parseHistory(JSON.stringify(badOp))).toThrow(/ops\[3\].*"f"/);
    const okWithoutEnd = { ...good, ops: [{ ...w(1, 5, 10, 11), complete: null }] };
    expect(() => parseHistory(JSON.stringify(okWithoutEnd))).toThrow(/ops\[0\].*complete/);
  });
});

// --- generated histories ----------------------------------------------------------------

/**
 * Simulates clients of a real atomic register: each op takes effect at a random instant
 * inside [invoke, complete], and reads return whatever the register holds then. Some
 * writes fail (no effect) or time out as info (effect or not); some reads are info.
 * Linearizable by construction.
 */
function generate(seed: number, nOps: number, nProcs: number): HistoryOp[] {
  const rand = mulberry32(seed);
  const cursor = new Array<number>(nProcs).fill(0).map(() => rand() * 10);
  const ops: HistoryOp[] = [];
  const effects: { at: number; op: HistoryOp }[] = [];
  let nextValue = 1;
  for (let k = 0; k < nOps; k++) {
    const p = cursor.indexOf(Math.min(...cursor)); // earliest-free client goes next
    const invoke = cursor[p] + rand() * 5;
    const at = invoke + rand() * 10;
    const complete = at + rand() * 10;
    cursor[p] = complete;
    const roll = rand();
    let op: HistoryOp;
    if (rand() < 0.45) {
      const type: Type = roll < 0.85 ? 'ok' : roll < 0.9 ? 'fail' : 'info';
      op = w(p, nextValue++, invoke, complete, type);
      if (type === 'ok' || (type === 'info' && rand() < 0.5)) effects.push({ at, op });
    } else {
      op = r(p, null, invoke, complete, roll < 0.95 ? 'ok' : 'info');
      effects.push({ at, op });
    }
    ops.push(op);
  }
  effects.sort((a, b) => a.at - b.at);
  let register: number | null = null;
  for (const { op } of effects) {
    if (op.f === 'write') register = op.value as number;
    else op.value = op.type === 'info' ? 12345 : register; // an info read's value means nothing
  }
  return ops.sort((a, b) => a.invoke - b.invoke);
}

/**
 * Makes a read return a value that is provably stale: the value of an ok write x that
 * completed before another ok write y was invoked, where y completed before the read was
 * invoked. Any linearization puts x < y < read, and only x wrote that value.
 */
function corrupt(ops: HistoryOp[], rand: () => number): boolean {
  const okWrites = ops.filter((o) => o.f === 'write' && o.type === 'ok');
  const reads = ops.filter((o) => o.f === 'read' && o.type === 'ok');
  const start = Math.floor(rand() * reads.length);
  for (let i = 0; i < reads.length; i++) {
    const read = reads[(start + i) % reads.length];
    for (const y of okWrites) {
      if (!(y.complete! < read.invoke)) continue;
      const x = okWrites.find((o) => o.complete! < y.invoke);
      if (x) {
        read.value = x.value;
        return true;
      }
    }
  }
  return false;
}

/** Brute force over all orders, for differential testing on tiny histories. */
function bruteForce(ops: HistoryOp[]): boolean {
  const live = ops.filter((o) => o.type !== 'fail' && !(o.f === 'read' && o.type === 'info'));
  const end = (o: HistoryOp): number => (o.type === 'info' ? Infinity : o.complete!);
  const done = live.map(() => false);
  const mandatory = live.filter((o) => o.type === 'ok').length;
  const dfs = (state: HistoryOp['value'], placed: number): boolean => {
    if (placed === mandatory) return true;
    for (let i = 0; i < live.length; i++) {
      const o = live[i];
      if (done[i]) continue;
      if (live.some((q, j) => !done[j] && j !== i && end(q) < o.invoke)) continue;
      if (o.f === 'read' && o.value !== state) continue;
      done[i] = true;
      const ok = dfs(o.f === 'write' ? o.value : state, placed + (o.type === 'ok' ? 1 : 0));
      done[i] = false;
      if (ok) return true;
    }
    return false;
  };
  return dfs(null, 0);
}

describe('generated histories', () => {
  it('agrees with brute force on random tiny histories (search and zone test)', () => {
    let yes = 0;
    let no = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const rand = mulberry32(seed);
      const n = 1 + Math.floor(rand() * 7);
      const ops: HistoryOp[] = [];
      let writes = 0;
      for (let i = 0; i < n; i++) {
        // Small integer times make ties (equal = concurrent) common.
        const invoke = Math.floor(rand() * 8);
        const complete = invoke + Math.floor(rand() * 4);
        const roll = rand();
        const type: Type = roll < 0.75 ? 'ok' : roll < 0.87 ? 'info' : 'fail';
        if (rand() < 0.5) ops.push(w(i, ++writes, invoke, complete, type));
        else ops.push(r(i, null, invoke, complete, type));
      }
      for (const o of ops) if (o.f === 'read') o.value = Math.floor(rand() * (writes + 1)) || null;
      const expected = bruteForce(ops);
      expected ? yes++ : no++;
      const want = expected ? 'linearizable' : 'violation';
      const search = checkKey(ops).verdict;
      const zones = checkKey(ops, { maxSteps: 0 }).verdict;
      if (search !== want || zones !== want) {
        throw new Error(`seed ${seed}: search ${search}, zones ${zones}, brute force ${want}\n${JSON.stringify(ops)}`);
      }
    }
    // Both outcomes must be well represented for the comparison to mean anything.
    expect(yes).toBeGreaterThan(500);
    expect(no).toBeGreaterThan(500);
  });

  it('accepts simulated atomic-register histories and catches a corrupted read', () => {
    let corrupted = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const ops = generate(seed, 20 + (seed % 60), 1 + (seed % 6));
      const res = checkKey(ops);
      if (res.verdict !== 'linearizable') throw new Error(`seed ${seed}: ${res.verdict} ${res.detail}`);
      if (checkKey(ops, { maxSteps: 0 }).verdict !== 'linearizable') throw new Error(`seed ${seed}: zone test disagrees`);
      if (corrupt(ops, mulberry32(seed * 7919))) {
        corrupted++;
        for (const maxSteps of [undefined, 0]) {
          const bad = checkKey(ops, { maxSteps });
          if (bad.verdict !== 'violation') throw new Error(`seed ${seed}: corrupted history judged ${bad.verdict} (maxSteps ${maxSteps})`);
        }
      }
    }
    expect(corrupted).toBeGreaterThan(250);
  });

  it('search and zone test agree on larger random histories', () => {
    // Too big for brute force: simulated histories with some reads given random values,
    // so both outcomes occur. The two methods share nothing past preparation.
    const seen = { linearizable: 0, violation: 0 };
    for (let seed = 1; seed <= 300; seed++) {
      const rand = mulberry32(seed * 31);
      const ops = generate(seed, 30 + (seed % 50), 2 + (seed % 5));
      const writes = ops.filter((o) => o.f === 'write' && o.type !== 'fail').map((o) => o.value as number);
      for (const o of ops) {
        if (o.f === 'read' && o.type === 'ok' && rand() < 0.04) o.value = writes[Math.floor(rand() * writes.length)] ?? null;
      }
      const search = checkKey(ops).verdict;
      const zones = checkKey(ops, { maxSteps: 0 }).verdict;
      if (search !== zones) throw new Error(`seed ${seed}: search ${search}, zones ${zones}`);
      seen[search as keyof typeof seen]++;
    }
    expect(seen.linearizable).toBeGreaterThan(30);
    expect(seen.violation).toBeGreaterThan(30);
  });

  it('checks a 3,000-op key history in reasonable time', () => {
    const ops = generate(42, 3000, 5);
    const t0 = performance.now();
    const res = checkKey(ops);
    const ms = performance.now() - t0;
    expect(res.verdict).toBe('linearizable');
    expect(corrupt(ops, mulberry32(43))).toBe(true);
    const t1 = performance.now();
    const bad = checkKey(ops);
    const badMs = performance.now() - t1;
    expect(bad.verdict).toBe('violation');
    console.log(`3,000 ops: linearizable in ${ms.toFixed(0)} ms; corrupted copy found violating in ${badMs.toFixed(0)} ms`);
  });
});
