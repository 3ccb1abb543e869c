// The last word on a message no handler takes. Colyseus's own fallback echoes the message
// type into the socket's close reason (the socket library throws past 123 bytes) and builds
// text from whatever the client sent as the type; a client can also name the fallback's
// internal type, or '*', and have its payload treated as a message type. Any of those threw
// out of the transport and ended every round in the process. Every room installs this
// instead: it never echoes more than a short, escaped piece of the type, never calls
// anything on a value the client chose, and answers with an `error` message rather than a
// close.

import type { Client, Room } from '@colyseus/core';
import { MSG, type ErrorMessage } from '../../shared/protocol/messages.js';

/** Colyseus's fallback's own message type: a client may send it by name. */
const COLYSEUS_FALLBACK = '__no_message_handler';
/** At most this many characters of a client's message type are echoed back. */
export const MAX_ECHOED_TYPE_CHARS = 32;

/** A message type as a client may read it back: short, escaped, and never the result of calling the value's own methods. */
export function describeMessageType(type: unknown): string {
  if (typeof type === 'number') return Number.isFinite(type) ? String(type) : 'a number';
  if (typeof type !== 'string') return `${type === null || typeof type === 'object' ? 'an object' : `a value of type ${typeof type}`} (not a message type)`;
  const cut = type.length > MAX_ECHOED_TYPE_CHARS ? `${type.slice(0, MAX_ECHOED_TYPE_CHARS)}…` : type;
  return JSON.stringify(cut);
}

/**
 * Answer every message of a type the room does not know (including the fallback's internal
 * name and '*') with an `error` { code: 'invalid' } naming the types it does know.
 * `admit` may refuse to answer at all (a sender past its rate limit, someone not in the room).
 */
export function refuseUnknownMessages(room: Room, known: readonly string[], admit: (client: Client) => boolean = () => true): void {
  const expected = known.join(', ');
  const refuse = (client: Client, type: unknown): void => {
    if (!admit(client)) return;
    const msg: ErrorMessage = { error: `unknown message type ${describeMessageType(type)}; expected one of: ${expected}`, code: 'invalid' };
    client.send(MSG.error, msg);
  };
  // Unknown types arrive here as (client, type, payload); a message *named* '*' arrives as (client, payload).
  room.onMessage('*', (client: Client, type: unknown) => refuse(client, type));
  room.onMessage(COLYSEUS_FALLBACK, (client: Client) => refuse(client, COLYSEUS_FALLBACK));
}
