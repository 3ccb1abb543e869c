// The replay's simulation, off the page's thread: the worker owns the player (and its
// snapshot cache) and the stage it projects into, plays at the speed asked for as fast as
// this computer allows, and sends the page the projected round at most every
// RENDER_EVERY_MS while playing, every FAST_RENDER_EVERY_MS faster than real time
// (renderEveryMs), at once after a seek or a pause. Long work is done in
// slices with a turn of the message queue between them, so a seek the page has replaced by
// a newer one is dropped where it is and the newer one carries on from there.

import { ReplayPlayer } from '../../../shared/replay/player.js';
import type { Recording } from '../../../shared/replay/recording.js';
import { PlaybackClock, RENDER_EVERY_MS, renderEveryMs } from './clock.js';
import { divergedBy } from './divergence.js';
import { isJump, moveTo, project } from './frame.js';
import { SimStage } from './stage.js';
import type { FromReplayWorker, ToReplayWorker } from './worker-protocol.js';

/** Real time one slice of a seek may take before the worker looks at its messages again, ms. */
const SLICE_MS = 20;
/** A wait while playing with nothing owed yet (a slow speed), ms. */
const IDLE_MS = 8;
/** A frame not drawn after this long: the page is not drawing (a hidden tab), and playing waits for it, ms. */
const UNSEEN_MS = 1000;
/** A slice of looking ahead while playing had nothing to step: short, so the playback is never late by more, ms. */
const AHEAD_WHILE_PLAYING_MS = 6;

const post = (m: FromReplayWorker) => (self as unknown as { postMessage(m: FromReplayWorker): void }).postMessage(m);

interface Replay {
  rec: Recording;
  player: ReplayPlayer;
  stage: SimStage;
  clock: PlaybackClock;
  /** The seek under way: where to, and whether it is a jump (the projection starts afresh after). */
  target: { tick: number; jump: boolean } | null;
  /** A jump was started and the stage not yet restarted (a newer seek may have replaced it). */
  restart: boolean;
  seq: number;
  /** The tick of the last state sent: what the page shows. */
  shown: number;
  postedAt: number;
  /** A frame is on its way to the page and not drawn yet: the next waits for it. */
  inFlight: boolean;
  /** Something to send at the next chance (a state to draw, or only the figures). */
  owed: 'state' | 'figures' | null;
  /** The idle work is done: the cache filled to the round's end and near the viewer (ReplayPlayer.lookAhead). */
  aheadDone: boolean;
}

let r: Replay | null = null;
let scheduled = false;
/** See the 'open' message: 1 on every real computer. */
let slowdown = 1;
// A turn of the message queue with no timer clamping: the loop's next slice.
const turn = new MessageChannel();
turn.port1.onmessage = () => {
  scheduled = false;
  pump();
};

self.onmessage = (e: MessageEvent<ToReplayWorker>) => {
  const m = e.data;
  if (m.kind === 'open') {
    slowdown = Number.isFinite(m.slowdown) && m.slowdown > 1 ? m.slowdown : 1;
    return open(m.rec);
  }
  if (r === null) return;
  switch (m.kind) {
    case 'drawn':
      r.inFlight = false;
      break;
    case 'play':
      r.seq = m.seq;
      r.clock.setSpeed(m.speed);
      r.clock.play();
      r.owed ??= 'figures';
      break;
    case 'pause':
      r.seq = m.seq;
      r.clock.pause();
      // Where the playback got to since the last state sent (up to FAST_RENDER_EVERY_MS of
      // it) is what the paused screen shows.
      r.owed = r.owed === 'state' || r.player.tick !== r.shown ? 'state' : 'figures';
      break;
    case 'speed':
      r.seq = m.seq;
      r.clock.setSpeed(m.speed);
      r.owed ??= 'figures';
      break;
    case 'seek': {
      r.seq = m.seq;
      const p = r.player;
      const to = Math.max(0, Math.min(p.endTick, Math.floor(m.tick)));
      // A jump from wherever the one it replaces got to; stepping on only from a settled place.
      if (to === p.tick && !r.restart) {
        r.target = null;
        r.owed = 'state';
        break;
      }
      const jump = r.restart || isJump(p.tick, to, r.rec.tickMs);
      r.target = { tick: to, jump };
      if (jump) r.restart = true;
      break;
    }
    case 'branch':
      post({ kind: 'branch', id: m.id, tick: r.player.tick, state: r.player.sim.S });
      break;
    case 'final':
      post({ kind: 'final', id: m.id, summary: r.player.finalSummary() });
      break;
  }
  schedule(0);
};

function open(rec: Recording): void {
  try {
    const player = new ReplayPlayer(rec);
    const stage = new SimStage({ preset: rec.preset, isPrivate: !rec.isPublic });
    stage.restart(player.sim);
    r = { rec, player, stage, clock: new PlaybackClock(rec.tickMs, () => performance.now()), target: null, restart: false, seq: 0, shown: 0, postedAt: 0, inFlight: false, owed: 'state', aheadDone: false };
    post({ kind: 'ready', endTick: player.endTick, markers: [...player.markers] });
    schedule(0);
  } catch (err) {
    post({ kind: 'failed', error: err instanceof Error ? err.message : String(err) });
  }
}

function schedule(ms: number): void {
  if (scheduled) return;
  scheduled = true;
  if (ms <= 0) turn.port2.postMessage(null);
  else
    setTimeout(() => {
      scheduled = false;
      pump();
    }, ms);
}

/**
 * One slice of work: a seek's, else the playback's, else — with nothing asked for — looking
 * ahead (the player simulates the rest of the round on a copy and keeps snapshots of it, so
 * that a seek later starts near its target instead of re-running the round up to it); then
 * what there is to send.
 */
function pump(): void {
  if (r === null) return;
  const p = r.player;
  const t0 = performance.now();
  if (r.target !== null) {
    const { tick, jump } = r.target;
    if (moveTo(p, tick, jump, () => performance.now() - t0 > SLICE_MS)) {
      r.target = null;
      // Somewhere new: the snapshot just before it is idle work (ReplayPlayer.lookAhead).
      r.aheadDone = false;
      if (r.restart) r.stage.restart(p.sim);
      r.restart = false;
      r.owed = 'state';
      // A long seek is no time the playback owes.
      if (r.clock.playing) r.clock.play();
    }
  } else if (r.clock.playing && r.inFlight && t0 - r.postedAt > UNSEEN_MS) {
    // As the page's own frames do in a hidden tab: no playing on unseen, nor catching up after.
    r.clock.play();
  } else if (r.clock.playing) {
    // Playing on would only show more of a round that did not happen: stop at the tick it
    // left the recorded one, as the page would.
    const stepped = r.clock.frame(t0, p, () => divergedBy(p.verification, p.tick));
    if (stepped > 0) r.owed = 'state';
    if (divergedBy(p.verification, p.tick)) r.clock.pause();
    if (!r.clock.playing) r.owed = 'state';
    else if (stepped === 0 && !r.aheadDone) lookAhead(r, t0 + AHEAD_WHILE_PLAYING_MS);
  } else if (!r.aheadDone) {
    lookAhead(r, t0 + SLICE_MS);
  }
  send();
  // As on a slower computer: the work just done would have taken `slowdown` times as long.
  const slow = (slowdown - 1) * (performance.now() - t0);
  const unseen = r.inFlight && performance.now() - r.postedAt > UNSEEN_MS;
  if (r.target !== null || (r.clock.playing && p.tick < p.endTick)) schedule(Math.max(slow, unseen ? RENDER_EVERY_MS : r.target === null && r.owed === null ? IDLE_MS : 0));
  else if (r.owed !== null) schedule(Math.max(slow, RENDER_EVERY_MS));
  else if (!r.aheadDone) schedule(slow);
}

/** A slice of looking ahead, until `until`; the checkpoints it verified are the page's to show (a divergence found ahead too). */
function lookAhead(r: Replay, until: number): void {
  const checked = r.player.verification.checked;
  r.aheadDone = r.player.lookAhead(() => performance.now() > until);
  if (r.player.verification.checked !== checked) r.owed ??= 'figures';
}

/** What is owed to the page: while playing, at most every renderEveryMs. */
function send(): void {
  if (r === null || r.owed === null || r.inFlight) return;
  const now = performance.now();
  if (r.clock.playing && r.target === null && now - r.postedAt < renderEveryMs(r.clock.speed)) return;
  // While a seek is under way nothing new is shown: only a pause or a speed is acknowledged.
  const withState = r.owed === 'state' && r.target === null;
  if (r.target !== null && r.owed === 'state') return;
  const p = r.player;
  if (withState) {
    project(r.stage, p, r.rec);
    r.shown = p.tick;
  }
  post({
    kind: 'frame',
    seq: r.seq,
    tick: r.shown,
    playing: r.clock.playing,
    behind: r.clock.behind(),
    verification: p.verification,
    state: withState ? r.stage.state : null,
  });
  r.postedAt = now;
  r.inFlight = true;
  r.owed = null;
}
