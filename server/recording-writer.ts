// Writes one round's recording to the round store while the round runs: the header when
// the live phase starts, then whatever was recorded since the last write about once a
// second, then the summary. A server killed mid-round loses at most the last second; the
// store reports such a round as interrupted, replayable up to its last written tick.
//
// Writes go one after another (each waits for the previous) so the log stays in order; a
// failing database is logged and the round goes on — the game never waits for storage.

import { randomBytes } from 'node:crypto';
import type { Recording } from '../shared/replay/recording.js';
import type { Summary } from '../shared/sim/summary.js';
import { cursorAtEnd, takePart, type RecordingCursor } from './store/parts.js';
import type { RoundStore } from './store/types.js';

/** A fresh round id: 128 random bits, URL-safe (22 characters), unguessable, so a link can share a round. */
export function newRoundId(): string {
  return randomBytes(16).toString('base64url');
}

/** What a round id looks like (the HTTP API answers 400 to anything else). */
export const ROUND_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export class RecordingWriter {
  /** How much of each list has been handed to the store. */
  private readonly sent: RecordingCursor;
  private chain: Promise<void>;
  private failed = false;
  private closed = false;

  constructor(
    private readonly store: RoundStore,
    readonly id: string,
    private readonly rec: Recording,
    playerKeys: string[],
    private readonly log: (msg: string) => void = (m) => console.error(m),
  ) {
    this.sent = cursorAtEnd(rec);
    this.chain = this.run('begin', () => store.begin(id, rec, playerKeys));
  }

  /** Hand the store everything recorded since the last flush (called about once a second). */
  flush(): void {
    if (this.closed) return;
    // Written even when nothing new was recorded: each write is also the round's heartbeat.
    const part = takePart(this.rec, this.sent);
    this.chain = this.chain.then(() => this.run('append', () => this.store.append(this.id, part)));
  }

  /** A player who joined after the start can find this round among theirs. */
  addPlayerKeys(keys: string[]): void {
    if (this.closed || keys.length === 0) return;
    this.chain = this.chain.then(() => this.run('addPlayerKeys', () => this.store.addPlayerKeys(this.id, keys)));
  }

  /** The round is over (or cut short): the rest of the log and the summary. */
  finish(summary: Summary, interrupted: boolean): Promise<void> {
    if (this.closed) return this.chain;
    this.closed = true;
    const part = takePart(this.rec, this.sent);
    this.chain = this.chain.then(() => this.run('finish', () => this.store.finish(this.id, part, summary, interrupted)));
    return this.chain;
  }

  /** Resolves once every write handed over so far is done (or has failed and been logged). */
  settled(): Promise<void> {
    return this.chain;
  }

  /** Whether a write has failed: the stored recording may then be incomplete. */
  get broken(): boolean {
    return this.failed;
  }

  private async run(what: string, write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (err) {
      // One warning per round is enough to tell the operator; the round itself goes on.
      if (!this.failed) this.log(`[recording ${this.id}] ${what} failed, the stored replay will be incomplete: ${(err as Error).message}`);
      this.failed = true;
    }
  }
}
