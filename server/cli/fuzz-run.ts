// The fuzzer's core: clients in every room kind send the seeded frames of fuzz-frames.ts to a
// running server, prove after every batch that the socket still answers (a probe whose reply
// can only come after everything sent before it), count what comes back, reconnect what the
// server closed, and watch an honest bot's round in another room keep going.
//
// A message is *answered* when the probe after it got its reply (the server processes a
// socket's frames in order), or *closed* when its socket closed before that. A room is
// *lost* when its socket closed without a reason and without the fuzzer having asked for
// it, and the room is gone afterwards.

import { Client, type Room } from 'colyseus.js';
import { describeFrame, frameSource, messageBytes, PROTOCOL, typeTooLongForClient, type Frame, type FrameSource, type RoomKind } from './fuzz-frames.js';
import { startBotPlayer, type BotPlayer } from '../bots/bot-client.js';
import { validateHostAction } from '../../shared/protocol/session.js';
import { MSG, type ErrorMessage } from '../../shared/protocol/messages.js';

/** Where a fuzzing client plays: a room kind, and which room of it. */
export type LaneKind = 'lobby' | 'tutorial' | 'bank' | 'host' | 'student';
export const LANE_KINDS: readonly LaneKind[] = ['lobby', 'tutorial', 'bank', 'host', 'student'];

export interface FuzzOptions {
  /** ws://host:port of the server. */
  endpoint: string;
  seed: number;
  /** Fuzz messages to send in all (probes not counted). */
  messages: number;
  /** Messages between two probes (default 32; a frame that may close the socket always goes alone). */
  batch?: number;
  /** How long a probe may wait for its reply before its messages count as unanswered. */
  probeTimeoutMs?: number;
  /** The sentinel's round is stalled when its simulated time stands still this long (wall ms). */
  stallMs?: number;
  progress?: (sent: number, total: number) => void;
}

export interface KindCounts {
  kind: LaneKind;
  sent: number;
  /** Of `sent`: raw frames and byte messages (no msgpack body of ours). */
  garbage: number;
  answered: number;
  /** Sent on a socket that closed before the probe after them was answered. */
  closed: number;
  unanswered: number;
  /** `error` replies by code (probes' replies not counted). */
  errors: Record<string, number>;
  /** Socket closes by code, with the reason when the server gave one. */
  closes: Record<string, number>;
  /** Back in the same room (reconnection token or joining it by id again). */
  reconnects: number;
  /** A new room had to be opened (the old one would not take the client back, or was closed on purpose). */
  newRooms: number;
  lost: number;
}

export interface Finding {
  what: 'crash' | 'lost-room' | 'unanswered' | 'sentinel' | 'stuck' | 'uncaught' | 'room-error' | 'reply';
  text: string;
  /** The frames sent just before, newest last (for a close or a timeout: that lane's; for a server line: every lane's). */
  recent: string[];
}

/** A frame a lane sent, kept to be sent again. */
export interface SentFrame {
  lane: string;
  kind: LaneKind;
  frame: Frame;
}

export interface SentinelReport {
  rounds: number;
  /** Simulated ms its current round reached. */
  simMs: number;
  /** Longest wall-clock stretch of a live round without its simulated time growing. */
  longestStallMs: number;
  ok: boolean;
}

export interface FuzzResult {
  seed: number;
  counts: KindCounts[];
  sentinel: SentinelReport;
  findings: Finding[];
  durationMs: number;
}

/** Lanes of each kind: several clients in parallel, two where a room takes more than one. */
const LANES: readonly LaneKind[] = ['lobby', 'lobby', 'tutorial', 'bank', 'bank', 'host', 'student', 'student'];
const ROOM_KIND: Readonly<Record<LaneKind, RoomKind>> = { lobby: 'lobby', tutorial: 'cluster', bank: 'cluster', host: 'session', student: 'session' };
/** Probe refs live far from the small refs fuzz payloads carry. */
const PROBE_REF_BASE = 2_000_000_000;
/** An unanswered probe is sent again this often (a rate-limited one gets no answer of its own). */
const PROBE_AGAIN_MS = 1100;
const RECENT = 6;
/** Tries at opening a room before a lane gives up (with growing pauses: about 11 s in all). */
const ATTEMPTS = 8;

export class FuzzRun {
  readonly findings: Finding[] = [];
  private readonly counts = new Map<LaneKind, KindCounts>();
  private readonly lanes: Lane[] = [];
  private sentinel: SentinelWatch | null = null;
  private watcher: Room | null = null;
  private sent = 0;
  private stopped = false;
  /** The class the host lane runs; students join it. */
  session: { roomId: string; code: string } | null = null;
  /** Session rooms the host lane sent a valid `close` (unless rate-limited, it ends the class): their end is no loss. */
  readonly closingSessions = new Set<string>();

  constructor(readonly opts: FuzzOptions) {
    for (const k of LANE_KINDS) this.counts.set(k, emptyCounts(k));
  }

  async run(): Promise<FuzzResult> {
    const started = Date.now();
    const quiet = muteClientWarnings();
    try {
      this.sentinel = new SentinelWatch(this.opts.endpoint, this.opts.stallMs ?? 8000, (f) => this.findings.push(f));
      await this.sentinel.start();
      // A quiet lobby member keeps the lobby alive, so a lobby that disappears is a loss, not the last one leaving.
      this.watcher = await new Client(this.opts.endpoint).joinOrCreate('lobby');
      this.watcher.onMessage('*', () => {});
      this.watcher.onLeave((code: number, reason?: string) => {
        // Judged a moment later: when the whole server went down, that is the finding instead.
        const recent = this.recent();
        setTimeout(() => {
          if (!this.stopped) this.findings.push({ what: 'lost-room', text: `the quiet lobby member was closed out (${closeKey(code, reason)})`, recent });
        }, 1000);
      });
      const per = Math.floor(this.opts.messages / LANES.length);
      let extra = this.opts.messages - per * LANES.length;
      LANES.forEach((kind, i) => {
        const quota = per + (extra-- > 0 ? 1 : 0);
        this.lanes.push(new Lane(this, `${kind}-${i}`, kind, quota, this.counts.get(kind)!));
      });
      // Open in order: the students need the host's class.
      for (const lane of this.lanes) await lane.open();
      const timer = setInterval(() => this.opts.progress?.(this.sent, this.opts.messages), 2000);
      try {
        await Promise.all(this.lanes.map((l) => l.run()));
      } finally {
        clearInterval(timer);
      }
      this.opts.progress?.(this.sent, this.opts.messages);
      // Every room still answers at the end.
      if (!this.stopped) {
        for (const lane of this.lanes) await lane.finalCheck();
        this.sentinel.check();
      }
      return { seed: this.opts.seed, counts: [...this.counts.values()], sentinel: this.sentinel.report(), findings: this.findings, durationMs: Date.now() - started };
    } finally {
      this.stopped = true;
      await this.close();
      quiet();
    }
  }

  /** The frames every lane sent last (for a server line that names no client). */
  recent(): string[] {
    return this.lanes.flatMap((l) => l.recentFrames());
  }

  /** The same, as frames that can be sent again (pinpoint). */
  recentSent(): SentFrame[] {
    return this.lanes.flatMap((l) => l.recentSent());
  }

  /**
   * After a run: send each candidate alone, newest first, on a fresh client of its lane's kind,
   * and return the first after which `errors()` (the server's uncaught errors so far) grew.
   * Null when no single frame does it (the error needed what came before, or a room's state).
   */
  async pinpoint(candidates: readonly SentFrame[], errors: () => number, settleMs = 500): Promise<SentFrame | null> {
    const quiet = muteClientWarnings();
    try {
      for (const c of [...candidates].reverse()) {
        if (c.kind === 'student' && this.session === null) await new Lane(this, 'pinpoint-host', 'host', 0, emptyCounts('host')).open().catch(() => {});
        const lane = new Lane(this, `pinpoint-${c.lane}`, c.kind, 0, emptyCounts(c.kind));
        try {
          await lane.open();
        } catch {
          continue;
        }
        const before = errors();
        await lane.sendAlone(c.frame);
        await sleep(settleMs);
        await lane.leave();
        if (errors() > before) return c;
      }
      return null;
    } finally {
      quiet();
    }
  }

  /** End the run early (the server is gone): lanes stop where they are and the result is what was seen so far. */
  abort(finding: Finding): void {
    this.findings.push(finding);
    this.stopped = true;
    this.sentinel?.quiet();
  }

  countSent(): void {
    this.sent++;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  hostLane(): Lane | undefined {
    return this.lanes.find((l) => l.kind === 'host');
  }

  private async close(): Promise<void> {
    await Promise.all(this.lanes.map((l) => l.leave()));
    if (this.watcher?.connection.isOpen) await this.watcher.leave(true).catch(() => {});
    await this.sentinel?.stop();
  }
}

/** Run the fuzzer once (see FuzzRun). */
export function runFuzz(opts: FuzzOptions): Promise<FuzzResult> {
  return new FuzzRun(opts).run();
}

// ---------------------------------------------------------------------------------

interface Close {
  code: number;
  reason: string;
  roomId: string;
  /** Why the fuzzer itself expected this close, or null. */
  expected: string | null;
}

/** One client: its room, its frames, its counts. */
class Lane {
  private readonly client: Client;
  readonly frames: FrameSource;
  room: Room | null = null;
  private readonly last: Frame[] = [];
  private sent = 0;
  private probeNo = 0;
  private probeWait: { match: (m: ErrorMessage) => boolean; done: () => void } | null = null;
  private closed: Close | null = null;
  private onClosed: (() => void) | null = null;
  /** Set when this connection should end (a LEAVE frame, a kick, a closed class, a round over). */
  private expected: string | null = null;
  private phase = '';
  private playerKey: string;
  private keyNo = 0;
  private readonly roomKind: RoomKind;
  /** One finding per lane for error replies that are not sentences. */
  private badReply = false;
  /** The current room's reconnection token (a cluster seat or a student's place is kept a while). */
  private token: string | null = null;
  private recovering: Promise<boolean> | null = null;

  constructor(
    private readonly fuzz: FuzzRun,
    readonly name: string,
    readonly kind: LaneKind,
    private readonly quota: number,
    private readonly counts: KindCounts,
  ) {
    this.client = new Client(fuzz.opts.endpoint);
    this.roomKind = ROOM_KIND[kind];
    this.frames = frameSource(fuzz.opts.seed, name, this.roomKind);
    this.playerKey = this.newKey();
  }

  async open(): Promise<void> {
    this.attach(await this.openRoom());
  }

  async run(): Promise<void> {
    const batch = this.fuzz.opts.batch ?? 32;
    let pending = 0;
    let held: Frame | null = null;
    while (this.sent < this.quota && !this.fuzz.isStopped) {
      if (!(await this.ensureOpen())) return;
      const room = this.room!;
      const f: Frame = held ?? this.frames.next();
      held = null;
      // A frame that may close the socket goes alone between two probes, so a close is its own.
      const risky = mayClose(f);
      if (risky && pending > 0) {
        await this.settle(room, pending);
        pending = 0;
        if (!room.connection.isOpen) {
          held = f;
          continue;
        }
      }
      this.send(room, f);
      pending++;
      if (risky || pending >= batch || this.sent >= this.quota) {
        await this.settle(room, pending);
        pending = 0;
      }
    }
  }

  /** Probe, and count the `n` frames sent since the last probe by how it went. */
  private async settle(room: Room, n: number): Promise<void> {
    const outcome = await this.probe(room);
    if (outcome === 'answered') this.counts.answered += n;
    else if (outcome === 'closed') this.counts.closed += n;
    else {
      this.counts.unanswered += n;
      this.fuzz.findings.push({ what: 'unanswered', text: `${this.name}: no answer to a probe within ${this.fuzz.opts.probeTimeoutMs ?? 15_000} ms in room ${room.roomId}`, recent: this.recentFrames() });
      this.expected = 'the fuzzer gave up on a silent socket';
      room.connection.close();
      await this.whenClosed();
    }
  }

  /** After the run: the room still answers. */
  async finalCheck(): Promise<void> {
    if (!(await this.ensureOpen())) return;
    const outcome = await this.probe(this.room!);
    if (outcome !== 'answered') this.fuzz.findings.push({ what: 'unanswered', text: `${this.name}: the last probe was ${outcome}`, recent: this.recentFrames() });
  }

  async leave(): Promise<void> {
    const room = this.room;
    this.expected = 'the run is over';
    if (room?.connection.isOpen) await Promise.race([room.leave(true), sleep(2000)]).catch(() => {});
  }

  recentFrames(): string[] {
    return this.last.map((f) => `${this.name}: ${describeFrame(f)}`);
  }

  recentSent(): SentFrame[] {
    return this.last.map((frame) => ({ lane: this.name, kind: this.kind, frame }));
  }

  /** One frame and a probe (pinpoint). */
  async sendAlone(f: Frame): Promise<void> {
    if (this.room === null) return;
    this.send(this.room, f);
    await this.probe(this.room);
  }

  // ---- sending

  private send(room: Room, f: Frame): void {
    this.sent++;
    this.counts.sent++;
    this.fuzz.countSent();
    this.last.push(f);
    if (this.last.length > RECENT) this.last.shift();
    try {
      if (f.kind === 'message') {
        if (this.kind === 'host' && f.type === 'host') this.noteHostAction(room, f.payload);
        if (typeTooLongForClient(f.type)) {
          const packr = (room as unknown as { packr: { pack(v: unknown): Uint8Array } }).packr;
          room.connection.send(messageBytes(f.type, f.payload === undefined ? null : Uint8Array.from(packr.pack(f.payload))) as never);
        } else room.send(f.type, f.payload);
      } else if (f.kind === 'bytes') {
        this.counts.garbage++;
        room.sendBytes(f.type, f.bytes);
      } else {
        this.counts.garbage++;
        if (typeof f.data !== 'string' && f.data[0] === PROTOCOL.LEAVE_ROOM) this.expected = 'the fuzzer sent LEAVE_ROOM';
        room.connection.send(f.data as never);
      }
    } catch {
      // colyseus.js could not pack it (the server never saw it): still counted as sent, answered by the probe.
    }
  }

  /** A valid `close` from the host ends the class on purpose: no loss. */
  private noteHostAction(room: Room, payload: unknown): void {
    const v = validateHostAction(payload);
    if (v.ok && v.value.action === 'close') this.fuzz.closingSessions.add(room.roomId);
  }

  /** Send a probe whose reply proves every earlier frame was read; wait for it or a close. */
  private probe(room: Room): Promise<'answered' | 'closed' | 'timeout'> {
    if (!room.connection.isOpen) return Promise.resolve('closed');
    const n = ++this.probeNo;
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish('timeout'), this.fuzz.opts.probeTimeoutMs ?? 15_000);
      // A probe past the rate limit may be dropped without an answer: the same probe again, once
      // the limit lets it through, is answered only after everything before it too.
      const again = setInterval(() => room.connection.isOpen && send(), PROBE_AGAIN_MS);
      const finish = (r: 'answered' | 'closed' | 'timeout') => {
        clearTimeout(timer);
        clearInterval(again);
        this.probeWait = null;
        if (this.onClosed === onClose) this.onClosed = null;
        resolve(r);
      };
      const onClose = () => finish('closed');
      let send = (): void => {};
      this.onClosed = onClose;
      if (this.roomKind === 'cluster') {
        // Cluster rooms rate-limit: an invalid command carries its ref into whichever error comes back.
        const ref = PROBE_REF_BASE + (n % 100_000_000);
        this.probeWait = { match: (m) => m.ref === ref, done: () => finish('answered') };
        send = () => room.send(MSG.command, { command: { type: 'probe' }, ref });
      } else {
        // Lobby and class: an unknown type is always refused, naming the type.
        const type = `fuzz-probe-${n}`;
        this.probeWait = { match: (m) => typeof m.error === 'string' && m.error.includes(`"${type}"`), done: () => finish('answered') };
        send = () => room.send(type);
      }
      send();
    });
  }

  // ---- the room

  private attach(room: Room): void {
    this.room = room;
    this.token = room.reconnectionToken;
    this.closed = null;
    this.expected = null;
    this.phase = '';
    room.onError.clear();
    room.onError(() => {});
    room.onMessage(MSG.error, (m: ErrorMessage) => {
      if (this.probeWait !== null && m !== null && typeof m === 'object' && this.probeWait.match(m)) return this.probeWait.done();
      const code = m !== null && typeof m === 'object' && typeof m.code === 'string' ? m.code : '(no code)';
      this.counts.errors[code] = (this.counts.errors[code] ?? 0) + 1;
      // An error is told in a sentence: never a stack, a source path, or a page of echoed input.
      const text = typeof m?.error === 'string' ? m.error : '';
      if (!this.badReply && (text.length > 1000 || /\n\s+at |node_modules|\.ts:\d+/.test(text))) {
        this.badReply = true;
        this.fuzz.findings.push({ what: 'reply', text: `${this.name}: an error reply of ${text.length} characters that is not a sentence: ${JSON.stringify(text.slice(0, 300))}`, recent: this.recentFrames() });
      }
    });
    room.onMessage('welcome', (m: { studentId?: unknown }) => {
      if (typeof m?.studentId === 'string' && m.studentId !== '') {
        this.fuzz.hostLane()?.frames.learn(m.studentId);
        this.frames.learn(m.studentId);
      }
    });
    room.onMessage('kicked', () => {
      this.expected = 'the class removed this student or closed';
    });
    room.onMessage(MSG.event, () => {});
    room.onMessage('*', () => {});
    room.onStateChange((s: { phase?: unknown; code?: unknown }) => {
      if (typeof s?.phase === 'string') this.phase = s.phase;
      if (this.kind === 'host' && typeof s?.code === 'string' && s.code !== '') this.fuzz.session = { roomId: room.roomId, code: s.code };
    });
    room.onLeave((code: number, reason?: string) => {
      const key = closeKey(code, reason);
      this.counts.closes[key] = (this.counts.closes[key] ?? 0) + 1;
      let expected = this.expected;
      if (expected === null && this.roomKind === 'cluster' && this.phase === 'debrief') expected = 'the round is over';
      if (expected === null && this.roomKind === 'session' && this.fuzz.closingSessions.has(room.roomId)) expected = 'the host closed the class';
      this.closed = { code, reason: reason ?? '', roomId: room.roomId, expected };
      if (this.room === room) this.room = null;
      this.onClosed?.();
    });
  }

  private whenClosed(): Promise<void> {
    if (this.room === null) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(resolve, 3000);
      this.onClosed = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  /** In a room, recovering first if needed; shared by the lane's own loop and students who need the host's class back. */
  ensureOpen(): Promise<boolean> {
    if (this.room !== null && this.room.connection.isOpen) return Promise.resolve(true);
    this.recovering ??= this.recover().finally(() => {
      this.recovering = null;
    });
    return this.recovering;
  }

  /** Back into the same room if it takes us, else a new one; false when the lane cannot go on. */
  private async recover(): Promise<boolean> {
    const c = this.closed;
    const token = this.token;
    if (c !== null && token !== null && (this.kind === 'tutorial' || this.kind === 'bank' || this.kind === 'student') && c.expected === null) {
      try {
        this.attach(await this.client.reconnect(token));
        this.counts.reconnects++;
        return true;
      } catch {
        // The seat was not kept: join again below.
      }
    }
    if (c !== null) {
      try {
        this.attach(await this.client.joinById(c.roomId, this.joinOptions()));
        this.counts.reconnects++;
        return true;
      } catch (err) {
        const message = (err as Error).message ?? String(err);
        const gone = /not found|has been disposed/.test(message);
        if (gone && c.expected === null && !c.reason && !this.fuzz.isStopped) {
          this.counts.lost++;
          this.fuzz.findings.push({ what: 'lost-room', text: `${this.name}: room ${c.roomId} is gone after its socket closed with ${closeKey(c.code, c.reason)} (${message})`, recent: this.recentFrames() });
        }
      }
    }
    for (let attempt = 0; attempt < ATTEMPTS && !this.fuzz.isStopped; attempt++) {
      try {
        this.attach(await this.openRoom());
        this.counts.newRooms++;
        return true;
      } catch (err) {
        if (this.fuzz.isStopped) return false;
        if (attempt === ATTEMPTS - 1) {
          this.fuzz.findings.push({ what: 'stuck', text: `${this.name}: could not get back into any room: ${(err as Error).message}`, recent: this.recentFrames() });
          return false;
        }
        await this.repairForStudent();
        await sleep(300 * (attempt + 1));
      }
    }
    return false;
  }

  private async openRoom(): Promise<Room> {
    const nickname = `Fuzz ${this.name}`;
    switch (this.kind) {
      case 'lobby':
        return this.client.joinOrCreate('lobby');
      case 'tutorial':
        return this.client.create('cluster', { scenario: 'tutorial', private: true, nickname });
      case 'bank':
        return this.client.joinOrCreate('cluster', { scenario: 'bank', nickname });
      case 'host': {
        const room = await this.client.create('session', { hostKey: this.hostKey() });
        await waitFor(() => typeof (room.state as { code?: unknown })?.code === 'string' && (room.state as { code: string }).code !== '', 10_000);
        this.fuzz.session = { roomId: room.roomId, code: (room.state as { code: string }).code };
        return room;
      }
      case 'student': {
        if (this.closed?.expected === 'the class removed this student or closed') this.playerKey = this.newKey();
        // The host may have closed its class (and be done sending): back in a room, it has opened a new one.
        await this.fuzz.hostLane()?.ensureOpen();
        const s = this.fuzz.session;
        if (s === null) throw new Error('no class to join yet');
        return this.client.joinById(s.roomId, { code: s.code, nickname, playerKey: this.playerKey });
      }
    }
  }

  private joinOptions(): Record<string, unknown> {
    switch (this.kind) {
      case 'lobby':
        return {};
      case 'host':
        return { hostKey: this.hostKey() };
      case 'student':
        return { code: this.fuzz.session?.code ?? '', nickname: `Fuzz ${this.name}`, playerKey: this.playerKey };
      default:
        return { nickname: `Fuzz ${this.name}` };
    }
  }

  /** A student the class will not take back: the host unlocks it and lets latecomers in. */
  private async repairForStudent(): Promise<void> {
    if (this.kind !== 'student') return;
    this.playerKey = this.newKey();
    const host = this.fuzz.hostLane()?.room;
    if (host?.connection.isOpen) {
      host.send('host', { action: 'lock', locked: false });
      host.send('host', { action: 'late-join', allow: true });
    }
  }

  private hostKey(): string {
    return `fuzz-host-${this.fuzz.opts.seed >>> 0}-key-0000`;
  }

  private newKey(): string {
    return `fuzz-${this.name}-${this.fuzz.opts.seed >>> 0}-${this.keyNo++}-player`.replace(/[^A-Za-z0-9_-]/g, '-');
  }
}

/** An honest bot playing a private bank round: its simulated time must keep growing. */
class SentinelWatch {
  private bot: BotPlayer | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private rounds = 0;
  private lastSimMs = 0;
  private lastGrowth = Date.now();
  private longestStallMs = 0;
  private ok = true;
  private stopping = false;

  constructor(
    private readonly endpoint: string,
    private readonly stallMs: number,
    private readonly report_: (f: Finding) => void,
  ) {}

  async start(): Promise<void> {
    await this.startRound();
    this.timer = setInterval(() => this.sample(), 250);
  }

  report(): SentinelReport {
    return { rounds: this.rounds, simMs: this.lastSimMs, longestStallMs: this.longestStallMs, ok: this.ok };
  }

  /** Called at the end: the round is still on and still advancing. */
  check(): void {
    this.sample();
    if (this.rounds === 0 || this.lastSimMs === 0) this.fail('the sentinel\'s round never went live');
  }

  /** Stop judging (the server is gone); stop() still ends the bot. */
  quiet(): void {
    this.stopping = true;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer !== null) clearInterval(this.timer);
    await this.bot?.stop().catch(() => {});
  }

  private async startRound(): Promise<void> {
    this.bot = await startBotPlayer(this.endpoint, {
      create: { scenario: 'bank', private: true, lobbySeconds: 0, briefingSeconds: 0, setupSeconds: 0, roundSeconds: 600 },
      nickname: 'Sentinel',
      hurry: true,
    });
    this.rounds++;
    this.lastSimMs = 0;
    this.lastGrowth = Date.now();
    this.bot.room.onLeave((code: number, reason?: string) => {
      setTimeout(() => {
        if (!this.stopping) this.fail(`the sentinel's room closed (${closeKey(code, reason)})`);
      }, 1000);
    });
  }

  private sample(): void {
    const s = this.bot?.room.state as { phase?: string; simMs?: number } | undefined;
    if (s === undefined || this.stopping) return;
    const now = Date.now();
    if (s.phase === 'live') {
      if ((s.simMs ?? 0) > this.lastSimMs) {
        this.lastSimMs = s.simMs ?? 0;
        this.lastGrowth = now;
      }
      const stall = now - this.lastGrowth;
      this.longestStallMs = Math.max(this.longestStallMs, stall);
      if (stall > this.stallMs && this.ok) this.fail(`the sentinel's simulated time stood still for ${stall} ms at ${this.lastSimMs} ms`);
    } else {
      this.lastGrowth = now;
      if (s.phase === 'debrief' && this.bot !== null) {
        // Its round ran to the end: a new one goes on being watched.
        const old = this.bot;
        this.bot = null;
        void old.stop().then(() => this.startRound()).catch((e: Error) => this.fail(`a new sentinel round could not start: ${e.message}`));
      }
    }
  }

  private fail(text: string): void {
    this.ok = false;
    this.report_({ what: 'sentinel', text, recent: [] });
  }
}

/** Raw frames, byte messages and messages near the frame limit may end the socket. */
function mayClose(f: Frame): boolean {
  return f.kind !== 'message' || f.big;
}

function emptyCounts(kind: LaneKind): KindCounts {
  return { kind, sent: 0, garbage: 0, answered: 0, closed: 0, unanswered: 0, errors: {}, closes: {}, reconnects: 0, newRooms: 0, lost: 0 };
}

/** A close as the table shows it: the code, and the server's reason when it gave one. */
export function closeKey(code: number, reason?: string): string {
  return reason ? `${code} ${reason.slice(0, 60)}` : String(code);
}

/** colyseus.js warns on the console for every refused connection and unknown message: the fuzzer counts those itself. */
function muteClientWarnings(): () => void {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    const first = String(args[0] ?? '');
    if (/colyseus\.js|Room connection|Room, onError/.test(first)) return;
    warn(...args);
  };
  return () => {
    console.warn = warn;
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms`);
    await sleep(20);
  }
}
