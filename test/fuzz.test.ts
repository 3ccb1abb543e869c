// The fuzzer (npm run fuzz): its frames are reproducible and cover what the brief of a hostile
// client is, and a short run against a real server process finds no crash, loses no room and
// leaves no message unanswered. A new failure here is a message the server does not survive:
// the finding names the frames sent just before it.
import { afterAll, describe, expect, it } from 'vitest';
import { describeFrame, frameSource, KNOWN_TYPES, type Frame } from '../server/cli/fuzz-frames.js';
import { FuzzRun, type FuzzResult, type KindCounts } from '../server/cli/fuzz-run.js';
import { classifyServerLine, formatReport, verdict } from '../server/cli/fuzz-report.js';
import { healthy, startServerProcess, type ServerProcess } from '../server/cli/fuzz-server.js';
import { parseFuzzArgs } from '../server/cli/fuzz.js';

function frames(seed: number, lane: string, kind: 'lobby' | 'cluster' | 'session', n: number): Frame[] {
  const src = frameSource(seed, lane, kind);
  return Array.from({ length: n }, () => src.next());
}

describe('the fuzzer\'s frames', () => {
  it('repeat for the same seed and lane, and differ for another seed or lane', () => {
    const a = frames(3, 'bank-3', 'cluster', 300).map((f) => describeFrame(f));
    expect(frames(3, 'bank-3', 'cluster', 300).map((f) => describeFrame(f))).toEqual(a);
    expect(frames(4, 'bank-3', 'cluster', 300).map((f) => describeFrame(f))).not.toEqual(a);
    expect(frames(3, 'bank-4', 'cluster', 300).map((f) => describeFrame(f))).not.toEqual(a);
  });

  it('cover every known type, unknown and over-long types, byte messages and raw garbage', () => {
    for (const kind of ['lobby', 'cluster', 'session'] as const) {
      const fs = frames(1, kind, kind, 3000);
      const types = new Set(fs.flatMap((f) => (f.kind === 'raw' ? [] : [f.type])));
      for (const t of KNOWN_TYPES[kind]) expect(types, `${kind} sends ${t}`).toContain(t);
      expect(types).toContain('*');
      expect(types).toContain('__no_message_handler');
      expect([...types].some((t) => typeof t === 'string' && t.length >= 110 && t.length <= 300)).toBe(true);
      expect([...types].some((t) => typeof t === 'number')).toBe(true);
      expect(fs.some((f) => f.kind === 'bytes')).toBe(true);
      const raw = new Set(fs.flatMap((f) => (f.kind === 'raw' ? [f.what] : [])));
      for (const what of ['random bytes', 'truncated message', 'hand-made msgpack', 'text frame']) expect(raw).toContain(what);
    }
  });

  it('carry hostile payloads: own __proto__ keys, NaN, -0, 1e308, deep nesting', () => {
    const text = frames(2, 'x', 'cluster', 4000).map((f) => describeFrame(f, 100_000)).join('\n');
    for (const s of ['"__proto__":', 'NaN', '-0', '1e+308', '"constructor":', '[[[[[[', 'null']) expect(text).toContain(s);
  });
});

describe('npm run fuzz arguments', () => {
  it('default to 100,000 messages, seed 1 and a server of its own; bad values are named', () => {
    expect(parseFuzzArgs([])).toEqual({ seed: 1, messages: 100_000, batch: 32, server: null });
    expect(parseFuzzArgs(['--seed', '9', '--messages', '500', '--server', 'ws://localhost:2567'])).toEqual({ seed: 9, messages: 500, batch: 32, server: 'ws://localhost:2567' });
    expect(parseFuzzArgs(['--seed', '-1'])).toMatch(/--seed/);
    expect(parseFuzzArgs(['--messages', 'many'])).toMatch(/--messages/);
    expect(parseFuzzArgs(['--server', 'http://x'])).toMatch(/--server/);
    expect(parseFuzzArgs(['--speed', '2'])).toMatch(/unknown option --speed/);
  });
});

describe('the verdict', () => {
  const counts: KindCounts = { kind: 'lobby', sent: 10, garbage: 1, answered: 9, closed: 1, unanswered: 0, errors: { invalid: 3 }, closes: { '4002': 1 }, reconnects: 1, newRooms: 0, lost: 0 };
  const result: FuzzResult = { seed: 1, counts: [counts], sentinel: { rounds: 1, simMs: 5000, longestStallMs: 200, ok: true }, findings: [], durationMs: 1000 };

  it('passes a clean run and fails a crash, an uncaught error, a lost room or a silent socket', () => {
    expect(verdict(result, { exit: null, healthz: true }).ok).toBe(true);
    expect(verdict(result, { exit: 'exited with code 1', healthz: false }).failures.join()).toMatch(/exited.*healthz/);
    expect(verdict({ ...result, findings: [{ what: 'uncaught', text: '[process] uncaught: x', recent: [] }] }, { exit: null, healthz: true }).ok).toBe(false);
    expect(verdict({ ...result, findings: [{ what: 'lost-room', text: 'gone', recent: [] }] }, { exit: null, healthz: true }).failures).toEqual(['1 room lost']);
    expect(verdict({ ...result, counts: [{ ...counts, unanswered: 2 }] }, { exit: null, healthz: true }).ok).toBe(false);
    // A room's own caught handler error is reported, not a crash.
    expect(verdict({ ...result, findings: [{ what: 'room-error', text: '[cluster x] onMessage: y', recent: [] }] }, { exit: null, healthz: true }).ok).toBe(true);
  });

  it('reads the server\'s error lines', () => {
    expect(classifyServerLine('[process] uncaught: TypeError: x\n    at y')).toBe('uncaught');
    expect(classifyServerLine('[process] unhandled rejection: x')).toBe('uncaught');
    expect(classifyServerLine('[cluster abc] onMessage: boom')).toBe('room-error');
    expect(classifyServerLine('[store] sweep: busy')).toBeNull();
  });

  it('prints the table with totals', () => {
    const text = formatReport(result, { exit: null, healthz: true });
    expect(text).toMatch(/^room\s+sent\s+garbage\s+answered\s+closed\s+unanswered\s+reconnects\s+new rooms\s+lost$/m);
    expect(text).toMatch(/^all\s+10\s+1\s+9\s+1\s+0\s+1\s+0\s+0$/m);
    expect(text).toContain('invalid ×3');
    expect(text).toContain('PASS');
  });
});

describe('2,000 hostile messages against a server process', () => {
  let proc: ServerProcess | null = null;
  let run: FuzzRun | null = null;
  afterAll(async () => {
    await proc?.stop();
  });

  it('no crash, no lost room, every message answered or its socket closed, the sentinel\'s round goes on', async () => {
    proc = await startServerProcess();
    const uncaught: string[] = [];
    proc.onErrorLine((line) => {
      if (classifyServerLine(line) === 'uncaught') uncaught.push(line);
    });
    run = new FuzzRun({ endpoint: proc.ws, seed: 7, messages: 2000, batch: 32 });
    const result = await run.run();
    const report = formatReport(result, { exit: proc.exit, healthz: true });
    expect(uncaught, report).toEqual([]);
    expect(proc.exit).toBeNull();
    expect(await healthy(proc.http)).toBe(true);
    const total = (f: (c: KindCounts) => number) => result.counts.reduce((a, c) => a + f(c), 0);
    expect(total((c) => c.sent)).toBe(2000);
    expect(total((c) => c.answered) + total((c) => c.closed), report).toBe(2000);
    expect(total((c) => c.unanswered), report).toBe(0);
    expect(total((c) => c.lost), report).toBe(0);
    for (const c of result.counts) expect(c.sent, c.kind).toBeGreaterThan(0);
    expect(result.sentinel.ok, report).toBe(true);
    expect(result.findings.filter((f) => f.what !== 'room-error'), report).toEqual([]);
  });

  it('pinpoint sends candidates alone, newest first, and names the one after which the server\'s error count grew', async () => {
    expect(run).not.toBeNull();
    const frame = (n: number): Frame => ({ kind: 'message', type: 'answer', payload: { poll: n, choice: 0 }, big: false });
    const sent = [0, 1, 2].map((n) => ({ lane: `student-${n}`, kind: 'student' as const, frame: frame(n) }));
    // A stand-in for the server's error count: it grows after the second frame tried (the middle one).
    let reads = 0;
    const hit = await run!.pinpoint(sent, () => (reads++ >= 3 ? 1 : 0), 50);
    expect(hit?.lane).toBe('student-1');
    expect(await run!.pinpoint(sent.slice(0, 1), () => 0, 50)).toBeNull();
  });
});
