// The replay run in a Web Worker (./sim-worker.ts), seen from the page: the page keeps what
// the viewer asked for (playing, the speed) so the controls answer at once, sends each wish
// on, and draws the frames that come back. A frame reflects the page's wishes up to the
// number it carries; until it has caught up with the latest, the page's own word on
// playing or paused stands.

import type { DriverHooks, ReplayDriver } from './driver.js';
import type { FromReplayWorker, ReplayFrame, ToReplayWorker } from './worker-protocol.js';
import type { ReplayMarker, ReplayVerification } from '../../../shared/replay/player.js';
import type { Recording } from '../../../shared/replay/recording.js';
import { startSim } from '../../../shared/replay/rerun.js';
import type { Sim } from '../../../shared/sim/engine.js';
import type { Summary } from '../../../shared/sim/summary.js';
import type { PlainClusterState } from '../../../shared/view/plain.js';

export class WorkerReplay implements ReplayDriver {
  endTick = 0;
  markers: readonly ReplayMarker[] = [];
  tick = 0;
  playing = false;
  speed = 1;
  verification: ReplayVerification = { checked: 0, matched: 0, mismatches: [], refused: 0 };
  state: PlainClusterState | null = null;
  private seq = 0;
  /** The request the latest frame answered (seq). */
  private answeredSeq = 0;
  private lastBehind: number | null = null;
  private hooks: DriverHooks | null = null;
  private seeking: { seq: number; done: (landed: boolean) => void } | null = null;
  private asked = new Map<number, (m: FromReplayWorker) => void>();
  private nextId = 1;

  private constructor(
    private readonly worker: Worker,
    private readonly rec: Recording,
  ) {}

  /** A worker with the recording opened in it; rejects when either fails. */
  static open(rec: Recording): Promise<WorkerReplay> {
    return new Promise((resolve, reject) => {
      let worker: Worker;
      try {
        worker = new Worker(new URL('./sim-worker.ts', import.meta.url), { type: 'module' });
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      const d = new WorkerReplay(worker, rec);
      let ready = false;
      worker.onmessage = (e: MessageEvent<FromReplayWorker>) => {
        const m = e.data;
        if (m.kind === 'ready') {
          ready = true;
          d.endTick = m.endTick;
          d.markers = m.markers;
          resolve(d);
        } else if (m.kind === 'failed') {
          worker.terminate();
          reject(new Error(m.error));
        } else d.receive(m);
      };
      worker.onerror = (e) => {
        if (ready) {
          // Nothing moves any more: say so where a developer (and the tests) will see it.
          console.error(`replay worker: ${e.message}`);
          return;
        }
        worker.terminate();
        reject(new Error(e.message || 'the replay worker could not start'));
      };
      d.send({ kind: 'open', rec, slowdown: benchSlowdown() });
    });
  }

  behind(): number | null {
    return this.playing ? this.lastBehind : null;
  }

  get answered(): boolean {
    return this.answeredSeq >= this.seq;
  }

  play(): void {
    this.playing = true;
    this.lastBehind = null;
    this.send({ kind: 'play', seq: ++this.seq, speed: this.speed });
  }

  pause(): void {
    this.playing = false;
    this.send({ kind: 'pause', seq: ++this.seq });
  }

  setSpeed(speed: number): void {
    this.speed = speed;
    this.lastBehind = null;
    this.send({ kind: 'speed', seq: ++this.seq, speed });
  }

  seek(tick: number): Promise<boolean> {
    // The worker drops the one this replaces where it got to; its caller hears so at once.
    this.seeking?.done(false);
    const seq = ++this.seq;
    this.send({ kind: 'seek', seq, tick });
    return new Promise((done) => {
      this.seeking = { seq, done };
    });
  }

  async branchSim(): Promise<Sim> {
    const m = await this.ask('branch');
    if (m.kind !== 'branch') throw new Error('no state to branch from');
    return { S: m.state, sc: startSim(this.rec, false).sc, log: null };
  }

  async finalSummary(): Promise<Summary> {
    const m = await this.ask('final');
    if (m.kind !== 'final') throw new Error('no final summary');
    return m.summary;
  }

  start(hooks: DriverHooks): void {
    this.hooks = hooks;
    if (this.state !== null) hooks.shown();
    hooks.settled();
  }

  stop(): void {
    this.hooks = null;
  }

  destroy(): void {
    this.stop();
    this.seeking?.done(false);
    this.seeking = null;
    this.worker.terminate();
  }

  private send(m: ToReplayWorker): void {
    this.worker.postMessage(m);
  }

  private ask(kind: 'branch' | 'final'): Promise<FromReplayWorker> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.asked.set(id, resolve);
      this.send({ kind, id });
    });
  }

  private receive(m: FromReplayWorker): void {
    if (m.kind === 'branch' || m.kind === 'final') {
      const answer = this.asked.get(m.id);
      this.asked.delete(m.id);
      answer?.(m);
      return;
    }
    if (m.kind === 'frame') this.frame(m);
  }

  private frame(f: ReplayFrame): void {
    const current = f.seq >= this.seq;
    this.answeredSeq = Math.max(this.answeredSeq, f.seq);
    // The worker stops by itself at the end or at a divergence; an older frame's word on
    // playing would undo a wish it has not seen yet.
    if (current) this.playing = f.playing;
    this.lastBehind = f.behind;
    this.verification = f.verification;
    if (f.state !== null) {
      this.state = f.state;
      this.tick = f.tick;
      this.hooks?.shown();
      const s = this.seeking;
      if (s !== null && f.seq >= s.seq) {
        this.seeking = null;
        s.done(true);
      }
    }
    this.hooks?.settled();
    // Drawn at the next frame: only then is the next one welcome.
    requestAnimationFrame(() => this.send({ kind: 'drawn' }));
  }
}

/**
 * How much slower than this computer the worker should act: set only by the benchmark of a
 * Chromebook-class computer (window.splitBrainSlowdown), which slows the page itself through
 * the devtools protocol, and that cannot reach a worker.
 */
function benchSlowdown(): number {
  const x = (globalThis as { splitBrainSlowdown?: unknown }).splitBrainSlowdown;
  return typeof x === 'number' && x > 1 ? x : 1;
}
