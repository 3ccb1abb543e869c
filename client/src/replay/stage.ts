// A simulation running in this browser, shown exactly as a live round is: the projection
// the room uses (shared/view/project.ts) fills a plain round view (shared/view/plain.ts)
// instead of the room's schema, and toView turns it into the RoundView every screen and
// the map read. The replay viewer and a branch both draw through this.

import { actorKey, botActor, botName, parseActor } from '../../../shared/round/actor.js';
import { newPlayer, newRoundState, PLAIN_MAKERS } from '../../../shared/view/plain.js';
import { createProjectionMemory, projectFinalMeasures, projectSim, projectStatic, resetProjection, type ProjectionMemory } from '../../../shared/view/project.js';
import type { Phase } from '../../../shared/protocol/messages.js';
import type { RosterEntry } from '../../../shared/replay/recording.js';
import type { Sim } from '../../../shared/sim/engine.js';
import type { Summary } from '../../../shared/sim/summary.js';
import { toView, type RoundView } from '../view.js';

/** Who runs one node: a roster entry without its node number. */
export type Seat = Pick<RosterEntry, 'id' | 'nickname' | 'isBot'>;

export class SimStage {
  readonly state = newRoundState();
  private mem: ProjectionMemory = createProjectionMemory();
  private seatsKey = '';

  constructor(meta: { preset: string; isPrivate: boolean }) {
    this.state.preset = meta.preset;
    this.state.isPrivate = meta.isPrivate;
  }

  /**
   * Start drawing `sim` afresh: a new simulation, or the same one after a jump (a seek
   * backwards restores an older state, so nothing the projection remembers still holds).
   */
  restart(sim: Sim): void {
    resetProjection(this.state, this.mem);
    this.state.feed.length = 0;
    projectStatic(this.state, sim);
    if (this.state.seats === 0) this.state.seats = sim.S.nodes.length;
    this.seatsKey = '';
  }

  /**
   * Copy the simulation's state in. `seats[i]` is who runs node i now; `final`, once the
   * round is closed, puts its judged measures (lost writes included) in the HUD.
   */
  show(sim: Sim, phase: Phase, seats: readonly (Seat | undefined)[], final: Summary | null = null): void {
    const st = this.state;
    st.phase = phase;
    projectSim(st, sim, this.mem, PLAIN_MAKERS);
    st.phaseSecondsLeft = Math.max(0, Math.ceil((sim.S.durationMs - sim.S.now) / 1000));
    if (final !== null) projectFinalMeasures(st.measures, final);
    this.seat(seats);
  }

  view(me = ''): RoundView {
    return toView(this.state, me);
  }

  /** Node owners and the players map, redone only when a seat changed hands. */
  private seat(seats: readonly (Seat | undefined)[]): void {
    const st = this.state;
    const key = `${st.nodes.length}|${seats.map((s) => (s === undefined ? '' : `${s.id}:${s.nickname}:${s.isBot ? 1 : 0}`)).join(',')}`;
    if (key === this.seatsKey) return;
    this.seatsKey = key;
    const keep = new Set<string>();
    st.nodes.forEach((n, i) => {
      const s = seats[i] ?? { id: actorKey(botActor(i)), nickname: botName(i), isBot: true };
      n.ownerId = s.id;
      n.owner = s.nickname;
      n.botControlled = s.isBot;
      keep.add(s.id);
      let p = st.players.get(s.id);
      if (p === undefined) {
        p = newPlayer(s.id);
        st.players.set(s.id, p);
      }
      p.nickname = s.nickname;
      p.node = i;
      p.isBot = s.isBot && parseActor(s.id).kind === 'bot';
      p.connected = true;
    });
    for (const id of [...st.players.keys()]) if (!keep.has(id)) st.players.delete(id);
  }
}

/** Who ran each node at `tick`: the starting roster, then every change up to that tick. */
export function seatsAt(roster: readonly RosterEntry[], changes: readonly (RosterEntry & { tick: number })[], tick: number): Seat[] {
  const out: Seat[] = [];
  for (const r of roster) out[r.node] = { id: r.id, nickname: r.nickname, isBot: r.isBot };
  for (const c of changes) {
    if (c.tick > tick) break;
    out[c.node] = { id: c.id, nickname: c.nickname, isBot: c.isBot };
  }
  return out;
}
