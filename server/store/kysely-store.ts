// The round store over Kysely, the same code for SQLite and PostgreSQL. A round is one row
// in `rounds` (header, progress, summary, list columns), an append-only `round_log` of its
// commands, checkpoints, roster changes and phase marks, and `round_players` for "my rounds".
//
// Writes for one round run in the order they were asked for, even when the caller does not
// wait for each (the room appends once a second whatever the database's speed), and each is
// one transaction: a killed process leaves whole appends only. Each write encodes its
// entries when called, so later changes to the caller's objects do not leak in.

import type { Kysely, Transaction } from 'kysely';
import type { Recording, RosterEntry } from '../../shared/replay/recording.js';
import { RECORDING_FORMAT } from '../../shared/replay/recording.js';
import { recordedScenarioId, recordedSimVersion } from '../../shared/replay/revisions.js';
import type { SimVersion } from '../../shared/sim/state.js';
import type { ChaosLevel } from '../../shared/scenarios/chaos-types.js';
import { isDifficulty } from '../../shared/scenarios/difficulty.js';
import type { Summary } from '../../shared/sim/summary.js';
import {
  ABANDONED_AFTER_MS,
  DEFAULT_LIST_LIMIT,
  MAX_LIST_LIMIT,
  RoundStoreError,
  type RecordingPart,
  type RoundFilter,
  type RoundListItem,
  type RoundStore,
  type StoredRound,
} from './types.js';
import { flag, humanNicknames, LIST_COLUMNS, listItem, num, playerHash, type Header, type LogEntry, type LogKind, type RoundsTable, type Tables } from './rows.js';

export interface KyselyStoreOptions {
  kind: RoundStore['kind'];
  db: Kysely<Tables>;
  /** Wall-clock milliseconds: when writes happen, and what "too long silent" is measured from. */
  now: () => number;
}

export class KyselyRoundStore implements RoundStore {
  readonly kind: RoundStore['kind'];
  private readonly db: Kysely<Tables>;
  private readonly now: () => number;
  /** The last write queued for each round that still has one pending. */
  private readonly queues = new Map<string, Promise<void>>();
  private closed = false;

  constructor(opts: KyselyStoreOptions) {
    this.kind = opts.kind;
    this.db = opts.db;
    this.now = opts.now;
  }

  begin(id: string, rec: Recording, playerKeys: string[]): Promise<void> {
    const header: Header = { settings: rec.settings, difficulty: rec.difficulty, simVersion: rec.simVersion, roster: rec.roster, chaosEvents: rec.chaosEvents };
    const entries = encodeEntries(rec);
    const hashes = [...new Set(playerKeys.filter((k) => k !== ''))].map(playerHash);
    const row = {
      id,
      format: rec.format,
      room_id: rec.roomId,
      scenario: rec.scenario,
      preset: rec.preset,
      chaos: rec.chaos,
      seed: rec.seed,
      duration_ms: rec.durationMs,
      tick_ms: rec.tickMs,
      is_public: flag(rec.isPublic),
      session_id: rec.sessionId,
      status: 'live' as const,
      started_at: rec.startedAt,
      ended_at: null,
      last_tick: rec.lastTick,
      next_seq: entries.length,
      players: JSON.stringify(humanNicknames(humanNicknames([], rec.roster), rec.rosterChanges)),
      header: JSON.stringify(header),
      ...summaryColumns(rec.summary),
    };
    return this.serial(id, async () => {
      const t = this.now();
      try {
        await this.db.transaction().execute(async (tx) => {
          await tx.insertInto('rounds').values({ ...row, created_at: t, updated_at: t }).execute();
          await insertLog(tx, id, 0, entries);
          if (hashes.length > 0) await tx.insertInto('round_players').values(hashes.map((h) => ({ round_id: id, player_hash: h }))).execute();
        });
      } catch (err) {
        // The transaction rolled back; if the id is there now, someone else holds it.
        if (await this.exists(id)) throw new RoundStoreError('round-exists', `round store: a round with id ${JSON.stringify(id)} already exists`);
        throw err;
      }
    });
  }

  append(id: string, part: RecordingPart): Promise<void> {
    const entries = encodeEntries(part);
    return this.serial(id, () => this.write(id, entries, part, null));
  }

  finish(id: string, part: RecordingPart, summary: Summary, interrupted: boolean): Promise<void> {
    const entries = encodeEntries(part);
    const end = { summary: JSON.stringify(summary), interrupted, columns: summaryColumns(summary) };
    return this.serial(id, () => this.write(id, entries, part, end));
  }

  addPlayerKeys(id: string, keys: string[]): Promise<void> {
    const hashes = [...new Set(keys.filter((k) => k !== ''))].map(playerHash);
    return this.serial(id, async () => {
      if (!(await this.exists(id))) throw unknownRound(id);
      if (hashes.length === 0) return;
      await this.db
        .insertInto('round_players')
        .values(hashes.map((h) => ({ round_id: id, player_hash: h })))
        .onConflict((oc) => oc.columns(['round_id', 'player_hash']).doNothing())
        .execute();
    });
  }

  async get(id: string): Promise<StoredRound | null> {
    const r = await this.db.selectFrom('rounds').selectAll().where('id', '=', id).executeTakeFirst();
    if (r === undefined) return null;
    // Only the log the row's next_seq covers: an append committing between the two reads
    // would otherwise add entries past the lastTick read here.
    const log = await this.db
      .selectFrom('round_log')
      .select(['kind', 'body'])
      .where('round_id', '=', id)
      .where('seq', '<', num(r.next_seq))
      .orderBy('seq')
      .execute();
    const item = listItem(r, this.now(), ABANDONED_AFTER_MS);
    return { item, recording: assemble(r, item, log) };
  }

  async list(filter: RoundFilter = {}): Promise<RoundListItem[]> {
    const { player, session } = filter;
    const rows = await this.db
      .selectFrom('rounds')
      .select(LIST_COLUMNS)
      .$if(player !== undefined, (q) => q.where('id', 'in', (eb) => eb.selectFrom('round_players').select('round_id').where('player_hash', '=', playerHash(player!))))
      .$if(session !== undefined, (q) => q.where('session_id', '=', session!))
      .$if(player === undefined && session === undefined, (q) => q.where('is_public', '=', 1))
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(listLimit(filter.limit))
      .execute();
    const now = this.now();
    return rows.map((r) => listItem(r, now, ABANDONED_AFTER_MS));
  }

  async markAbandoned(now: number, olderThanMs: number): Promise<number> {
    const res = await this.db
      .updateTable('rounds')
      .set({ status: 'interrupted' })
      .where('status', '=', 'live')
      .where('updated_at', '<', now - olderThanMs)
      .executeTakeFirst();
    return Number(res.numUpdatedRows);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.queues.values());
    await this.db.destroy();
  }

  /** Append entries (and maybe the end) to a round that its server has not closed. */
  private async write(id: string, entries: EncodedEntry[], part: RecordingPart, end: { summary: string; interrupted: boolean; columns: SummaryColumns } | null): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const t = this.now();
      // Reserving the sequence numbers under the row's lock keeps two writers from colliding;
      // a round a sweep marked interrupted comes back to life: its server was only slow.
      const r = await tx
        .updateTable('rounds')
        .set((eb) => ({
          next_seq: eb('next_seq', '+', entries.length),
          last_tick: part.lastTick,
          updated_at: t,
          status: end === null ? 'live' : end.interrupted ? 'interrupted' : 'finished',
          ...(end === null ? {} : { ended_at: t, summary: end.summary, ...end.columns }),
        }))
        .where('id', '=', id)
        .where('ended_at', 'is', null)
        .returning(['next_seq', 'players'])
        .executeTakeFirst();
      if (r === undefined) {
        const closed = await tx.selectFrom('rounds').select('id').where('id', '=', id).executeTakeFirst();
        if (closed === undefined) throw unknownRound(id);
        throw new RoundStoreError('round-closed', `round store: round ${JSON.stringify(id)} has already finished`);
      }
      await insertLog(tx, id, num(r.next_seq) - entries.length, entries);
      const known = JSON.parse(r.players) as string[];
      const players = humanNicknames(known, part.rosterChanges);
      if (players.length !== known.length) await tx.updateTable('rounds').set({ players: JSON.stringify(players) }).where('id', '=', id).execute();
    });
  }

  private async exists(id: string): Promise<boolean> {
    return (await this.db.selectFrom('rounds').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
  }

  /** Run `work` after every write already queued for this round, whatever their outcome. */
  private serial(id: string, work: () => Promise<void>): Promise<void> {
    if (this.closed) return Promise.reject(new RoundStoreError('store-closed', 'round store: the store is closed'));
    const run = (this.queues.get(id) ?? Promise.resolve()).then(work);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(id, settled);
    void settled.then(() => {
      if (this.queues.get(id) === settled) this.queues.delete(id);
    });
    return run;
  }
}

/** Rows per INSERT: well under SQLite's 32766 and PostgreSQL's 65535 bound parameters. */
const INSERT_BATCH = 500;

interface EncodedEntry {
  kind: LogKind;
  tick: number;
  body: string;
}

type SummaryColumns = Pick<RoundsTable, 'score' | 'availability' | 'stale_reads' | 'lost_writes'>;

function summaryColumns(s: Summary | null): SummaryColumns & { summary: string | null } {
  if (s === null) return { summary: null, score: null, availability: null, stale_reads: null, lost_writes: null };
  return { summary: JSON.stringify(s), score: s.score, availability: s.availability, stale_reads: s.staleReads, lost_writes: s.lostWrites };
}

function encodeEntries(p: Pick<RecordingPart, 'commands' | 'checkpoints' | 'rosterChanges' | 'phases'>): EncodedEntry[] {
  const out: EncodedEntry[] = [];
  const add = (kind: LogKind, items: readonly { tick: number }[]) => {
    for (const e of items) out.push({ kind, tick: e.tick, body: JSON.stringify(e) });
  };
  add('command', p.commands);
  add('checkpoint', p.checkpoints);
  add('roster', p.rosterChanges);
  add('phase', p.phases);
  return out;
}

async function insertLog(tx: Transaction<Tables>, id: string, firstSeq: number, entries: EncodedEntry[]): Promise<void> {
  for (let i = 0; i < entries.length; i += INSERT_BATCH) {
    const rows = entries.slice(i, i + INSERT_BATCH).map((e, j) => ({ round_id: id, seq: firstSeq + i + j, kind: e.kind, tick: e.tick, body: e.body }));
    await tx.insertInto('round_log').values(rows).execute();
  }
}

/** The recording from its row and its log: each list in tick order, ties in the order written. */
function assemble(r: RoundsTable, item: RoundListItem, log: { kind: LogKind; body: string }[]): Recording {
  const header = JSON.parse(r.header) as Header;
  const lists: { [K in LogEntry['kind']]: Extract<LogEntry, { kind: K }>['entry'][] } = { command: [], checkpoint: [], roster: [], phase: [] };
  for (const e of log) (lists[e.kind] as unknown[]).push(JSON.parse(e.body));
  for (const l of Object.values(lists)) l.sort((a, b) => a.tick - b.tick); // stable: ties keep log order
  const interrupted = item.status === 'interrupted';
  // A round whose server died never wrote its closing mark: the replay's timeline still needs one.
  if (interrupted && r.ended_at === null) lists.phase.push({ tick: item.lastTick, phase: 'interrupted' });
  // Rows keep the format they were written in; a round is handed out in the format written
  // now, naming the scenario revision and the rules it ran on (a format-1 telemetry round:
  // 'telemetry@1', rules 1). A row the rule knows nothing of goes out as stored, for the
  // reader to refuse.
  const scenario = recordedScenarioId(r.format, r.scenario);
  const simVersion = recordedSimVersion(r.format, header.simVersion);
  const known = scenario !== undefined && simVersion !== undefined;
  return {
    format: known ? RECORDING_FORMAT : (r.format as typeof RECORDING_FORMAT),
    roomId: r.room_id,
    scenario: known ? scenario : r.scenario,
    preset: r.preset,
    settings: header.settings,
    chaos: r.chaos as ChaosLevel,
    difficulty: isDifficulty(header.difficulty) ? header.difficulty : 'normal',
    simVersion: known ? simVersion : (header.simVersion as SimVersion),
    seed: item.seed,
    durationMs: item.durationMs,
    tickMs: item.tickMs,
    roster: header.roster as RosterEntry[],
    rosterChanges: lists.roster,
    chaosEvents: header.chaosEvents,
    phases: lists.phase,
    commands: lists.command,
    checkpoints: lists.checkpoint,
    lastTick: item.lastTick,
    interrupted,
    startedAt: r.started_at,
    isPublic: item.isPublic,
    sessionId: r.session_id,
    summary: r.summary === null ? null : (JSON.parse(r.summary) as Summary),
  };
}

function listLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_LIST_LIMIT;
  return Math.min(MAX_LIST_LIMIT, Math.max(1, Math.floor(limit)));
}

function unknownRound(id: string): RoundStoreError {
  return new RoundStoreError('unknown-round', `round store: no round with id ${JSON.stringify(id)}`);
}
