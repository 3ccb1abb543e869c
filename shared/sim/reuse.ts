// A message that has been handled is garbage the moment its handler returns, and the most
// frequent handlers answer with one new message (an acknowledgement, a forwarded request).
// Turning the handled message into that answer saves an allocation per hop. The result must
// be indistinguishable from a fresh message(m, from) — same fields, same values, same order
// (the event queue is part of the hashed state) — which test/message-reuse.test.ts checks
// against net.ts's message().

import type { Message } from './state.js';

/**
 * Resets a handled message to what message(m, from) creates and returns it. Only for a
 * message no one else holds: one just popped from the event queue, whose handler is done
 * reading it (read its fields first).
 */
export function reuseMessage(msg: Message, m: number, from: number): Message {
  msg.t = 0;
  msg.q = 0;
  msg.k = 0;
  msg.node = -1;
  msg.inc = 0;
  msg.a = 0;
  msg.m = m;
  msg.from = from;
  msg.shard = -1;
  msg.epoch = 0;
  msg.key = -1;
  msg.op = -1;
  msg.seq = 0;
  msg.ver = null;
  msg.vers = null;
  msg.keys = null;
  msg.req = 0;
  msg.ok = true;
  return msg;
}

/**
 * Handled messages nobody holds any more, kept for message() to hand out again instead of
 * allocating: client replies and the leader's most frequent acknowledgements are garbage
 * once handled, and allocating them again was a large share of the young generation's
 * churn. Bounded, so a burst does not pin memory. Reset by reuseMessage when taken, so a
 * spare is indistinguishable from a fresh message.
 */
const spares: Message[] = [];
const MAX_SPARES = 1024;

/** Keep a handled message for reuse. Only for one no one else holds (see reuseMessage). */
export function releaseMessage(msg: Message): void {
  if (spares.length < MAX_SPARES) spares.push(msg);
}

/** A spare message to reset and reuse, if any. */
export function takeSpare(): Message | undefined {
  return spares.pop();
}
