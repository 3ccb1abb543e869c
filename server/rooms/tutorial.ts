// The tutorial's step message: the client says which step the player reached, and the round
// (shared/round/tutorial.ts) strikes that step's scripted fault.

import { TUTORIAL_STEP_MSG } from '../../shared/protocol/messages.js';
import { choiceOf, fieldsOf, guarded, Problem, type Validation } from '../../shared/protocol/validate.js';
import type { Scenario } from '../../shared/scenarios/types.js';

export { TUTORIAL_FAULT_MS, TUTORIAL_FAULT_STEPS, tutorialChaos } from '../../shared/round/tutorial.js';

/** Validate an untrusted `tutorial-step` against the room's scenario. Never throws. */
export function parseTutorialStep(input: unknown, sc: Scenario): Validation<string> {
  return guarded(() => {
    const ids = (sc.tutorial ?? []).map((s) => s.id);
    if (ids.length === 0) return new Problem(`'${TUTORIAL_STEP_MSG}' is only for tutorial rounds`);
    const fields = fieldsOf(input, TUTORIAL_STEP_MSG, ['step']);
    if (fields instanceof Problem) return fields;
    if (!fields.has('step')) return new Problem(`missing field 'step'`);
    return choiceOf(fields.get('step'), 'step', ids);
  }, TUTORIAL_STEP_MSG);
}
