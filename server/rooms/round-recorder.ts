// A round's recording as its room keeps it: started when the live phase begins, fed what
// the round applied (actors become keys here, at the recording's boundary), its checkpoints
// and seat changes, handed to the round store as it goes, and finished with the summary.

import { actorKey } from '../../shared/round/actor.js';
import type { RoundEffect, RoundModel } from '../../shared/round/model.js';
import type { ClusterSettings } from '../../shared/scenarios/settings.js';
import { currentRoundStore, finishRecording, recordCommand, recordProgress, recordRosterChange, startRecording, TICK_MS, type Recording, type RosterEntry } from '../recording.js';
import { newRoundId, RecordingWriter } from '../recording-writer.js';
import type { RoomConfig } from './options.js';

/** Hand the recording to the store once a simulated (≈ wall-clock) second: a crash loses at most that. */
const FLUSH_EVERY_TICKS = 1000 / TICK_MS;

export class RoundRecorder {
  recording: Recording | null = null;
  /** Writes the recording to the round store as the round goes (null: memory only). */
  writer: RecordingWriter | null = null;

  /** Start recording the round's live phase; returns the stored round's id, or '' when this server keeps no store. */
  start(roomId: string, cfg: RoomConfig, round: RoundModel, roster: RosterEntry[], settings: ClusterSettings | null): string {
    const { S } = round.sim;
    const rec = (this.recording = startRecording({
      roomId, scenario: S.scenario, preset: cfg.preset, settings, chaos: S.chaosLevel, difficulty: S.difficulty, simVersion: S.version, seed: S.seed, durationMs: S.durationMs,
      chaosEvents: S.chaosSchedule, startedAt: new Date().toISOString(), isPublic: !cfg.isPrivate, sessionId: cfg.session?.id ?? null, roster,
    }));
    const store = currentRoundStore();
    if (store === null) return '';
    const id = newRoundId();
    // The round is listed among the rounds of every human player's key.
    const keys = [...round.everyone].flatMap((p) => (p.playerKey !== null && !p.bot ? [p.playerKey] : []));
    this.writer = new RecordingWriter(store, id, rec, [...new Set(keys)]);
    return id;
  }

  /** What the round did, into the recording: commands applied, steps (with their checkpoints), seats changing hands, the end. */
  record(e: Extract<RoundEffect, { type: 'applied' | 'stepped' | 'seat' | 'debrief' }>): void {
    const rec = this.recording;
    if (rec === null) return;
    switch (e.type) {
      case 'applied':
        return recordCommand(rec, e.tick, e.command, actorKey(e.by));
      case 'stepped':
        if (e.checkpoint !== null) rec.checkpoints.push({ tick: e.tick, hash: e.checkpoint });
        recordProgress(rec, e.tick);
        if (e.tick % FLUSH_EVERY_TICKS === 0) this.writer?.flush();
        return;
      case 'seat':
        return recordRosterChange(rec, { ...e.entry, tick: e.tick });
      case 'debrief':
        finishRecording(rec, e.debrief.summary, e.debrief.interrupted);
        void this.writer?.finish(e.debrief.summary, e.debrief.interrupted);
        return;
    }
  }

  /** The recording's last writes are done. */
  async settled(): Promise<void> {
    await this.writer?.settled();
  }
}
