// Writes one round's recording to the round store while the round runs: the header when
// the live phase starts, then whatever was recorded since the last successful write about
// once a second, then the summary. A server killed mid-round loses at most the last second;
// the store reports such a round as interrupted, replayable up to its last written tick.
//
// Writes go one after another (each waits for the previous) so the log stays in order; the
// game never waits for storage. A write that fails moves nothing: the next one (a second
// later) carries everything since the last write that succeeded, so a database that is
// away for a while gets the whole log once it is back. The end of the round is retried a
// few times more (the round sends nothing after it). If it never gets through, the stored
// round stays a true prefix of the round — its log in order, up to the last tick written —
// and the store lists it as interrupted, never as a whole round.

import { randomBytes } from 'node:crypto';
import type { Recording } from '../shared/replay/recording.js';
import type { Summary } from '../shared/sim/summary.js';
import { cursorAtEnd, partSince, type RecordingCursor } from './store/parts.js';
import type { RoundStore } from './store/types.js';

/** A fresh round id: 128 random bits, URL-safe (22 characters), unguessable, so a link can share a round. */
export function newRoundId(): string {
  return randomBytes(16).toString('base64url');
}

/** What a round id looks like (the HTTP API answers 400 to anything else). */
export const ROUND_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/** Waits between tries of the round's last write (wall-clock ms): about half a minute in all. */
export const FINISH_RETRY_MS: readonly number[] = [500, 1000, 2000, 4000, 8000, 15000];

export interface RecordingWriterOptions {
  log?: (msg: string) => void;
  /** Waits between tries of the last write (tests shorten them). */
  finishRetryMs?: readonly number[];
}

export class RecordingWriter {
  /** How much of each list the store holds for sure; null until the header is stored. */
  private written: RecordingCursor | null = null;
  private chain: Promise<void>;
  private closed = false;
  /** The last write failed: the store is behind the round (the next write catches up). */
  private behind = false;
  /** The round's end never reached the store: its stored recording stays incomplete. */
  private gaveUp = false;
  private readonly log: (msg: string) => void;
  private readonly retryMs: readonly number[];

  constructor(
    private readonly store: RoundStore,
    readonly id: string,
    private readonly rec: Recording,
    private readonly playerKeys: string[],
    opts: RecordingWriterOptions = {},
  ) {
    this.log = opts.log ?? ((m) => console.error(m));
    this.retryMs = opts.finishRetryMs ?? FINISH_RETRY_MS;
    this.chain = Promise.resolve();
    this.queue(() => this.attempt('begin', () => this.catchUp()));
  }

  /** Hand the store everything recorded since the last successful write (called about once a second). */
  flush(): void {
    if (this.closed) return;
    // Written even when nothing new was recorded: each write is also the round's heartbeat.
    this.queue(() => this.attempt('append', () => this.catchUp()));
  }

  /** A player who joined after the start can find this round among theirs. */
  addPlayerKeys(keys: string[]): void {
    if (this.closed || keys.length === 0) return;
    this.queue(() => this.attempt('addPlayerKeys', () => this.store.addPlayerKeys(this.id, keys)));
  }

  /** The round is over (or cut short): the rest of the log and the summary, retried for a while. */
  finish(summary: Summary, interrupted: boolean): Promise<void> {
    if (this.closed) return this.chain;
    this.closed = true;
    this.queue(async () => {
      for (let i = 0; ; i++) {
        if (await this.attempt('finish', () => this.catchUp({ summary, interrupted }))) return;
        const wait = this.retryMs[i];
        if (wait === undefined) break;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
      this.gaveUp = true;
      const upTo = this.written === null ? 'nothing of it is stored' : 'it is stored up to its last written second and listed as interrupted';
      this.log(`[recording ${this.id}] the round's end could not be stored: ${upTo}`);
    });
    return this.chain;
  }

  /** Resolves once every write handed over so far is done (or has finally failed and been logged). */
  settled(): Promise<void> {
    return this.chain;
  }

  /** The store is behind the round right now, or the round's end never reached it. */
  get broken(): boolean {
    return this.behind || this.gaveUp;
  }

  /** Run `job` after every write handed over before it. */
  private queue(job: () => Promise<unknown>): void {
    this.chain = this.chain.then(async () => {
      await job();
    });
  }

  /** Bring the store up to the recording as it is now: the header first if it is not stored yet. */
  private async catchUp(end?: { summary: Summary; interrupted: boolean }): Promise<void> {
    if (this.written === null) {
      // begin stores everything the recording holds at this moment.
      const at = cursorAtEnd(this.rec);
      await this.store.begin(this.id, this.rec, this.playerKeys);
      this.written = at;
    }
    const at = cursorAtEnd(this.rec);
    const part = partSince(this.rec, this.written);
    if (end === undefined) await this.store.append(this.id, part);
    else await this.store.finish(this.id, part, end.summary, end.interrupted);
    this.written = at;
  }

  /** Run one write; true when it got through. The first failure and the recovery are logged, not every try. */
  private async attempt(what: string, write: () => Promise<void>): Promise<boolean> {
    try {
      await write();
      if (this.behind) this.log(`[recording ${this.id}] the round store answers again: the stored recording has caught up`);
      this.behind = false;
      return true;
    } catch (err) {
      if (!this.behind) this.log(`[recording ${this.id}] ${what} failed; retrying with the next write: ${(err as Error).message}`);
      this.behind = true;
      return false;
    }
  }
}
