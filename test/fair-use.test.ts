// Fair use, piece by piece (server/rooms/fair-use.ts, bounded-log.ts, server/creation-cap.ts)
// with a hand-driven clock: what one connection may send, how refusals are answered, when a
// flood or a client that stopped reading is cut, and how often a log line may be written.
// test/server-flood.test.ts shows the same against a real server.
import { describe, expect, it } from 'vitest';
import { ClientState, Protocol, type Client, type Room } from '@colyseus/core';
import { boundedLog } from '../server/rooms/bounded-log.js';
import { FairUse, FLOOD_CLOSE, logsAsBadText, MAX_BUFFERED_BYTES, MAX_REFUSED, REFUSALS_ANSWERED } from '../server/rooms/fair-use.js';
import { capRoomCreation, CREATION_REFUSED_CODE } from '../server/creation-cap.js';

/** A ROOM_DATA frame with a short string type and no payload. */
const frame = (type = 'command') => Uint8Array.from([Protocol.ROOM_DATA, 0xa0 | type.length, ...Buffer.from(type)]);

function fakeClient(bufferedAmount = 0) {
  const sent: { type: string; msg: { code: string; ref?: number } }[] = [];
  const left: { code: number; reason: string }[] = [];
  const socket = { bufferedAmount, terminated: false, terminate() { this.terminated = true; } };
  const client = {
    sessionId: 'c1', state: ClientState.JOINED, ref: socket,
    send: (type: string, msg: { code: string }) => void sent.push({ type, msg }),
    leave: (code: number, reason: string) => void left.push({ code, reason }),
  } as unknown as Client;
  return { client, sent, left, socket };
}

function fairUse(clients: Client[], t: { now: number }, lines: string[] = [], refOf?: (p: unknown) => number | undefined) {
  const room = { roomName: 'cluster', roomId: 'r1', clients, clock: { setInterval: () => {} } } as unknown as Room;
  return new FairUse(room, { now: () => t.now, log: boundedLog('[fair use]', { now: () => t.now, write: (l) => lines.push(l) }), ...(refOf ? { refOf } : {}) });
}

describe('fair use of one connection', () => {
  it('takes a burst of 10 messages of any type, then 10 a second; answers refusals in a burst, then once a second', () => {
    const t = { now: 0 };
    const { client, sent, left } = fakeClient();
    const fu = fairUse([client], t);
    const admitted = Array.from({ length: 30 }, (_, i) => fu.admit(client, frame(i % 2 === 0 ? 'command' : 'nonsense'))).filter(Boolean).length;
    expect(admitted).toBe(10);
    expect(sent).toHaveLength(REFUSALS_ANSWERED.capacity);
    expect(sent.every((s) => s.type === 'error' && s.msg.code === 'rate-limited')).toBe(true);
    // A second later: ten more go through; of the refusals after them only one is answered.
    t.now = 1000;
    const later = Array.from({ length: 30 }, () => fu.admit(client, frame())).filter(Boolean).length;
    expect(later).toBe(10);
    expect(sent).toHaveLength(REFUSALS_ANSWERED.capacity + 1);
    expect(left).toEqual([]);
  });

  it('closes a connection that keeps flooding, with a code and a short reason, and reads nothing more from it', () => {
    const t = { now: 0 };
    const lines: string[] = [];
    const { client, sent, left } = fakeClient();
    const fu = fairUse([client], t, lines);
    for (let i = 0; i < 10 + MAX_REFUSED; i++) fu.admit(client, frame());
    expect(left).toEqual([]);
    expect(fu.admit(client, frame())).toBe(false);
    expect(left).toEqual([{ code: FLOOD_CLOSE.code, reason: FLOOD_CLOSE.reason }]);
    expect(Buffer.byteLength(FLOOD_CLOSE.reason)).toBeLessThanOrEqual(123);
    t.now = 60_000;
    expect(fu.admit(client, frame())).toBe(false);
    expect(sent.length).toBeLessThanOrEqual(REFUSALS_ANSWERED.capacity);
    expect(lines).toHaveLength(1);
  });

  it('never holds up leaving (nor counts it); names the ref of a refused message when the room asks', () => {
    const t = { now: 0 };
    const { client, sent } = fakeClient();
    const fu = fairUse([client], t, [], (p) => (p as { ref?: number } | undefined)?.ref);
    for (let i = 0; i < 10; i++) fu.admit(client, frame());
    expect(fu.admit(client, Uint8Array.from([Protocol.LEAVE_ROOM]))).toBe(true);
    expect(fu.admit(client, frame())).toBe(false);
    // msgpack { ref: 7 }
    expect(fu.admit(client, Uint8Array.from([...frame(), 0x81, 0xa3, 0x72, 0x65, 0x66, 0x07]))).toBe(false);
    expect(sent.at(-1)!.msg).toMatchObject({ code: 'rate-limited', ref: 7 });
  });

  it('cuts a connection that stopped reading (on its next frame, or at the room\'s check)', () => {
    const t = { now: 0 };
    const a = fakeClient(MAX_BUFFERED_BYTES + 1);
    const b = fakeClient(0);
    const fu = fairUse([a.client, b.client], t);
    fu.checkBacklogs();
    expect(a.socket.terminated).toBe(true);
    expect(b.socket.terminated).toBe(false);
    b.socket.bufferedAmount = MAX_BUFFERED_BYTES * 2;
    expect(fu.admit(b.client, frame())).toBe(false);
    expect(b.socket.terminated).toBe(true);
  });

  it('refuses a message type Colyseus\'s decoder would log as invalid text, in words', () => {
    const t = { now: 0 };
    const { client, sent } = fakeClient();
    const fu = fairUse([client], t);
    expect(fu.admit(client, Uint8Array.from([Protocol.ROOM_DATA, 0xa2, 0xff, 0xfe]))).toBe(false);
    expect(sent[0]!.msg.code).toBe('invalid');
    expect(fu.admit(client, frame('héllo'))).toBe(true);
    expect(logsAsBadText(Buffer.from('héllo 🙂'), 0, 11)).toBe(false);
    expect(logsAsBadText(Uint8Array.from([0x61, 0x80]), 0, 2)).toBe(true);
    expect(logsAsBadText(Uint8Array.from([0xf8]), 0, 1)).toBe(true);
  });
});

describe('a bounded log', () => {
  it('writes one line per few seconds and says how many it left out', () => {
    const t = { now: 0 };
    const lines: string[] = [];
    const log = boundedLog('[room x]', { everyMs: 5000, now: () => t.now, write: (l) => lines.push(l) });
    for (let i = 0; i < 1000; i++) log('bad frame');
    expect(lines).toEqual(['[room x] bad frame']);
    expect(log.suppressed).toBe(999);
    t.now = 6000;
    log('bad frame');
    expect(lines[1]).toBe('[room x] bad frame (999 similar lines left out in the last 6 s)');
  });
});

describe('the cap on rooms one address creates', () => {
  it('lets the server create rooms of its own without a caller (a class\'s team rooms)', async () => {
    const select = capRoomCreation(1, async () => 'p1');
    for (let i = 0; i < 5; i++) expect(await select('cluster', {})).toBe('p1');
    expect(CREATION_REFUSED_CODE).toBe(429);
  });
});
