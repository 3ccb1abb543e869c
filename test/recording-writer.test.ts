// The recording writer against a round store that goes away for a while (a real SQLite store
// behind a switch that makes every write fail, as a stopped database or a read-only file
// does): nothing recorded meanwhile is lost once the store answers again, and a round whose
// end never gets through is never stored as a whole round.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newRoundId, RecordingWriter } from '../server/recording-writer.js';
import { openStore } from '../server/store/open.js';
import type { RoundStore } from '../server/store/types.js';
import { finishRecording, recordCommand, recordProgress, startRecording, type Recording } from '../shared/replay/recording.js';
import { createSim } from '../shared/sim/engine.js';
import { summary, type Summary } from '../shared/sim/summary.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A store whose writes all fail while `down` is set, like a database that stopped answering. */
function switchable(store: RoundStore): { store: RoundStore; down: boolean; failures: number } {
  const ctl = { store: store, down: false, failures: 0 };
  const fail = () => {
    ctl.failures++;
    return Promise.reject(new Error('connect ECONNREFUSED (the database is stopped)'));
  };
  ctl.store = {
    ...store,
    kind: store.kind,
    begin: (...a) => (ctl.down ? fail() : store.begin(...a)),
    append: (...a) => (ctl.down ? fail() : store.append(...a)),
    finish: (...a) => (ctl.down ? fail() : store.finish(...a)),
    addPlayerKeys: (...a) => (ctl.down ? fail() : store.addPlayerKeys(...a)),
    get: (id) => store.get(id),
    list: (f) => store.list(f),
    markAbandoned: (n, o) => store.markAbandoned(n, o),
    close: () => store.close(),
  };
  return ctl;
}

async function sqliteStore(): Promise<RoundStore> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-writer-'));
  dirs.push(dir);
  return openStore({ databaseUrl: null, dataDir: dir });
}

function recording(): Recording {
  return startRecording({
    roomId: 'room-w', scenario: 'bank', preset: 'cp', settings: null, chaos: 'none', seed: 11, durationMs: 60_000,
    chaosEvents: [], startedAt: '2026-01-01T00:00:00.000Z', isPublic: true, sessionId: null,
    roster: [{ id: 'sess-ada', nickname: 'Ada', node: 0, isBot: false }],
  });
}

/** A second of play: a command, a checkpoint every 5 s, progress. */
function play(rec: Recording, second: number): void {
  const tick = second * 20;
  recordCommand(rec, tick, { type: 'drain', node: second % 3 }, 'sess-ada');
  if (second % 5 === 0) rec.checkpoints.push({ tick, hash: `h${second}` });
  recordProgress(rec, tick + 20);
}

let sum: Summary | null = null;
function aSummary(): Summary {
  sum ??= summary(createSim({ scenario: 'bank', chaos: 'none', seed: 11, durationMs: 1000, recordHistory: false }));
  return sum;
}

const quiet = { log: () => {}, finishRetryMs: [1, 1, 1] };

describe('the recording writer when the database goes away', () => {
  it('a stretch of failed writes is written once the store is back: the stored round is whole', async () => {
    const ctl = switchable(await sqliteStore());
    const rec = recording();
    const id = newRoundId();
    const logs: string[] = [];
    const w = new RecordingWriter(ctl.store, id, rec, ['player-key-ada-0001'], { ...quiet, log: (m) => logs.push(m) });
    for (let s = 0; s < 12; s++) {
      if (s === 3) ctl.down = true;
      if (s === 9) ctl.down = false;
      play(rec, s);
      w.flush();
      await w.settled();
      if (s >= 3 && s < 9) expect(w.broken).toBe(true);
    }
    expect(ctl.failures).toBe(6);
    expect(w.broken).toBe(false);
    finishRecording(rec, aSummary(), false, { finished() {} });
    await w.finish(aSummary(), false);
    const stored = await ctl.store.get(id);
    expect(stored?.item.status).toBe('finished');
    expect(stored!.recording.commands).toEqual(rec.commands);
    expect(stored!.recording.checkpoints).toEqual(rec.checkpoints);
    expect(stored!.recording.lastTick).toBe(rec.lastTick);
    // The operator reads one line for the outage and one for the recovery, not one a second.
    expect(logs).toHaveLength(2);
    expect(logs[1]).toMatch(/caught up/);
  });

  it('a header that could not be stored at the start is stored with everything since', async () => {
    const ctl = switchable(await sqliteStore());
    ctl.down = true;
    const rec = recording();
    const id = newRoundId();
    const w = new RecordingWriter(ctl.store, id, rec, [], quiet);
    play(rec, 0);
    w.flush();
    await w.settled();
    expect(await ctl.store.get(id)).toBeNull();
    ctl.down = false;
    play(rec, 1);
    w.flush();
    await w.settled();
    expect((await ctl.store.get(id))!.recording.commands).toEqual(rec.commands);
  });

  it('the end of the round is retried; one that never gets through leaves a true prefix, listed as interrupted', async () => {
    const ctl = switchable(await sqliteStore());
    const rec = recording();
    const id = newRoundId();
    const logs: string[] = [];
    const w = new RecordingWriter(ctl.store, id, rec, [], { ...quiet, log: (m) => logs.push(m) });
    for (let s = 0; s < 4; s++) {
      play(rec, s);
      w.flush();
    }
    await w.settled();
    const written = rec.commands.length;
    const writtenTick = rec.lastTick;
    ctl.down = true;
    play(rec, 4);
    w.flush();
    await w.finish(aSummary(), false);
    expect(ctl.failures).toBe(1 + 4); // the append, then the end and its three retries
    expect(w.broken).toBe(true);
    expect(logs.at(-1)).toMatch(/could not be stored/);
    // The store never saw the end: once nobody writes the round, it is reported interrupted at its last written tick.
    const swept = await ctl.store.markAbandoned(Date.now() + 60_000, 5000);
    expect(swept).toBe(1);
    const stored = await ctl.store.get(id);
    expect(stored!.item.status).toBe('interrupted');
    expect(stored!.recording.interrupted).toBe(true);
    expect(stored!.recording.commands).toHaveLength(written);
    expect(stored!.recording.lastTick).toBe(writtenTick);
  });

  it('the end of the round gets through when the store comes back during the retries', async () => {
    const ctl = switchable(await sqliteStore());
    const rec = recording();
    const id = newRoundId();
    const w = new RecordingWriter(ctl.store, id, rec, [], { log: () => {}, finishRetryMs: [1, 1, 1, 1] });
    play(rec, 0);
    w.flush();
    await w.settled();
    ctl.down = true;
    play(rec, 1);
    // Back after the second failed try of the end.
    const origFinish = ctl.store.finish;
    let tries = 0;
    ctl.store.finish = (...a) => {
      if (++tries === 2) ctl.down = false;
      return origFinish(...a);
    };
    await w.finish(aSummary(), false);
    expect(w.broken).toBe(false);
    const stored = await ctl.store.get(id);
    expect(stored!.item.status).toBe('finished');
    expect(stored!.recording.commands).toEqual(rec.commands);
  });
});
