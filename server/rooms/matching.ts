// Quick play (`joinOrCreate('cluster', …)`) lands a player only in a room whose round is the
// one they asked for: the same scenario, preset, chaos, difficulty, seed, round length and
// phase lengths. Colyseus's filterBy compares only the fields a client happens to send, so
// a player who left chaos or the lobby length to its default was matched with any room,
// and the first player's choices (chaos none, a custom seed, a ten-minute lobby) applied
// to everyone after them. Here every request is reduced to one key built from its options
// as the room would read them (defaults filled in), and rooms are matched on that key only.

import type { RegisteredHandler } from '@colyseus/core';
import { parseRoomOptions, type RoomConfig } from './options.js';

/** The listing field rooms are matched by. */
export const MATCH_FIELD = 'match';
/** The key of options a room would refuse: no room has it, so the request goes on to `create`, which answers why. */
const NO_MATCH = 'invalid';

/** One string that is equal for two sets of options exactly when they make the same round. */
export function matchKey(cfg: RoomConfig): string {
  // The session link is left out on purpose: a class's team rooms are never matched (private),
  // and its secret must not sit in the shared room listing.
  const parts = [
    cfg.scenario.id, cfg.preset, cfg.chaos, cfg.difficulty, cfg.seed ?? 'any',
    cfg.roundSeconds, cfg.isPrivate ? 'private' : 'public',
    cfg.lobbySeconds, cfg.briefingSeconds, cfg.setupSeconds, cfg.debriefSeconds, cfg.voteSeconds,
  ];
  return parts.join('/');
}

/** The match key of a client's options, as sent (NO_MATCH for options a room would refuse). */
export function matchKeyOfOptions(options: unknown): string {
  const parsed = parseRoomOptions(options);
  return parsed.ok ? matchKey(parsed.value) : NO_MATCH;
}

/** Match this room type's quick play by every option (see above); returns the handler. */
export function matchByAllOptions<T extends RegisteredHandler>(handler: T): T {
  handler.filterBy([MATCH_FIELD]);
  // Colyseus reads these filter values both to find a room and to fill a new room's listing.
  handler.getFilterOptions = (options: unknown) => ({ [MATCH_FIELD]: matchKeyOfOptions(options) });
  return handler;
}
