// The round's effects on the room's schema: roster rows, node owners, the vote, the feed,
// the phase and its clock; the simulation itself through the projection functions.

import type { Sim } from '../../shared/sim/engine.js';
import type { RoundEffect } from '../../shared/round/model.js';
import type { OwnerRow, PlayerRow } from '../../shared/round/seats.js';
import { projectFinalBudget, projectFinalMeasures, projectSettings, projectSim, projectStatic, pushFeed, resetProjection, type ProjectionMemory } from './projection.js';
import { PlayerView, type ClusterState } from './schema.js';

/** Show one effect on the schema; effects that are not about the schema are left alone. */
export function showEffect(state: ClusterState, sim: Sim, mem: ProjectionMemory, e: RoundEffect): void {
  switch (e.type) {
    case 'feed':
      return pushFeed(state, e.t, e.kind, e.text, e.node);
    case 'phase':
      state.phase = e.phase;
      state.phaseSecondsLeft = e.secondsLeft;
      return;
    case 'clock':
      state.phaseSecondsLeft = e.secondsLeft;
      return;
    case 'paused':
      state.paused = e.paused;
      return;
    case 'player':
      return showPlayer(state, e.row);
    case 'player-gone':
      state.players.delete(e.id);
      return;
    case 'owner':
      return showOwner(state, e.node, e.owner);
    case 'vote': {
      const view = state.vote;
      const v = e.view;
      view.id = v.id;
      view.status = v.status;
      view.proposal = v.proposal;
      view.proposer = v.proposer;
      view.yes = v.yes;
      view.no = v.no;
      view.electorate = v.electorate;
      view.needed = v.needed;
      view.secondsLeft = v.secondsLeft;
      for (const [who, agree] of v.ballots) if (view.ballots.get(who) !== agree) view.ballots.set(who, agree);
      for (const who of [...view.ballots.keys()]) if (!v.ballots.has(who)) view.ballots.delete(who);
      return;
    }
    case 'simulation':
      resetProjection(state, mem);
      projectStatic(state, sim);
      // Setup shows the cluster as it will start; the event feed of the idle sim stays out.
      mem.lastFeed = sim.S.feed[sim.S.feed.length - 1] ?? null;
      projectSim(state, sim, mem);
      projectSettings(state.settings, sim.S.settings);
      return;
    case 'project':
      return projectSim(state, sim, mem);
    case 'debrief':
      projectFinalMeasures(state.measures, e.debrief.summary);
      if (e.debrief.budget !== undefined) projectFinalBudget(state.errorBudget, e.debrief.budget);
      state.debrief = JSON.stringify(e.debrief);
      return;
    default:
      return;
  }
}

function showPlayer(state: ClusterState, row: PlayerRow): void {
  const v = state.players.get(row.id) ?? new PlayerView();
  v.id = row.id;
  v.nickname = row.nickname;
  v.node = row.node;
  v.connected = row.connected;
  v.isBot = row.isBot;
  v.actions = row.actions;
  v.served = row.served;
  v.anomalies = row.anomalies;
  v.contribution = row.contribution;
  if (!state.players.has(row.id)) state.players.set(row.id, v);
}

function showOwner(state: ClusterState, node: number, o: OwnerRow): void {
  const view = state.nodes[node];
  if (view === undefined) return;
  view.ownerId = o.ownerId;
  view.owner = o.owner;
  view.botControlled = o.botControlled;
}
