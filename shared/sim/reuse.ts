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
