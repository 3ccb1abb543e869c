// Watching a recording: the shared simulation fed the recording's commands at their ticks
// (the round's tick runner, shared/round/runner.ts), run wherever the viewer is (the browser,
// a test, the benchmark). It verifies every checkpoint it passes, keeps snapshots as it goes
// so that seeking back is cheap (./snapshots.ts), shows the round's markers (./markers.ts),
// and can hand out an independent copy of the state to branch from.

import { TickRunner, type TickOutcome } from '../round/runner.js';
import { finishSim, type Sim } from '../sim/engine.js';
import { summary, type Summary } from '../sim/summary.js';
import type { Scenario } from '../scenarios/types.js';
import { markersOf, type ReplayMarker } from './markers.js';
import { CHECKPOINT_EVERY_TICKS, checkpointHash, type Recording } from './recording.js';
import { replayEndTick, scheduleOf, startSim, type RecordedSchedule } from './rerun.js';
import { copyState, DEFAULT_CACHE_BYTES, SnapshotCache, type ReplayCacheStats, type Snapshot } from './snapshots.js';

export type { ReplayMarker } from './markers.js';
export { DEFAULT_CACHE_BYTES, type ReplayCacheStats } from './snapshots.js';

export interface CheckpointMismatch {
  tick: number;
  expected: string;
  actual: string;
}

export interface ReplayVerification {
  /** Checkpoints reached so far (each checked once, the first time the replay passes it). */
  checked: number;
  matched: number;
  mismatches: CheckpointMismatch[];
  /** Recorded commands the simulation refused when re-applied (each one is a divergence). */
  refused: number;
}

export interface ReplayPlayerOptions {
  /** Keep a snapshot every this many ticks (default: the checkpoint interval). */
  snapshotEveryTicks?: number;
  /**
   * Estimated bytes the snapshot cache may hold (default DEFAULT_CACHE_BYTES); past it the
   * snapshots furthest from the current position are thinned out.
   */
  cacheBytes?: number;
}

/**
 * A seek that re-runs a long stretch keeps a snapshot on its way at every this much of it
 * (and at least ON_THE_WAY_MIN_MS of the round apart): three copies at most, and the next
 * seek into the stretch steps through a part of it instead of re-running it from its start.
 * A snapshot far from the one before it is nearly a whole copy of the state, so the copies
 * cost the seek itself something (bench:replay: from nothing to half again, on a jump to 6:00).
 */
const ON_THE_WAY_PARTS = 4;
const ON_THE_WAY_MIN_MS = 60_000;

/** Idle time fills in a stretch between snapshots this many of the budget's spacings wide or wider. */
const FILL_BEHIND = 3;

interface Scout {
  sim: Sim;
  runner: TickRunner<number>;
  to: number;
  /** Filling in the stretch that begins at this tick (fillBehind); -1 when running ahead. */
  behind: number;
}

export class ReplayPlayer {
  readonly recording: Recording;
  /** The last tick the replay can reach: lastTick for an interrupted round, else durationMs / tickMs. */
  readonly endTick: number;
  /** Every marker of the round, in tick order. */
  readonly markers: readonly ReplayMarker[];
  readonly verification: ReplayVerification = { checked: 0, matched: 0, mismatches: [], refused: 0 };

  private readonly sc: Scenario;
  /** The viewer's simulation: one object throughout, whose state a jump replaces. */
  private readonly live: Sim;
  /** Steps the live simulation through the recorded commands; replaced when a seek restores a snapshot. */
  private runner: TickRunner<number>;
  private readonly scheduled: RecordedSchedule;
  private readonly every: number;
  /** Snapshots in tick order; tick 0 needs none (createSim is cheap). */
  private readonly cache: SnapshotCache;
  private readonly checkpointAt: Map<number, string>;
  private readonly checked = new Set<number>();
  private readonly refusedSeen = new Set<number>();
  private final: Summary | null = null;
  /** A second simulation making snapshots for the cache in idle time (lookAhead), and the tick it runs to. */
  private scout: Scout | null = null;
  /** The look-ahead has reached the round's end once: there is nothing more for it to do. */
  private lookedAhead = false;
  /** The interval before the viewer's tick that lookAhead last made sure the cache holds. */
  private keptBefore = 0;
  /** Where the stretches fillBehind has filled in began (each is filled once). */
  private readonly filledFrom = new Set<number>();
  /** The stretch the latest seek runs through, and where it keeps its next snapshot on the way; a restore starts another. */
  private stretch: { to: number; stride: number; next: number } | null = null;
  /** The least distance between the snapshots a seek keeps on its way, in ticks (whole intervals). */
  private readonly minStride: number;

  constructor(rec: Recording, opts: ReplayPlayerOptions = {}) {
    this.recording = rec;
    this.endTick = replayEndTick(rec);
    this.live = startSim(rec, false);
    this.sc = this.live.sc;
    const every = opts.snapshotEveryTicks ?? CHECKPOINT_EVERY_TICKS;
    this.every = Number.isInteger(every) && every > 0 ? every : CHECKPOINT_EVERY_TICKS;
    this.cache = new SnapshotCache({
      budget: opts.cacheBytes !== undefined && opts.cacheBytes >= 0 ? opts.cacheBytes : DEFAULT_CACHE_BYTES,
      every: this.every,
      // A minute of ticks: the neighbourhood of the current position the cache favours.
      near: Math.ceil(60_000 / rec.tickMs),
      endTick: this.endTick,
    });
    this.minStride = Math.ceil(ON_THE_WAY_MIN_MS / rec.tickMs / this.every) * this.every;
    this.scheduled = scheduleOf(rec);
    this.runner = this.runnerFrom(0);
    this.checkpointAt = new Map(rec.checkpoints.map((c) => [c.tick, c.hash]));
    this.markers = markersOf(rec, this.sc, this.endTick);
    this.verify();
  }

  /** The simulation at `tick` (do not mutate; use branch()). */
  get sim(): Sim {
    return this.live;
  }

  /** Steps done: simulated time is tick × tickMs. */
  get tick(): number {
    return this.runner.tick;
  }

  get cacheStats(): ReplayCacheStats {
    return this.cache.stats;
  }

  /**
   * Advance to `tick` (≤ endTick), applying commands and checking checkpoints on the way,
   * keeping a snapshot at every interval passed. A tick behind the current one is reached
   * through seek(); ticks are clamped and rounded as seek() does. With `stop`, asked before
   * every tick, it halts early where stop() says so; the same call again goes on from there.
   */
  stepTo(tick: number, stop?: () => boolean): void {
    const to = this.clamp(tick);
    if (to === null) return;
    if (to < this.tick) this.seek(to, stop);
    else this.run(to, true, stop);
  }

  /**
   * Go to any tick in [0, endTick], backwards through the snapshot cache. Out-of-range ticks
   * are clamped, fractional ones rounded down (the state at or before that moment); a tick
   * that is not a number (NaN) leaves the player where it is. With `stop`, the seek may end
   * early at a tick on the way (a viewer that slices its work, and drops a seek a newer one
   * replaced); calling seek() again with the same tick resumes it.
   */
  seek(tick: number, stop?: () => boolean): void {
    const to = this.clamp(tick);
    if (to === null || to === this.tick) return;
    const snap = this.cache.atOrBefore(to);
    const from = snap?.tick ?? 0;
    // Forward with nothing cached in between: just keep stepping.
    if (to < this.tick || from > this.tick) this.restore(snap);
    this.run(to, false, stop);
  }

  /**
   * Work for time the viewer has nothing else to ask, in two parts. First, fill the snapshot
   * cache ahead of the viewer: a second simulation runs on from the furthest state known (the
   * viewer's, or the latest snapshot) and keeps a snapshot every interval the budget allows,
   * so that a later seek anywhere in the round starts near its target instead of re-running
   * the round from where it was last known. The checkpoints it passes are verified (a
   * divergence ahead is known before the viewer gets there: divergedBy tells whether the
   * viewer has reached it). Then keep the snapshot of the interval just before the viewer's
   * position, if the cache lacks it, so that a step back or a scrub nearby starts close (a
   * seek between snapshots does not keep it itself: copying a big state would add as much
   * again to the seek). The cache thins out around the viewer's position. With `stop`,
   * asked before every tick, it halts early; the next call goes on. Returns true when
   * nothing is left to do (until the viewer moves).
   */
  lookAhead(stop: () => boolean = () => false): boolean {
    if (!this.lookedAhead && !this.fillAhead(stop)) return false;
    if (!this.keepBeforePlayhead(stop)) return false;
    return this.fillBehind(stop);
  }

  /** An independent copy of the simulation at the current tick, to continue with other decisions. */
  branch(): Sim {
    return { S: structuredClone(this.live.S), sc: this.sc, log: null };
  }

  /**
   * The round's final summary as the replay computes it (runs to endTick and, for a finished
   * round, closes it: heal, converge, judge). Does not move the player.
   */
  finalSummary(): Summary {
    if (this.final === null) {
      // From the furthest state already known: the current one or a later snapshot.
      const snap = this.cache.atOrBefore(this.endTick);
      const ahead = snap !== null && snap.tick > this.tick;
      const sim: Sim = { S: copyState(ahead ? snap.state : this.live.S), sc: this.sc, log: null };
      new TickRunner(sim, { startTick: ahead ? snap.tick : this.tick, scheduled: this.scheduled }).runTo(this.endTick);
      if (!this.recording.interrupted) finishSim(sim);
      this.final = summary(sim);
    }
    return structuredClone(this.final);
  }

  /** The first part of lookAhead: simulate on to the round's end, keeping snapshots. */
  private fillAhead(stop: () => boolean): boolean {
    const snap = this.cache.atOrBefore(this.endTick);
    const known = Math.max(this.tick, snap?.tick ?? 0);
    let scout = this.scout;
    if (scout === null || scout.to !== this.endTick || scout.runner.tick < known) {
      if (known >= this.endTick) return (this.lookedAhead = true);
      // From the furthest state known: the viewer's own (copied), or the latest snapshot.
      scout = this.scoutFrom(snap === null || this.tick >= snap.tick ? 'live' : snap, this.endTick);
    }
    while (scout.runner.tick < this.endTick) {
      if (stop()) return false;
      scout.runner.step();
      const at = scout.runner.tick;
      this.verify(at, scout.sim.S);
      if (at % this.every === 0 && this.cache.worthKeeping(at, scout.sim.S)) this.cache.keep(at, scout.sim.S, this.tick);
    }
    // Done: the scout's state is not needed any more.
    this.scout = null;
    return (this.lookedAhead = true);
  }

  /** The second part of lookAhead: the snapshot of the interval at or before the viewer's tick. */
  private keepBeforePlayhead(stop: () => boolean): boolean {
    const at = this.tick - (this.tick % this.every);
    // Tried once per interval: a budget too small to hold it would thin it out again at once.
    if (at === 0 || at === this.keptBefore) return true;
    const snap = this.cache.atOrBefore(at);
    if (snap?.tick !== at) {
      let scout = this.scout;
      if (at === this.tick) this.cache.keep(at, this.live.S);
      else {
        if (scout === null || scout.to !== at || scout.runner.tick > at) scout = this.scoutFrom(snap ?? 'start', at);
        while (scout.runner.tick < at) {
          if (stop()) return false;
          scout.runner.step();
          this.verify(scout.runner.tick, scout.sim.S);
        }
        this.cache.keep(at, scout.sim.S, this.tick);
        this.scout = null;
      }
    }
    this.keptBefore = at;
    return true;
  }

  /**
   * The third part of lookAhead: fill in the stretches a long seek stepped through, which it
   * kept only a few snapshots of (ON_THE_WAY_PARTS), widest first, at the budget's spacing. Each
   * stretch is filled in once (known by where it begins): the cache thins out far from the
   * viewer by design, and those gaps are not to be filled again and again.
   */
  private fillBehind(stop: () => boolean): boolean {
    for (;;) {
      let scout = this.scout;
      if (scout === null || scout.behind < 0) {
        const gap = this.cache.gapToFill(FILL_BEHIND, this.filledFrom);
        if (gap === null) return true;
        scout = this.scoutFrom(gap.from ?? 'start', gap.to);
        scout.behind = gap.from?.tick ?? 0;
      }
      while (scout.runner.tick < scout.to) {
        if (stop()) return false;
        scout.runner.step();
        const at = scout.runner.tick;
        this.verify(at, scout.sim.S);
        if (at % this.every === 0 && at < scout.to && this.cache.worthKeeping(at, scout.sim.S)) this.cache.keep(at, scout.sim.S, this.tick);
      }
      // Tried once it is filled in: one left part way (the viewer moved) is tried again.
      this.filledFrom.add(scout.behind);
      this.scout = null;
    }
  }

  /** A second simulation from a snapshot, the viewer's state or the round's start, that will run to `to`. */
  private scoutFrom(from: Snapshot | 'live' | 'start', to: number): Scout {
    const S = from === 'live' ? copyState(this.live.S) : from === 'start' ? startSim(this.recording, false).S : copyState(from.state);
    const sim: Sim = { S, sc: this.sc, log: null };
    const startTick = from === 'live' ? this.tick : from === 'start' ? 0 : from.tick;
    const scout = { sim, runner: new TickRunner(sim, { startTick, scheduled: this.scheduled }), to, behind: -1 };
    this.scout = scout;
    return scout;
  }

  private clamp(tick: number): number | null {
    if (typeof tick !== 'number' || Number.isNaN(tick)) return null;
    return Math.min(this.endTick, Math.max(0, Math.floor(tick)));
  }

  /**
   * Step to `to`, keeping a snapshot at every interval passed (`all`), or only the last one
   * before `to`, wherever the budget's spacing would keep one. So a seek between snapshots
   * already spread at that spacing keeps none (its copy would cost as much as the rest of
   * the seek); one that re-ran a stretch the cache lacks keeps the snapshot it ends near,
   * and on a long stretch a few on its way (ON_THE_WAY_PARTS).
   */
  private run(to: number, all: boolean, stop?: () => boolean): void {
    // The stretch a seek re-runs, from where it began: a seek in slices comes back to it.
    // (Playing keeps every snapshot the budget allows, and needs none.)
    let stretch = this.stretch;
    if (!all && (stretch === null || stretch.to !== to)) {
      const stride = Math.max(this.minStride, Math.ceil((to - this.tick) / ON_THE_WAY_PARTS / this.every) * this.every);
      stretch = this.stretch = { to, stride, next: this.tick + stride };
    }
    while (this.tick < to) {
      if (stop !== undefined && stop()) return;
      this.runner.step();
      this.verify();
      const at = this.tick;
      if (at % this.every !== 0) continue;
      let onTheWay = false;
      if (!all && stretch !== null && at >= stretch.next) {
        onTheWay = true;
        stretch.next = at + stretch.stride;
      }
      if ((all || to - at < this.every || onTheWay) && this.cache.worthKeeping(at, this.live.S)) this.cache.keep(at, this.live.S, onTheWay ? to : at);
    }
  }

  /** The runner from `tick` on the live simulation, counting each refused recorded command once. */
  private runnerFrom(tick: number): TickRunner<number> {
    return new TickRunner(this.live, { startTick: tick, scheduled: this.scheduled, onOutcome: (o) => this.outcome(o) });
  }

  private outcome(o: TickOutcome<number>): void {
    if (o.result.ok || this.refusedSeen.has(o.meta!)) return;
    this.refusedSeen.add(o.meta!);
    this.verification.refused++;
  }

  /**
   * Check the checkpoint of tick `at` (by default the viewer's), the first time the replay
   * gets there — the viewer or the look-ahead, whichever passes it first. Mismatches stay in
   * tick order, so the first is the moment the replay left the recorded round.
   */
  private verify(at = this.tick, S = this.live.S): void {
    const expected = this.checkpointAt.get(at);
    if (expected === undefined || this.checked.has(at)) return;
    this.checked.add(at);
    const v = this.verification;
    v.checked++;
    const actual = checkpointHash(S);
    if (actual === expected) v.matched++;
    else {
      let i = v.mismatches.length;
      while (i > 0 && v.mismatches[i - 1]!.tick > at) i--;
      v.mismatches.splice(i, 0, { tick: at, expected, actual });
    }
  }

  private restore(snap: Snapshot | null): void {
    // The state replaced is the player's own: its long arrays are refilled, not made anew.
    this.live.S = snap === null ? startSim(this.recording, false).S : copyState(snap.state, this.live.S);
    this.runner = this.runnerFrom(snap?.tick ?? 0);
    this.stretch = null;
  }
}
