// A process's first round to close would compile the closing's code (heal, converge, final
// reads and judging, summary, the debrief's re-runs) inside its slices: tens of ms in one
// step, the longest closing slice a server ever has. So a server plays and closes a few
// tiny rounds nobody sees once it is up, one of each kind of replication the closing walks,
// in the background: a tick or a closing step at a time between the event loop's other
// work, so start-up is no slower and no room waits on it for more than one such step.

import { RoundModel } from '../shared/round/model.js';
import { TICK_MS } from '../shared/round/runner.js';
import { getScenario } from '../shared/scenarios/index.js';
import { checkpointHash, CHECKPOINT_EVERY_TICKS } from './recording.js';

/** The rounds closed: leader and follower; leaderless, last write wins; leaderless with version vectors. */
const WARM_ROUNDS = [
  ['tutorial', 'ap'],
  ['cart', 'ap'],
  ['cart', 'version-vectors'],
] as const;
/** Simulated seconds of each: a few, enough for bots' actions to be re-run for the debrief's credits. */
const WARM_SECONDS = 4;

/** The warm-up, a tick or a closing step of one of its rounds at a time (every seat a bot, no room, no recording). */
export function* warmClosingSteps(): Generator<void, void, void> {
  for (const [id, preset] of WARM_ROUNDS) {
    const m = new RoundModel({
      scenario: getScenario(id)!, preset, chaos: 'normal', seed: 1, roundSeconds: WARM_SECONDS, lobbySeconds: 0, briefingSeconds: 0,
      setupSeconds: 0, debriefSeconds: 1, voteSeconds: 1, inClass: false, checkpoints: { every: CHECKPOINT_EVERY_TICKS, fingerprint: checkpointHash },
    });
    m.handle({ type: 'open' });
    while (!m.isClosing && m.phase !== 'debrief') {
      m.handle({ type: 'time', ms: TICK_MS });
      yield;
    }
    while (m.isClosing) {
      m.handle({ type: 'closing-step' });
      yield;
    }
  }
}

/** Run the warm-up in the background, a step each turn of the event loop; `stop` ends it early (shutdown). */
export function warmClosingInBackground(): { done: Promise<void>; stop: () => void } {
  const steps = warmClosingSteps();
  let stopped = false;
  const done = new Promise<void>((resolve) => {
    const next = (): void => {
      try {
        if (stopped || steps.next().done === true) return resolve();
      } catch (err) {
        // Only a warm-up: the rounds themselves are unaffected.
        console.error(`[warm-up] ${(err as Error).stack ?? String(err)}`);
        return resolve();
      }
      setImmediate(next);
    };
    setImmediate(next);
  });
  return { done, stop: () => void (stopped = true) };
}
