// The round store against both databases it supports: a recording written as the round goes
// (begin, an append a second, finish) reads back exactly as it was built in memory and
// replays to its checkpoints; a round whose server died reads back interrupted and still
// replays as far as it got; lists show public rounds, a player's rounds and a session's;
// raw player keys never reach the database.
//
// PostgreSQL comes from TEST_DATABASE_URL (default: the local service CI runs). Where none
// answers, its half of the suite skips with what to start, except under CI=true, where it fails.

import { SimBotView } from '../shared/round/bot-view.js';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { tcpProxy } from './support/tcp-proxy.js';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresPool } from '../server/store/open.js';
import {
  ABANDONED_AFTER_MS,
  cursorAtEnd,
  openStore,
  playerHash,
  RoundStoreError,
  sqliteFile,
  takePart,
  type RecordingPart,
  type RoundStore,
} from '../server/store/index.js';
import {
  finishRecording,
  maybeCheckpoint,
  recordCommand,
  recordProgress,
  recordRosterChange,
  replayRecording,
  startRecording,
  TICK_MS,
  type Recording,
  type RosterEntry,
} from '../shared/replay/recording.js';
import type { Command } from '../shared/protocol/commands.js';
import type { Difficulty } from '../shared/scenarios/difficulty.js';
import { advance, createSim, finishSim } from '../shared/sim/engine.js';
import { applyCommand } from '../shared/sim/commands.js';
import { summary, type Summary } from '../shared/sim/summary.js';
import { botDecide, createBotMemory } from '../shared/bots/node-bot.js';

const PG_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const pgSkip = await postgresSkipReason(PG_URL);
if (pgSkip !== null) console.warn(`store: PostgreSQL tests skipped: ${pgSkip}`);

/** One place a store lives (a SQLite directory, a PostgreSQL schema), with a clock the test moves. */
interface Place {
  open(): Promise<RoundStore>;
  /** Every byte or row the place holds, as text, to look for what must not be there. */
  dump(): Promise<string>;
  clock: { ms: number };
}

interface Backend {
  name: 'sqlite' | 'postgres';
  skip: string | null;
  /** A new, empty place; removed after the suite. */
  fresh(): Promise<Place>;
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

const sqlite: Backend = {
  name: 'sqlite',
  skip: null,
  async fresh() {
    const dir = mkdtempSync(join(tmpdir(), 'splitbrain-store-'));
    const clock = { ms: T0 };
    const stores: RoundStore[] = [];
    cleanups.push(async () => {
      for (const s of stores) await s.close();
      rmSync(dir, { recursive: true, force: true });
    });
    return {
      clock,
      async open() {
        const s = await openStore({ databaseUrl: null, dataDir: dir, now: () => clock.ms });
        stores.push(s);
        return s;
      },
      // The main file and its write-ahead log: recent commits may be only in the latter.
      async dump() {
        return readdirSync(dir)
          .map((f) => readFileSync(join(dir, f)).toString('latin1'))
          .join('\n');
      },
    };
  },
};

const postgres: Backend = {
  name: 'postgres',
  skip: pgSkip,
  async fresh() {
    // A schema of its own, so parallel runs on one database never see each other's rounds.
    const schema = `store_test_${randomBytes(6).toString('hex')}`;
    const clock = { ms: T0 };
    const stores: RoundStore[] = [];
    cleanups.push(async () => {
      for (const s of stores) await s.close();
      await withPg((c) => c.query(`drop schema if exists "${schema}" cascade`));
    });
    return {
      clock,
      async open() {
        const s = await openStore({ databaseUrl: PG_URL, dataDir: '/nonexistent', pgSchema: schema, now: () => clock.ms });
        stores.push(s);
        return s;
      },
      async dump() {
        const tables = await withPg((c) => c.query<{ t: string }>(`select table_name as t from information_schema.tables where table_schema = $1`, [schema]));
        let out = '';
        for (const { t } of tables.rows) {
          const r = await withPg((c) => c.query<{ row: string }>(`select x::text as row from "${schema}"."${t}" x`));
          out += r.rows.map((x) => x.row).join('\n');
        }
        return out;
      },
    };
  },
};

/** 14 Nov 2023, an arbitrary fixed wall clock. */
const T0 = 1_700_000_000_000;

const KEYS = { ada: 'pk-ada-3c9e1f0b7a', grace: 'pk-grace-58d2aa41e6', linus: 'pk-linus-a17f04c9d3', other: 'pk-other-9b0e6c2f11' };

for (const backend of [sqlite, postgres]) {
  describe.skipIf(backend.skip !== null)(`round store on ${backend.name}`, () => {
    it('a real round written as it goes reads back equal to the recording in memory and replays to every checkpoint', async () => {
      const place = await backend.fresh();
      const store = await place.open();
      expect(store.kind).toBe(backend.name);
      // The room does not wait for each write: neither does this round.
      // A hard round: the difficulty is stored with it, and its replay plays it hard.
      const run = recordRound({ id: 'r-real', seed: 7, durationMs: 15_000, difficulty: 'hard' }, store, place);
      await Promise.all(run.writes);
      expect(run.writes.length).toBeGreaterThan(10);

      const stored = await store.get('r-real');
      expect(stored).not.toBeNull();
      expect(stored!.recording).toEqual(run.rec);
      expect(stored!.recording.difficulty).toBe('hard');
      expect(stored!.item).toMatchObject({
        id: 'r-real', scenario: 'bank', preset: 'cp', chaos: 'heavy', seed: 7, durationMs: 15_000, isPublic: true, sessionId: null,
        status: 'finished', lastTick: 300, tickMs: TICK_MS, players: ['Ada', 'Grace', 'Linus'],
        score: run.rec.summary!.score, availability: run.rec.summary!.availability, staleReads: run.rec.summary!.staleReads, lostWrites: run.rec.summary!.lostWrites,
      });
      // The round did things worth storing: commands at one tick in their order, seat changes, checkpoints.
      expect(run.rec.commands.filter((c) => c.tick === 40).map((c) => c.by)).toEqual(['host', 'sess-ada', 'sess-grace']);
      expect(run.rec.rosterChanges).toHaveLength(3);
      expect(run.rec.checkpoints).toHaveLength(3);

      const check = replayRecording(stored!.recording);
      expect(check.refused).toEqual([]);
      expect(check.firstMismatch).toBeNull();
      expect(check.matched).toBe(3);
      expect(check.summary.stateHash).toBe(run.rec.summary!.stateHash);
    });

    it('a round whose server died reads back interrupted at its last write, replays that far, and is swept once', async () => {
      const place = await backend.fresh();
      const store = await place.open();
      // Killed at tick 130: the last append (tick 120) is all that reached the database.
      const run = recordRound({ id: 'r-dead', seed: 11, durationMs: 15_000, stopAtTick: 130 }, store, place);
      await Promise.all(run.writes);
      const written = run.lastWritten!;
      expect(written.lastTick).toBe(120);
      expect(run.rec.lastTick).toBe(130);

      // Just after the last write it still looks alive.
      place.clock.ms += ABANDONED_AFTER_MS;
      expect((await store.get('r-dead'))!.item.status).toBe('live');

      // Past the threshold a reader sees the truth before any sweep has run.
      place.clock.ms += 1;
      const stored = (await store.get('r-dead'))!;
      expect(stored.item.status).toBe('interrupted');
      expect(stored.item.lastTick).toBe(120);
      expect(stored.item.score).toBeNull();
      expect(stored.recording).toEqual({ ...written, interrupted: true, phases: [...written.phases, { tick: 120, phase: 'interrupted' }] });
      expect((await store.list())[0]).toMatchObject({ id: 'r-dead', status: 'interrupted' });

      const check = replayRecording(stored.recording);
      expect(check.refused).toEqual([]);
      expect(check.firstMismatch).toBeNull();
      expect(check.matched).toBe(1);

      // The sweep marks it, once; a round written recently is left alone.
      await store.begin('r-fresh', tinyRecording('fresh'), []);
      expect(await store.markAbandoned(place.clock.ms, ABANDONED_AFTER_MS)).toBe(1);
      expect(await store.markAbandoned(place.clock.ms, ABANDONED_AFTER_MS)).toBe(0);
      expect((await store.get('r-fresh'))!.item.status).toBe('live');
      const swept = (await store.get('r-dead'))!;
      expect(swept.recording).toEqual(stored.recording);

      // A server that was only slow, not dead, brings its round back with its next write.
      await store.append('r-dead', { commands: [], checkpoints: [], rosterChanges: [], phases: [], lastTick: 140 });
      expect((await store.get('r-dead'))!.item).toMatchObject({ status: 'live', lastTick: 140 });
    });

    it('keeps commands in tick order, ties in the order written, across appends; finish records an interruption', async () => {
      const place = await backend.fresh();
      const store = await place.open();
      const rec = tinyRecording('order');
      const cmd = (tick: number, node: number): Recording['commands'][number] => ({ tick, command: { type: 'restart', node }, by: `bot-${node}` });
      rec.commands.push(cmd(0, 0));
      await store.begin('r-order', rec, [KEYS.ada]);
      await store.append('r-order', part(5, [cmd(5, 1), cmd(5, 2)]));
      // Written later, but for an earlier tick and for the same tick again.
      await store.append('r-order', part(8, [cmd(3, 3), cmd(5, 4)]));
      const s: Summary = { ...fakeSummary(), score: 512, availability: 0.75, staleReads: 3, lostWrites: 0 };
      await store.finish('r-order', { ...part(8, []), phases: [{ tick: 8, phase: 'interrupted' }] }, s, true);

      const got = (await store.get('r-order'))!;
      expect(got.recording.commands.map((c) => [c.tick, c.command.type === 'restart' ? c.command.node : -1])).toEqual([[0, 0], [3, 3], [5, 1], [5, 2], [5, 4]]);
      expect(got.recording.interrupted).toBe(true);
      expect(got.recording.phases).toEqual([{ tick: 0, phase: 'live' }, { tick: 8, phase: 'interrupted' }]);
      expect(got.recording.summary).toEqual(s);
      expect(got.item).toMatchObject({ status: 'interrupted', lastTick: 8, score: 512, availability: 0.75, staleReads: 3, lostWrites: 0 });
      // Closed by its own server: no sweep or later time changes that.
      place.clock.ms += 60_000;
      expect(await store.markAbandoned(place.clock.ms, ABANDONED_AFTER_MS)).toBe(0);
      expect((await store.get('r-order'))!.recording).toEqual(got.recording);
    });

    it('refuses clearly: a taken id, an unknown round, a finished round; other rounds are untouched', async () => {
      const place = await backend.fresh();
      const store = await place.open();
      expect(await store.get('nope')).toBeNull();
      await store.begin('r-1', tinyRecording('one'), [KEYS.ada]);
      await store.append('r-1', part(4, [{ tick: 2, command: { type: 'restart', node: 1 }, by: 'x' }]));
      const before = await store.get('r-1');

      await expect(store.begin('r-1', tinyRecording('again'), [KEYS.other])).rejects.toMatchObject({ name: 'RoundStoreError', code: 'round-exists' });
      await expect(store.append('nope', part(1, []))).rejects.toMatchObject({ code: 'unknown-round' });
      await expect(store.finish('nope', part(1, []), fakeSummary(), false)).rejects.toMatchObject({ code: 'unknown-round' });
      await expect(store.addPlayerKeys('nope', [KEYS.other])).rejects.toBeInstanceOf(RoundStoreError);
      expect(await store.get('nope')).toBeNull();
      expect(await store.get('r-1')).toEqual(before);
      expect(await store.list({ player: KEYS.other })).toEqual([]);

      await store.finish('r-1', part(20, []), fakeSummary(), false);
      await expect(store.append('r-1', part(21, []))).rejects.toMatchObject({ code: 'round-closed' });
      await expect(store.finish('r-1', part(21, []), fakeSummary(), false)).rejects.toMatchObject({ code: 'round-closed' });
      expect((await store.get('r-1'))!.item).toMatchObject({ status: 'finished', lastTick: 20 });
      // A failed write does not block the next ones for the same round.
      await store.addPlayerKeys('r-1', [KEYS.grace]);
      expect((await store.list({ player: KEYS.grace })).map((r) => r.id)).toEqual(['r-1']);
    });

    it('lists public rounds by default, a player\'s rounds (private too, no one else\'s), a session\'s, newest first', async () => {
      const place = await backend.fresh();
      const store = await place.open();
      const add = async (id: string, over: Partial<Recording>, keys: string[]) => {
        place.clock.ms += 1000;
        await store.begin(id, { ...tinyRecording(id), ...over }, keys);
      };
      await add('pub-1', {}, [KEYS.ada]);
      await add('priv-ada', { isPublic: false }, [KEYS.ada]);
      await add('s1-pub', { sessionId: 'S1' }, [KEYS.grace]);
      await add('s1-priv', { isPublic: false, sessionId: 'S1' }, [KEYS.grace, KEYS.ada]);
      await add('priv-grace', { isPublic: false }, [KEYS.grace]);
      await add('pub-2', {}, []);

      expect((await store.list()).map((r) => r.id)).toEqual(['pub-2', 's1-pub', 'pub-1']);
      expect((await store.list({})).every((r) => r.isPublic)).toBe(true);
      expect((await store.list({ player: KEYS.ada })).map((r) => r.id)).toEqual(['s1-priv', 'priv-ada', 'pub-1']);
      expect((await store.list({ player: KEYS.grace })).map((r) => r.id)).toEqual(['priv-grace', 's1-priv', 's1-pub']);
      expect(await store.list({ player: KEYS.linus })).toEqual([]);
      // A hash is not a key: knowing the stored digest lists nothing.
      expect(await store.list({ player: playerHash(KEYS.ada) })).toEqual([]);
      expect((await store.list({ session: 'S1' })).map((r) => r.id)).toEqual(['s1-priv', 's1-pub']);
      expect((await store.list({ session: 'S1', player: KEYS.ada })).map((r) => r.id)).toEqual(['s1-priv']);
      expect(await store.list({ session: 'S2' })).toEqual([]);

      // Joining mid-round puts the round in the newcomer's list, and their name in everyone's.
      await store.addPlayerKeys('pub-2', [KEYS.linus, KEYS.linus]);
      await store.append('pub-2', { ...part(30, []), rosterChanges: [{ tick: 25, id: 'sess-linus', nickname: 'Linus', node: 1, isBot: false }] });
      const [linus] = await store.list({ player: KEYS.linus });
      expect(linus).toMatchObject({ id: 'pub-2', players: ['Ada', 'Linus'], status: 'live', lastTick: 30, score: null });
      // Live rounds whose writer went silent are listed as interrupted.
      place.clock.ms += ABANDONED_AFTER_MS + 1;
      expect((await store.list()).map((r) => r.status)).toEqual(['interrupted', 'interrupted', 'interrupted']);
    });

    it('bounds the list: 20 by default, at most 100, at least 1', async () => {
      const place = await backend.fresh();
      const store = await place.open();
      for (let i = 0; i < 105; i++) {
        place.clock.ms += 10;
        await store.begin(`many-${String(i).padStart(3, '0')}`, tinyRecording(`m${i}`), []);
      }
      const first = await store.list();
      expect(first).toHaveLength(20);
      expect(first[0]!.id).toBe('many-104');
      expect((await store.list({ limit: 1000 })).length).toBe(100);
      expect((await store.list({ limit: 0 })).length).toBe(1);
      expect((await store.list({ limit: -5 })).length).toBe(1);
      expect((await store.list({ limit: 2.7 })).map((r) => r.id)).toEqual(['many-104', 'many-103']);
      expect((await store.list({ limit: Number.NaN })).length).toBe(20);
    });

    it('opens again on the same database (migrations run once), and a second store sees and extends the first one\'s rounds', async () => {
      const place = await backend.fresh();
      const a = await place.open();
      await a.begin('shared', tinyRecording('shared'), [KEYS.ada]);
      // Another process on the same database, while the first is still running.
      const b = await place.open();
      expect((await b.get('shared'))!.item.id).toBe('shared');
      await b.append('shared', part(10, [{ tick: 9, command: { type: 'restart', node: 2 }, by: 'bot-2' }]));
      await a.append('shared', part(12, [{ tick: 11, command: { type: 'restart', node: 3 }, by: 'bot-3' }]));
      expect((await a.get('shared'))!.recording.commands.map((c) => c.tick)).toEqual([9, 11]);
      expect((await b.list({ player: KEYS.ada })).map((r) => r.id)).toEqual(['shared']);
      await a.close();
      await b.close();
      // A restart after both closed: same rounds, no migration re-run.
      const c = await place.open();
      expect((await c.get('shared'))!.item.lastTick).toBe(12);
      await c.close();
      await expect(c.get('shared')).rejects.toThrow();
      await expect(c.append('shared', part(13, []))).rejects.toMatchObject({ code: 'store-closed' });
    });

    it('opens when several processes start at once on an empty database (one brings it up to date, the others wait)', async () => {
      // Servers of one deployment often start together: each must find the store ready, none
      // may fail on another's half-made schema or tables.
      for (let attempt = 0; attempt < 4; attempt++) {
        const place = await backend.fresh();
        const stores = await Promise.all([place.open(), place.open(), place.open()]);
        await stores[0]!.begin(`together-${attempt}`, tinyRecording(`together-${attempt}`), [KEYS.ada]);
        for (const s of stores) expect((await s.get(`together-${attempt}`))!.item.id).toBe(`together-${attempt}`);
      }
    });

    it('never writes a raw player key to the database', async () => {
      const place = await backend.fresh();
      const store = await place.open();
      await store.begin('keys', tinyRecording('keys'), [KEYS.ada, KEYS.grace]);
      await store.addPlayerKeys('keys', [KEYS.linus]);
      await store.finish('keys', part(3, []), fakeSummary(), false);
      await store.close();
      const dump = await place.dump();
      expect(dump).toContain(playerHash(KEYS.ada)); // the dump does hold the table's contents
      for (const k of Object.values(KEYS)) expect(dump).not.toContain(k);
    });
  });
}

describe.skipIf(pgSkip !== null)('the PostgreSQL pool when its server goes away', () => {
  it('a connection lost while checked out (between two queries of a transaction) is heard, not an uncaught error; the pool drops it and serves again', async () => {
    const u = new URL(PG_URL);
    const proxy = await tcpProxy(u.hostname, Number(u.port || 5432));
    u.host = `127.0.0.1:${proxy.port}`;
    const pool = postgresPool(u.toString());
    const warn = console.warn;
    const heard: string[] = [];
    console.warn = (...a: unknown[]) => void heard.push(a.join(' '));
    try {
      const client = await pool.connect();
      await client.query('begin');
      await client.query('select 1');
      // No query in flight: the lost connection can only be told as an 'error' event on the client.
      proxy.cut();
      const deadline = Date.now() + 10_000;
      while (!heard.some((l) => l.includes('PostgreSQL connection lost')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(heard.some((l) => l.includes('PostgreSQL connection lost'))).toBe(true);
      await expect(client.query('select 1')).rejects.toThrow();
      client.release();
      expect(pool.totalCount).toBe(0);
      proxy.restore();
      expect((await pool.query<{ one: number }>('select 1 as one')).rows[0]!.one).toBe(1);
    } finally {
      console.warn = warn;
      await pool.end().catch(() => undefined);
      await proxy.close();
    }
  });
});

describe('where the SQLite file goes', () => {
  it('is <dataDir>/splitbrain.sqlite, its directory created, in WAL mode', async () => {
    const root = mkdtempSync(join(tmpdir(), 'splitbrain-store-'));
    try {
      const dataDir = join(root, 'nested', 'data');
      const store = await openStore({ databaseUrl: null, dataDir });
      await store.begin('w', tinyRecording('w'), []);
      expect(readdirSync(dataDir).sort()).toEqual(['splitbrain.sqlite', 'splitbrain.sqlite-shm', 'splitbrain.sqlite-wal']);
      expect(sqliteFile(dataDir)).toBe(join(dataDir, 'splitbrain.sqlite'));
      await store.close();
      await expect(openStore({ databaseUrl: 'mysql://u:secret@h/db', dataDir })).rejects.toThrow(/unsupported database URL scheme 'mysql'/);
      await expect(openStore({ databaseUrl: 'mysql://u:secret@h/db', dataDir })).rejects.not.toThrow(/secret/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------------------------------
// Helpers

interface RecordedRun {
  rec: Recording;
  /** A copy of the recording as of the last write that reached the store. */
  lastWritten: Recording | null;
  writes: Promise<void>[];
}

/**
 * A bank round run the way the room runs one: fixed steps, commands applied at tick
 * boundaries and recorded when accepted, bots deciding every second, a checkpoint every 5 s,
 * and the store written at the start, every second, and at the end. People come and go.
 * With stopAtTick the process "dies" there: no further write.
 */
function recordRound(o: { id: string; seed: number; durationMs: number; stopAtTick?: number; difficulty?: Difficulty }, store: RoundStore, place: Place): RecordedRun {
  const sim = createSim({ scenario: 'bank', preset: 'cp', chaos: 'heavy', difficulty: o.difficulty, seed: o.seed, durationMs: o.durationMs, recordHistory: false });
  const { S } = sim;
  const roster: RosterEntry[] = S.nodes.map((n) =>
    n.id === 0 ? { id: 'sess-ada', nickname: 'Ada', node: 0, isBot: false } : n.id === 1 ? { id: 'sess-grace', nickname: 'Grace', node: 1, isBot: false } : { id: `bot-${n.id}`, nickname: `Bot ${n.id}`, node: n.id, isBot: true },
  );
  const rec = startRecording({
    roomId: `room-${o.id}`, scenario: S.scenario, preset: 'cp', settings: null, chaos: S.chaosLevel, difficulty: S.difficulty, seed: S.seed, durationMs: S.durationMs,
    chaosEvents: S.chaosSchedule, startedAt: new Date(place.clock.ms).toISOString(), isPublic: true, sessionId: null, roster,
  });
  const run: RecordedRun = { rec, lastWritten: null, writes: [] };
  const write = (p: Promise<void>, recording = true) => {
    run.writes.push(p);
    if (recording) run.lastWritten = structuredClone(rec);
  };
  write(store.begin(o.id, rec, [KEYS.ada, KEYS.grace]));
  const cursor = cursorAtEnd(rec);
  const memories = S.nodes.map(() => createBotMemory());
  const botView = new SimBotView();
  const botNodes = new Set([2, 3, 4]);
  let queue: { command: Command; by: string }[] = [];
  const ticks = o.stopAtTick ?? o.durationMs / TICK_MS;
  for (let tick = 0; tick < ticks; ) {
    if (tick === 40) {
      queue.push({ command: { type: 'chaos', kind: 'crash', target: 3, durationMs: 8000, magnitude: 1 }, by: 'host' });
      queue.push({ command: { type: 'stance', node: 0, stance: 'serve' }, by: 'sess-ada' });
      queue.push({ command: { type: 'stance', node: 1, stance: 'serve' }, by: 'sess-grace' });
    }
    // Grace leaves (a bot stands in) and comes back; Linus takes over a bot's seat.
    if (tick === 60) {
      recordRosterChange(rec, { tick, id: 'bot-1', nickname: 'Bot 1', node: 1, isBot: true });
      botNodes.add(1);
    }
    if (tick === 100) {
      recordRosterChange(rec, { tick, id: 'sess-linus', nickname: 'Linus', node: 4, isBot: false });
      botNodes.delete(4);
      write(store.addPlayerKeys(o.id, [KEYS.linus]), false);
    }
    if (tick === 150) {
      recordRosterChange(rec, { tick, id: 'sess-grace-2', nickname: 'Grace', node: 1, isBot: false });
      botNodes.delete(1);
    }
    for (const p of queue) if (applyCommand(sim, p.command).ok) recordCommand(rec, tick, p.command, p.by);
    queue = [];
    advance(sim, (tick + 1) * TICK_MS);
    tick++;
    maybeCheckpoint(rec, tick, S);
    recordProgress(rec, tick);
    if (tick % 20 === 0) {
      const view = botView.look(sim);
      for (const node of botNodes) {
        const cmd = botDecide(view, node, memories[node]!, sim.sc);
        if (cmd !== null) queue.push({ command: cmd, by: `bot-${node}` });
      }
      place.clock.ms += 1000;
      write(store.append(o.id, takePart(rec, cursor)));
    }
  }
  if (o.stopAtTick === undefined) {
    finishSim(sim);
    const s = summary(sim);
    finishRecording(rec, s, false, { finished() {} });
    write(store.finish(o.id, takePart(rec, cursor), s, false));
  }
  return run;
}

/** A recording with no simulation behind it, for what needs only its shape. */
function tinyRecording(room: string): Recording {
  return startRecording({
    roomId: room, scenario: 'bank', preset: 'cp', settings: null, chaos: 'normal', seed: 4_000_000_000, durationMs: 60_000,
    chaosEvents: [], startedAt: '2023-11-14T22:13:20.000Z', isPublic: true, sessionId: null,
    roster: [
      { id: 'sess-ada', nickname: 'Ada', node: 0, isBot: false },
      { id: 'bot-1', nickname: 'Bot 1', node: 1, isBot: true },
    ],
  });
}

function part(lastTick: number, commands: Recording['commands']): RecordingPart {
  return { commands, checkpoints: [], rosterChanges: [], phases: [], lastTick };
}

function fakeSummary(): Summary {
  const sim = createSim({ scenario: 'bank', chaos: 'none', seed: 1, durationMs: 1000, recordHistory: false });
  return summary(sim);
}

async function withPg<T>(f: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.end();
  }
}

/** Null when PostgreSQL answers; otherwise why not and what to do (a failure under CI=true). */
async function postgresSkipReason(url: string): Promise<string | null> {
  try {
    await withPg((c) => c.query('select 1'));
    return null;
  } catch (err) {
    const shown = url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
    const why = `PostgreSQL not reachable at ${shown} (${err instanceof Error ? err.message : String(err)}): install and start PostgreSQL, or set TEST_DATABASE_URL`;
    if (process.env.CI === 'true') throw new Error(`${why} (CI=true: the PostgreSQL tests must run)`);
    return why;
  }
}
