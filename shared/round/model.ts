// The round as a pure model: one team's round from the lobby to the debrief. The room feeds
// it inputs (people joining and leaving, their messages, wall-clock time passing, the
// class's orders) and carries out the effects it returns (errors to a sender, feed lines,
// roster rows, what to project and record). No clock, no randomness, no network: the same
// inputs give the same round, so tests drive it without a server.
//
// Phases (shared/round/phases.ts) run on wall-clock countdowns; the live phase runs the
// tick runner (shared/round/runner.ts) in fixed steps at the wall clock's pace: the time
// input is accumulated and spent in whole steps. Seats (seats.ts) pass to bots when their
// players leave and back when they return; the team's settings changes go through votes
// (votes.ts); requests served make contributions (contributions.ts); the end makes the
// debrief (debrief.ts).

import type { Command } from '../protocol/commands.js';
import { commandScope } from '../protocol/commands.js';
import type { ErrorCode } from '../protocol/messages.js';
import { applyCommand } from '../sim/commands.js';
import type { ChaosLevel } from '../scenarios/chaos-types.js';
import type { Difficulty } from '../scenarios/difficulty.js';
import { createSim, finishSteps, type Sim } from '../sim/engine.js';
import type { SimState } from '../sim/state.js';
import type { ClusterSettings } from '../scenarios/settings.js';
import { summarySteps, type Summary } from '../sim/summary.js';
import type { Scenario, ScenarioId } from '../scenarios/types.js';
import { HOST, playerActor, TEAM, TUTORIAL } from './actor.js';
import { debriefOf, type AppliedCommand } from './debrief.js';
import { creditSteps, judgeable, MAX_PROBES, probeOf, type ActionCredit, type CreditProbe } from './credits.js';
import type { RoundEffect, RoundInput } from './effects.js';
import { simClockRuns, type Phase, type PhaseSeconds } from './phases.js';
import { BOT_EVERY_TICKS, TICK_MS, TickRunner, type TickOutcome } from './runner.js';
import { interruptedSummary, scoreNow } from './score.js';
import { Seating, type Person, type SeatHolder } from './seats.js';
import { TUTORIAL_FAULT_STEPS, tutorialChaos } from './tutorial.js';
import { VoteBox } from './votes.js';
import { PHASE_WORDS } from '../words/phases.js';
import { playerAwayText, playerBackText, proposedText, voteEndedText, voteRefusedText } from '../words/votes.js';
import { COMMAND_WORDS } from '../words/commands.js';

/** Project the simulation every this many steps (5 times a second). */
export const PROJECT_EVERY_TICKS = 4;
/** A round that falls behind catches up at most this many steps per time input, then lets go. */
export const MAX_CATCH_UP_STEPS = 10;

export interface RoundConfig extends PhaseSeconds {
  scenario: Scenario;
  preset: string;
  chaos: ChaosLevel;
  /** How hard the round is (default normal): the simulation plays the scenario scaled to it. */
  difficulty?: Difficulty;
  seed: number;
  roundSeconds: number;
  voteSeconds: number;
  /** One team of a class: the teacher keeps the time, and students join (and come back) live. */
  inClass: boolean;
  /** The recording's checkpoints (shared/replay/recording.ts): every this many ticks, this fingerprint of the state. */
  checkpoints: { every: number; fingerprint: (S: SimState) => string };
}

export type { RoundEffect, RoundInput, VoteRow } from './effects.js';

/** Where a queued command's refusal goes. */
interface Reply {
  replyTo: string;
  ref: number | undefined;
}

export class RoundModel {
  sim: Sim;
  /** The settings the round starts with (the team may change them in setup). */
  startSettings: ClusterSettings;
  phase: Phase = 'lobby';
  paused = false;
  finalSummary: Summary | null = null;
  /** Seats at creation: a room with this many players need not wait for its countdown. */
  readonly seatCount: number;
  /** The live phase's loop (null before it). */
  runner: TickRunner<Reply> | null = null;

  private readonly seating: Seating;
  private readonly votes = new VoteBox();
  /** Keys of players away and expected back: their seats are kept for them. */
  private readonly awaiting = new Set<string>();
  private phaseLeftMs = 0;
  private secondsLeft = 0;
  private acc = 0;
  private projectedTick = 0;
  /** The host's chaos, waiting for the tick every team applies it at. */
  private hostChaos: { atTick: number; command: Command }[] = [];
  /** The class's teacher ended the round before its time. */
  private endedByTeacher = false;
  /** The round's closing, under way in slices (null before and after). */
  private closing: Generator<void, Summary, void> | null = null;
  private shuttingDown = false;
  private readonly applied: AppliedCommand[] = [];
  /** Snapshots just before players' node actions, and the credits re-runs from them found (credits.ts). */
  private readonly probes: CreditProbe[] = [];
  private readonly credits: ActionCredit[] = [];
  /** Who held each seat when the live phase began. */
  private startRoster: SeatHolder[] = [];
  private out: RoundEffect[] = [];

  constructor(readonly cfg: RoundConfig) {
    this.startSettings = { ...cfg.scenario.presets[cfg.preset]! };
    this.sim = this.createSimulation();
    this.seatCount = this.sim.S.nodes.length;
    const round = this;
    this.seating = new Seating({
      get sim() {
        return round.sim;
      },
      get phase() {
        return round.phase;
      },
      get tick() {
        return round.tick;
      },
      emit: (e) => this.emit(e),
      roomEvent: (kind, text, node) => this.roomEvent(kind, text, node),
    });
  }

  /** Steps done in the live phase: simulated time is tick × TICK_MS. */
  get tick(): number {
    return this.runner?.tick ?? 0;
  }

  /** Time is up and the round is closing (heal, converge, judge) in slices. */
  get isClosing(): boolean {
    return this.closing !== null;
  }

  /** Everyone who joined and has not left for good. */
  get everyone(): Iterable<Readonly<Person>> {
    return this.seating.everyone;
  }

  /** The person may send messages now (joined and connected). */
  present(key: string): boolean {
    return this.seating.get(key)?.connected === true;
  }

  /** Connected human players. */
  humans(): number {
    return this.seating.humans();
  }

  /**
   * The key of the player this browser's player key names whose seat is kept for their
   * return (away, expected back), or null: who may take it back on a new connection.
   */
  keptFor(playerKey: string): string | null {
    for (const key of this.awaiting) {
      const p = this.seating.get(key);
      if (p !== undefined && !p.connected && !p.bot && !p.kicked && p.playerKey === playerKey) return key;
    }
    return null;
  }

  /** A connection with this player key is still open here (a drop the room has not noticed yet). */
  openFor(playerKey: string): boolean {
    for (const p of this.seating.everyone) if (p.connected && !p.bot && p.playerKey === playerKey) return true;
    return false;
  }

  handle(input: RoundInput): RoundEffect[] {
    this.out = [];
    this.dispatch(input);
    return this.out;
  }

  // ---------------------------------------------------------------------------------

  private dispatch(i: RoundInput): void {
    switch (i.type) {
      case 'open':
        this.showSimulation();
        return this.enterPhase('lobby', this.cfg.lobbySeconds);
      case 'join':
        return this.join(i.key, i.nickname, i.bot, i.playerKey);
      case 'away':
        return this.away(i.key, i.consented);
      case 'back': {
        this.awaiting.delete(i.key);
        const person = this.seating.get(i.key);
        if (person === undefined) return;
        this.seating.setConnected(person, true);
        this.roomEvent('player', playerBackText(person.nickname, person.node), person.node);
        return this.rosterChanged();
      }
      case 'leave': {
        this.awaiting.delete(i.key);
        const person = this.seating.get(i.key);
        if (person === undefined) return;
        this.seating.release(person);
        return this.rosterChanged();
      }
      case 'ready':
        return this.ready(i.key, i.phase);
      case 'command':
        return this.command(i.key, i.command, i.ref);
      case 'vote': {
        const person = this.seating.get(i.key);
        if (person !== undefined) this.propose(person, i.proposal, i.agree, i.ref);
        return;
      }
      case 'tutorial-step':
        return this.tutorialStep(i.key, i.step);
      case 'time':
        return this.time(i.ms);
      case 'closing-step':
        return this.closingStep();
      case 'pause':
      case 'resume':
        this.setPaused(i.type === 'pause');
        return this.roomEvent('class', this.paused ? 'Your teacher paused the round' : 'The round goes on');
      case 'end':
        if (this.phase === 'debrief' || this.closing !== null) return;
        this.setPaused(false);
        if (this.phase !== 'live') this.startLive();
        this.endedByTeacher = true;
        return this.endRound(true);
      case 'chaos':
        // Every team strikes at the same tick of its live phase: a team still in briefing or
        // setup keeps the order for later, a team already past the tick strikes at once.
        if (this.phase === 'briefing' || this.phase === 'setup' || this.phase === 'lobby') this.hostChaos.push({ atTick: i.atTick, command: i.command });
        else if (this.phase === 'live') this.hostChaos.push({ atTick: Math.max(i.atTick, this.tick), command: i.command });
        return;
      case 'kick': {
        const p = this.seating.get(i.key);
        if (p === undefined) return;
        p.kicked = true;
        if (p.connected) this.emit({ type: 'disconnect', key: p.key, code: 4003 });
        return;
      }
      case 'rename': {
        const p = this.seating.get(i.key);
        if (p !== undefined) this.seating.rename(p, i.nickname);
        return;
      }
      case 'shutdown':
        // A round whose time is up closes properly; one cut short is summed up as it stands.
        this.shuttingDown = true;
        if (this.closing !== null) while (this.closing !== null) this.closingStep();
        else if (this.phase === 'live') this.endRound(true);
        return;
    }
  }

  private emit(e: RoundEffect): void {
    this.out.push(e);
  }

  private error(to: string, ref: number | undefined, error: string, code: ErrorCode): void {
    this.emit({ type: 'error', to, ref, error, code });
  }

  private roomEvent(kind: string, text: string, node = -1): void {
    this.emit({ type: 'feed', t: simClockRuns(this.phase) ? this.sim.S.now : 0, kind, text, node });
  }

  /** Who is present changed: the open vote's electorate, and the room's listing. */
  private rosterChanged(): void {
    this.evaluateVote();
    this.emit({ type: 'roster' });
  }

  // ---------------------------------------------------------------------------------
  // People

  private join(key: string, nickname: string, bot: boolean, playerKey: string | null): void {
    const { inClass } = this.cfg;
    // A student of a class who comes back (a reload, another device) gets their own node back.
    if (inClass && playerKey !== null && this.seating.rejoin(key, playerKey, nickname)) return this.emit({ type: 'roster' });
    if (!inClass && (this.phase === 'live' || this.phase === 'debrief')) return this.emit({ type: 'join-refused', error: 'this round has already started' });
    if (this.phase === 'debrief') return this.emit({ type: 'join-refused', error: 'this round is over' });
    if (!inClass && !this.seating.hasFreeSeat()) return this.emit({ type: 'join-refused', error: 'every seat in this room is taken' });
    // In a class, a student who finds every node taken watches and votes.
    if (this.seating.add(key, nickname, bot, playerKey).node < 0) return;
    this.rosterChanged();
    // A full room need not wait for the countdown.
    if (this.phase === 'lobby' && this.seating.full(this.seatCount)) this.nextPhase();
  }

  private away(key: string, consented: boolean): void {
    const person = this.seating.get(key);
    if (person === undefined) return;
    this.seating.setConnected(person, false);
    this.rosterChanged();
    if (!consented && !person.kicked && this.phase !== 'debrief' && !this.shuttingDown) {
      this.roomEvent('player', playerAwayText(person.nickname, person.node), person.node);
      this.awaiting.add(key);
      return this.emit({ type: 'await-return', key });
    }
    this.seating.release(person);
    this.rosterChanged();
  }

  /**
   * `ready`: this player is done waiting. When every connected player is, the phase ends
   * early. A `ready` naming a phase that is already over is stale and ignored.
   */
  private ready(key: string, phase: Phase | undefined): void {
    const person = this.seating.get(key);
    if (person === undefined) return;
    if (this.cfg.inClass) return this.error(key, undefined, 'in a class the teacher keeps the time: the phase ends for every team together', 'phase');
    if (phase !== undefined && phase !== this.phase) return;
    if (this.phase === 'live' || this.phase === 'debrief') return this.error(key, undefined, `there is nothing to get ready for in the ${this.phase} phase`, 'phase');
    if (this.seating.ready(person)) this.nextPhase();
  }

  private command(key: string, command: Command, ref: number | undefined): void {
    const person = this.seating.get(key);
    if (person === undefined) return;
    switch (commandScope(command)) {
      case 'host':
        return this.error(key, ref, `only the host may use “${COMMAND_WORDS[command.type].label}”`, 'forbidden');
      case 'team':
        if (command.type !== 'configure') return;
        return this.propose(person, command.settings, true, ref);
      case 'node':
        if (!('node' in command)) return;
        if (command.node !== person.node) return this.error(key, ref, `node ${command.node} is not yours: you run node ${person.node}`, 'forbidden');
        break;
      case 'any':
        break;
    }
    if (this.phase !== 'live') return this.error(key, ref, `node actions wait for the live phase (now: ${this.phase})`, 'phase');
    this.runner!.enqueue(command, playerActor(key), { replyTo: key, ref });
  }

  /** The tutorial player reached a step: a step that shows a fault queues the simulation's chaos command. */
  private tutorialStep(key: string, step: string): void {
    const person = this.seating.get(key);
    if (person === undefined || !TUTORIAL_FAULT_STEPS.includes(step)) return;
    if (this.phase !== 'live') return this.error(key, undefined, `the '${step}' step happens in the live phase (now: ${this.phase})`, 'phase');
    const runner = this.runner!;
    // A fault already queued for this step has not struck yet: do not queue another.
    if (runner.pending.some((p) => p.by.kind === 'tutorial')) return;
    const command = tutorialChaos(this.sim.S, step, person.node);
    if (command !== null) runner.enqueue(command, TUTORIAL);
  }

  // ---------------------------------------------------------------------------------
  // Votes: the team is itself a quorum (votes.ts)

  private propose(person: Person, proposal: Partial<ClusterSettings>, agree: boolean, ref: number | undefined): void {
    const key = person.key;
    if (this.phase !== 'setup' && this.phase !== 'live') return this.error(key, ref, `settings are chosen in the setup and live phases (now: ${this.phase})`, 'phase');
    if (person.bot) return this.error(key, ref, 'bots do not vote: they keep the preset', 'forbidden');
    const cast = this.votes.cast(key, proposal, agree, ref, this.cfg.voteSeconds * 1000);
    if (typeof cast === 'object') return this.error(key, ref, cast.error, 'invalid');
    if (cast === 'proposed') this.roomEvent('vote', proposedText(person.nickname, proposal));
    this.evaluateVote();
  }

  private evaluateVote(): void {
    const counted = this.votes.count(this.seating.electorate(), (k) => this.seating.get(k)?.nickname ?? '');
    if (counted === null) return;
    const { vote, tally: t } = counted;
    if (t.outcome === 'open') return this.showVote();
    if (t.outcome !== 'passed') {
      this.showVote();
      return this.roomEvent('vote', voteEndedText(t.outcome === 'failed' ? 'failed' : 'expired', vote.proposal, t.yes, t.electorate));
    }
    this.roomEvent('vote', voteEndedText('passed', vote.proposal, t.yes, t.electorate));
    const command: Command = { type: 'configure', settings: vote.proposal };
    if (this.phase === 'live') {
      this.showVote();
      return this.runner!.enqueue(command, TEAM, { replyTo: vote.proposer, ref: vote.proposerRef });
    }
    // Setup: the round has not begun, so the team's choice becomes its starting settings.
    // Applying it to the idle simulation checks it is possible with this cluster.
    const trial = applyCommand(this.sim, command);
    if (!trial.ok) {
      this.votes.view.status = 'refused';
      this.showVote();
      this.roomEvent('vote', voteRefusedText(vote.proposal, trial.error));
      return this.error(vote.proposer, vote.proposerRef, trial.error, trial.code);
    }
    this.showVote();
    this.startSettings = { ...this.startSettings, ...vote.proposal };
    this.sim = this.createSimulation();
    this.showSimulation();
  }

  private showVote(): void {
    this.emit({ type: 'vote', view: this.votes.shown() });
  }

  // ---------------------------------------------------------------------------------
  // Time, phases and the fixed step

  private time(ms: number): void {
    // Closing runs in its own slices; a paused class stands still (no phase clock, no vote clock).
    if (this.closing !== null || this.paused) return;
    if (this.votes.elapse(ms)) this.evaluateVote();
    if (this.phase === 'live') return this.liveTime(ms);
    this.phaseLeftMs -= ms;
    this.setSecondsLeft(Math.max(0, Math.ceil(this.phaseLeftMs / 1000)));
    if (this.phaseLeftMs <= 0) this.nextPhase();
  }

  private liveTime(ms: number): void {
    this.acc += ms;
    let steps = 0;
    while (this.acc >= TICK_MS && this.phase === 'live' && this.closing === null) {
      if (steps === MAX_CATCH_UP_STEPS) {
        // Too far behind: the round slows down rather than freezing the process.
        this.acc = 0;
        break;
      }
      this.step();
      this.acc -= TICK_MS;
      steps++;
    }
    if (this.phase !== 'live' || this.closing !== null) return;
    if (this.tick - this.projectedTick >= PROJECT_EVERY_TICKS) this.project();
  }

  /** One fixed step: the host's chaos due now joins the queue, then the runner steps. */
  private step(): void {
    const runner = this.runner!;
    if (this.hostChaos.length > 0) {
      const due = this.hostChaos.filter((c) => c.atTick <= runner.tick);
      this.hostChaos = this.hostChaos.filter((c) => c.atTick > runner.tick);
      for (const c of due) runner.enqueue(c.command, HOST);
    }
    // A player's node action is about to apply: keep the state without it, to judge it by at the end.
    if (this.probes.length < MAX_PROBES && runner.pending.some(judgeable)) this.probes.push(probeOf(this.sim.S, runner.tick));
    runner.step();
    const tick = runner.tick;
    const cp = this.cfg.checkpoints;
    this.emit({ type: 'stepped', tick, checkpoint: tick % cp.every === 0 ? cp.fingerprint(this.sim.S) : null });
    if (runner.over) this.endRound(false);
  }

  private onOutcome(o: TickOutcome<Reply>): void {
    if (!o.result.ok) {
      if (o.meta !== undefined) this.error(o.meta.replyTo, o.meta.ref, o.result.error, o.result.code);
      return;
    }
    this.applied.push({ tick: o.tick, command: o.command, by: o.by });
    this.emit({ type: 'applied', tick: o.tick, command: o.command, by: o.by });
    this.seating.acted(o.by);
  }

  private nextPhase(): void {
    const c = this.cfg;
    switch (this.phase) {
      case 'lobby':
        this.seating.fillWithBots();
        return this.enterPhase('briefing', c.briefingSeconds);
      case 'briefing':
        return this.enterPhase('setup', c.setupSeconds);
      case 'setup':
        return this.startLive();
      case 'live':
        return;
      case 'debrief':
        this.phaseLeftMs = Infinity;
        return this.emit({ type: 'close' });
    }
  }

  private enterPhase(phase: Phase, seconds: number): void {
    this.phase = phase;
    this.phaseLeftMs = seconds * 1000;
    this.secondsLeft = seconds;
    this.emit({ type: 'phase', phase, secondsLeft: seconds });
    this.seating.unready();
    if (phase !== 'lobby') this.roomEvent('phase', PHASE_WORDS[phase].starts);
  }

  private setSecondsLeft(s: number): void {
    if (s === this.secondsLeft) return;
    this.secondsLeft = s;
    this.emit({ type: 'clock', secondsLeft: s });
  }

  private setPaused(paused: boolean): void {
    this.paused = paused;
    this.emit({ type: 'paused', paused });
  }

  private startLive(): void {
    // A class's team room stays open: late joiners and returning students come in live.
    if (!this.cfg.inClass) this.emit({ type: 'lock' });
    this.seating.fillWithBots();
    const preset = this.cfg.scenario.presets[this.cfg.preset]!;
    this.startRoster = this.seating.liveRoster();
    this.runner = new TickRunner<Reply>(this.sim, { bots: () => this.seating.botSeats(), onOutcome: (o) => this.onOutcome(o) });
    this.emit({ type: 'live', roster: this.startRoster.map((r) => ({ ...r })), settings: sameSettings(this.startSettings, preset) ? null : { ...this.startSettings } });
    this.acc = 0;
    this.projectedTick = 0;
    this.enterPhase('live', Math.ceil(this.sim.S.durationMs / 1000));
  }

  /** Close the round: heal, converge, judge (in slices); or, cut short, sum it up as it stands. */
  private endRound(interrupted: boolean): void {
    if (this.phase !== 'live' || this.closing !== null) return;
    if (!interrupted) {
      // finishSteps: a second or two of work that must not stall the other rooms of the
      // process (a class's teams all end at once), so the room runs it in slices.
      this.closing = this.closeSteps();
      this.setSecondsLeft(0);
      return this.roomEvent('phase', 'Time is up: the faults heal, the cluster converges, and every write is checked');
    }
    // finishSim would first play out the rest of the round (minutes of traffic): an
    // interrupted round is summed up as it stands, its lost writes not judged.
    this.completeRound(interruptedSummary(this.sim, this.cfg.checkpoints.fingerprint), true);
  }

  /**
   * The closing in slices: heal, converge and judge, re-run each probed action without it,
   * then sum the round up (lost writes, divergence, the state hash).
   */
  private *closeSteps(): Generator<void, Summary, void> {
    yield* finishSteps(this.sim);
    const names = this.names();
    yield* creditSteps(this.sim, this.applied, this.probes, (key) => names.get(key), this.credits);
    this.probes.length = 0;
    return yield* summarySteps(this.sim);
  }

  /** Nicknames by actor key: the seats at the start of the live phase, then everyone present. */
  private names(): Map<string, string> {
    const names = new Map<string, string>();
    for (const r of this.startRoster) names.set(r.id, r.nickname);
    for (const p of this.seating.everyone) names.set(p.key, p.nickname);
    return names;
  }

  private closingStep(): void {
    if (this.closing === null) return;
    const step = this.closing.next();
    if (step.done !== true) return;
    this.closing = null;
    this.completeRound(step.value, false);
  }

  /** The round is over: its summary and debrief. */
  private completeRound(s: Summary, interrupted: boolean): void {
    this.finalSummary = s;
    this.showProjection();
    const names = this.names();
    // Actions that helped earn their players points before the final shares are worked out
    // (none for a round cut short: its closing, and so its re-runs, never happened).
    const credits = interrupted ? [] : this.credits;
    this.seating.award(credits);
    this.seating.credit(() => s.score);
    if (this.votes.lapse()) this.showVote();
    const debrief = debriefOf({
      sim: this.sim, summary: s, interrupted, players: this.seating.shown, applied: this.applied,
      checkpoints: Math.floor(this.tick / this.cfg.checkpoints.every), names, credits, startSettings: this.startSettings,
    });
    // Cut short by the class's teacher, not by a server going down: the screens say which.
    if (interrupted && this.endedByTeacher) debrief.endedBy = 'teacher';
    this.emit({ type: 'debrief', debrief });
    this.enterPhase('debrief', this.cfg.debriefSeconds);
  }

  // ---------------------------------------------------------------------------------
  // The simulation on screens

  private createSimulation(): Sim {
    const c = this.cfg;
    const custom = !sameSettings(this.startSettings, c.scenario.presets[c.preset]!);
    return createSim({
      scenario: c.scenario.id as ScenarioId, preset: c.preset, settings: custom ? this.startSettings : undefined,
      chaos: c.chaos, difficulty: c.difficulty ?? 'normal', seed: c.seed, durationMs: c.roundSeconds * 1000, recordHistory: false,
    });
  }

  /** Show the (new) simulation as it will start, every node with its operator. */
  private showSimulation(): void {
    this.emit({ type: 'simulation' });
    this.seating.showNodes(true);
  }

  private showProjection(): void {
    this.emit({ type: 'project' });
    this.seating.showNodes(false);
  }

  private project(): void {
    const { S } = this.sim;
    this.projectedTick = this.tick;
    this.showProjection();
    this.setSecondsLeft(Math.max(0, Math.ceil((S.durationMs - S.now) / 1000)));
    this.seating.seatNewNodes();
    // Credit served requests and refresh contributions once a simulated second.
    if (this.tick % BOT_EVERY_TICKS < PROJECT_EVERY_TICKS) this.seating.credit(() => scoreNow(this.sim));
  }
}

function sameSettings(a: ClusterSettings, b: ClusterSettings): boolean {
  return (Object.keys(b) as (keyof ClusterSettings)[]).every((k) => a[k] === b[k]) && Object.keys(a).length === Object.keys(b).length;
}
