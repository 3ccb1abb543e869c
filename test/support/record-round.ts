// A round recorded as the room records one, for the replay benchmarks and tests: the
// simulation stepped tick by tick with a few commands a team typically sends (and, when
// asked, a bot on every seat), its checkpoints and summary kept in a Recording.

import { SimBotView } from '../../shared/round/bot-view.js';
import type { Command } from '../../shared/protocol/commands.js';
import { botDecide, createBotMemory } from '../../shared/bots/node-bot.js';
import { applyCommand } from '../../shared/sim/commands.js';
import { advance, createSim, finishSim } from '../../shared/sim/engine.js';
import { summary } from '../../shared/sim/summary.js';
import type { ScenarioId } from '../../shared/scenarios/types.js';
import { finishRecording, maybeCheckpoint, recordCommand, recordProgress, startRecording, TICK_MS, type Recording } from '../../shared/replay/recording.js';

/** A few things a team does in a round: the same for every scenario (all have nodes 0–2). */
function plannedCommands(ticks: number): { tick: number; command: Command; by: string }[] {
  const at = (share: number) => Math.floor(ticks * share);
  return [
    { tick: at(0.05), command: { type: 'stance', node: 0, stance: 'serve' }, by: 'key-ada' },
    { tick: at(0.2), command: { type: 'chaos', kind: 'crash', target: 1, durationMs: 20_000, magnitude: 0 }, by: 'key-ada' },
    { tick: at(0.25), command: { type: 'restart', node: 1 }, by: 'bot-1' },
    { tick: at(0.4), command: { type: 'configure', settings: { readRepair: true } }, by: 'team' },
    { tick: at(0.55), command: { type: 'drain', node: 2 }, by: 'bot-2' },
    { tick: at(0.6), command: { type: 'undrain', node: 2 }, by: 'bot-2' },
    { tick: at(0.8), command: { type: 'repair', node: 0 }, by: 'key-ada' },
  ];
}

/**
 * A round run tick by tick as the room runs it, recording what it accepted; with `bots`, a
 * bot on every seat looks at its node once a simulated second, as the room's bots do.
 */
export function recordRound(scenario: ScenarioId, seed: number, seconds: number, bots = false): Recording {
  const durationMs = seconds * 1000;
  const sim = createSim({ scenario, chaos: 'normal', seed, durationMs, recordHistory: false });
  const rec = startRecording({
    roomId: 'bench', scenario, preset: 'cp', settings: null, chaos: 'normal', seed, durationMs, chaosEvents: sim.S.chaosSchedule,
    startedAt: '2026-01-01T00:00:00.000Z', isPublic: false, sessionId: null,
    roster: sim.S.nodes.map((n) => ({ id: `bot-${n.id}`, nickname: `Bot ${n.id}`, node: n.id, isBot: true })),
  });
  const end = durationMs / TICK_MS;
  const planned = plannedCommands(end);
  const memories = sim.S.nodes.map(() => createBotMemory());
  const botView = new SimBotView();
  for (let tick = 0; tick < end; tick++) {
    for (const c of planned) if (c.tick === tick && applyCommand(sim, c.command).ok) recordCommand(rec, tick, c.command, c.by);
    if (bots && tick > 0 && tick % (1000 / TICK_MS) === 0) {
      const view = botView.look(sim);
      for (let node = 0; node < sim.S.nodes.length; node++) {
        const command = botDecide(view, node, memories[node] ?? (memories[node] = createBotMemory()), sim.sc);
        if (command !== null && applyCommand(sim, command).ok) recordCommand(rec, tick, command, `bot-${node}`);
      }
    }
    advance(sim, (tick + 1) * TICK_MS);
    maybeCheckpoint(rec, tick + 1, sim.S);
    recordProgress(rec, tick + 1);
  }
  finishSim(sim);
  finishRecording(rec, summary(sim), false, { finished() {} });
  return rec;
}
