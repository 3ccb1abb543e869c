// A cluster room's messages, validated, as the round's inputs. Validation never throws (a
// throwing handler would disconnect the client): a message that does not validate becomes
// the `error` to send back to its sender.

import { MSG, refOfMessage, TUTORIAL_STEP_MSG, validateCommandMessage, validateVoteMessage, type ErrorCode, type ErrorMessage } from '../../shared/protocol/messages.js';
import type { RoundInput } from '../../shared/round/model.js';
import type { Scenario } from '../../shared/scenarios/types.js';
import { parseReadyMessage } from './options.js';
import { parseTutorialStep } from './tutorial.js';

/** The message types a cluster room handles. */
export const ROUND_MESSAGES = [MSG.command, MSG.vote, MSG.ready, TUTORIAL_STEP_MSG] as const;

/** The round's input for a message of `type` from the player `key`, or the error to answer it with. */
export function inputOf(type: (typeof ROUND_MESSAGES)[number], key: string, raw: unknown, sc: Scenario): RoundInput | ErrorMessage {
  switch (type) {
    case MSG.command: {
      const v = validateCommandMessage(raw);
      return v.ok ? { type: 'command', key, ...v.value } : errorOf(refOfMessage(raw), v.error, 'invalid');
    }
    case MSG.vote: {
      const v = validateVoteMessage(raw);
      return v.ok ? { type: 'vote', key, ...v.value } : errorOf(refOfMessage(raw), v.error, 'invalid');
    }
    case MSG.ready: {
      const v = parseReadyMessage(raw);
      return v.ok ? { type: 'ready', key, phase: v.value } : errorOf(undefined, v.error, 'invalid');
    }
    case TUTORIAL_STEP_MSG: {
      const v = parseTutorialStep(raw, sc);
      return v.ok ? { type: 'tutorial-step', key, step: v.value } : errorOf(undefined, v.error, (sc.tutorial ?? []).length === 0 ? 'forbidden' : 'invalid');
    }
  }
}

/** An `error` message; `ref` only when the sender gave one. */
export function errorOf(ref: number | undefined, error: string, code: ErrorCode): ErrorMessage {
  const msg: ErrorMessage = { error, code };
  if (ref !== undefined) msg.ref = ref;
  return msg;
}
