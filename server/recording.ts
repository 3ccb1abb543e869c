// Where recordings go on this server: the round store (server/store, written as the round
// goes by server/recording-writer.ts) when the server has one, and the last few finished
// ones in memory for tests and tools. The format, checkpoints and replay are shared/replay.

import { finishRecording as finish, type Recording, type RecordingSink } from '../shared/replay/recording.js';
import type { Summary } from '../shared/sim/summary.js';
import type { RoundStore } from './store/types.js';

export * from '../shared/replay/recording.js';

/** The last finished recordings of this process, newest last (until storage exists). */
export const recentRecordings: RecordingSink & { list: Recording[]; limit: number } = {
  list: [],
  limit: 20,
  finished(rec) {
    this.list.push(rec);
    if (this.list.length > this.limit) this.list.splice(0, this.list.length - this.limit);
  },
};

/** Finish a recording into this server's sink (the in-memory list by default). */
export function finishRecording(rec: Recording, summary: Summary, interrupted: boolean, sink: RecordingSink = recentRecordings): void {
  finish(rec, summary, interrupted, sink);
}

/** The round store of this process (server/store), or null when recordings are kept in memory only. */
let roundStore: RoundStore | null = null;

/** Set by startGameServer: every round started afterwards is written to this store as it goes. */
export function useRoundStore(store: RoundStore | null): void {
  roundStore = store;
}

export function currentRoundStore(): RoundStore | null {
  return roundStore;
}
