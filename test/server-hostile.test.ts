// Messages that once brought the whole server down, each sent once to a real server: the
// sender gets an `error` back (or nothing), its socket stays usable, and every other room
// goes on. Before the guard (server/rooms/guard.ts) each of these threw out of the socket
// library or out of Colyseus's fallback and ended the process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type Room } from 'colyseus.js';
import type { GameServer } from '../server/app.js';
import { startTestServer } from './support/game-server.js';
import { nextMessage, waitForState } from '../server/client-util.js';
import { describeMessageType, MAX_ECHOED_TYPE_CHARS } from '../server/rooms/guard.js';
import type { ClusterState } from '../server/rooms/schema.js';
import type { ErrorMessage } from '../shared/protocol/messages.js';

let server: GameServer;
let ws = '';
let http = '';

beforeAll(async () => {
  ({ server, ws, http } = await startTestServer());
});
afterAll(async () => {
  await server?.shutdown();
});

const LONG_TYPE = 'x'.repeat(110);
const LONG_PAYLOAD = 'y'.repeat(300);
const HOSTILE_OBJECT = { toString: 1, valueOf: 2 };

/** Send, then prove the sender's socket still answers: the reply to a probe comes back. */
async function expectRefusedAndAlive<S>(room: Room<S>, type: string, payload: unknown): Promise<ErrorMessage> {
  const reply = nextMessage<ErrorMessage>(room, 'error', 5000);
  room.send(type, payload);
  const err = await reply;
  expect(err.code).toBe('invalid');
  expect(err.error).toMatch(/^unknown message type/);
  // Never more than a short piece of what the client chose is echoed.
  expect(err.error.length).toBeLessThan(200);
  expect(room.connection.isOpen).toBe(true);
  return err;
}

async function serverAnswers(): Promise<void> {
  const res = await fetch(`${http}/healthz`);
  expect(res.status).toBe(200);
}

describe('one hostile message does not bring the server down', () => {
  it('lobby (no credentials): a 110-character message type', async () => {
    const lobby = await new Client(ws).joinOrCreate('lobby');
    await nextMessage(lobby, 'rooms', 5000);
    const err = await expectRefusedAndAlive(lobby, LONG_TYPE, undefined);
    expect(err.error).toContain('filter');
    // The lobby still does its job for this client.
    const rooms = nextMessage(lobby, 'rooms', 5000);
    lobby.send('filter', {});
    await rooms;
    await lobby.leave();
    await serverAnswers();
  });

  it("any room: Colyseus's fallback type by name, with a long payload and with a hostile object", async () => {
    const room = await new Client(ws).create<ClusterState>('cluster', { scenario: 'tutorial', private: true, nickname: 'Mallory' });
    await waitForState(room, (s) => s.phase === 'lobby', 5000, 'the lobby phase');
    await expectRefusedAndAlive(room, '__no_message_handler', LONG_PAYLOAD);
    await expectRefusedAndAlive(room, '__no_message_handler', HOSTILE_OBJECT);
    await expectRefusedAndAlive(room, '*', HOSTILE_OBJECT);
    await expectRefusedAndAlive(room, LONG_TYPE, HOSTILE_OBJECT);
    await room.leave();
    await serverAnswers();
  });

  it("session room: the type '*' with a hostile object, and the fallback's name", async () => {
    const host = await new Client(ws).create('session', { hostKey: 'hostile-test-host-key-1' });
    await expectRefusedAndAlive(host, '*', HOSTILE_OBJECT);
    await expectRefusedAndAlive(host, '__no_message_handler', LONG_PAYLOAD);
    const err = await expectRefusedAndAlive(host, LONG_TYPE, LONG_PAYLOAD);
    expect(err.error).toContain('host');
    await host.leave();
    await serverAnswers();
  });
});

describe('describeMessageType', () => {
  it('echoes a short, escaped piece of a string and never calls methods of other values', () => {
    expect(describeMessageType('vote')).toBe('"vote"');
    expect(describeMessageType(LONG_TYPE).length).toBeLessThanOrEqual(MAX_ECHOED_TYPE_CHARS + 3);
    expect(describeMessageType('a"b\n')).toBe('"a\\"b\\n"');
    expect(describeMessageType(7)).toBe('7');
    expect(describeMessageType(HOSTILE_OBJECT)).toBe('an object (not a message type)');
    expect(describeMessageType(null)).toBe('an object (not a message type)');
    expect(describeMessageType(true)).toBe('a value of type boolean (not a message type)');
    expect(describeMessageType(Object.create(null))).toBe('an object (not a message type)');
  });
});
