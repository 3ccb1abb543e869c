// The class screens' pure parts: the QR encoder against the standard's published values,
// the class addresses, and the small words and numbers the screens show.
import { describe, expect, it } from 'vitest';
import { encodeQr, qrCapacity, reedSolomon, type QrCode } from '../client/src/class/qr.js';
import { classRoot, classRouteOf } from '../client/src/class/paths.js';
import { lengthWords, nodeDots, places, ranked, shares, teamPhaseWords, type TeamV } from '../client/src/class/view.js';
import type { TeamNodeStatus } from '../shared/view/team-status.js';

const dark = (q: QrCode, x: number, y: number) => q.dark[y * q.size + x]!;

/** The 15 format bits as placed beside the top-left finder (bit 0 first). */
function formatBits(q: QrCode): number {
  const at: [number, number][] = [[8, 0], [8, 1], [8, 2], [8, 3], [8, 4], [8, 5], [8, 7], [8, 8], [7, 8], [5, 8], [4, 8], [3, 8], [2, 8], [1, 8], [0, 8]];
  return at.reduce((v, [x, y], i) => v | ((dark(q, x, y) ? 1 : 0) << i), 0);
}

/** The same 15 bits from their second copy, split between the other two finders. */
function formatBitsCopy(q: QrCode): number {
  let v = 0;
  for (let i = 0; i < 8; i++) v |= (dark(q, q.size - 1 - i, 8) ? 1 : 0) << i;
  for (let i = 8; i < 15; i++) v |= (dark(q, 8, q.size - 15 + i) ? 1 : 0) << i;
  return v;
}

// ISO/IEC 18004 table C.1: the format information for error correction level M, masks 0–7.
const FORMAT_M = ['101010000010010', '101000100100101', '101111001111100', '101101101001011', '100010111111001', '100000011001110', '100111110010111', '100101010100000'];

describe('the QR code of a join link', () => {
  it('computes Reed-Solomon check codewords as the standard does', () => {
    // The "HELLO WORLD" 1-M example: its 16 data codewords and their 10 check codewords.
    expect(reedSolomon([32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17], 10)).toEqual([196, 35, 39, 119, 235, 215, 231, 226, 93, 23]);
  });

  it('writes the format information of level M for every mask, twice', () => {
    for (let mask = 0; mask < 8; mask++) {
      const q = encodeQr('https://example.org/join/K7MQ3X', mask)!;
      expect(q.mask).toBe(mask);
      expect(formatBits(q)).toBe(parseInt(FORMAT_M[mask]!, 2));
      expect(formatBitsCopy(q)).toBe(parseInt(FORMAT_M[mask]!, 2));
      // The module that is always dark.
      expect(dark(q, 8, q.size - 8)).toBe(true);
    }
  });

  it('picks the smallest version that holds the text, up to version 10', () => {
    expect(encodeQr('http://127.0.0.1:41161/join/K7MQ3X')!.version).toBe(3);
    expect(qrCapacity(1)).toBe(14);
    expect(qrCapacity(10)).toBe(213);
    for (let v = 1; v <= 10; v++) {
      expect(encodeQr('x'.repeat(qrCapacity(v)))!.version).toBe(v);
      if (v < 10) expect(encodeQr('x'.repeat(qrCapacity(v) + 1))!.version).toBe(v + 1);
    }
    expect(encodeQr('x'.repeat(214))).toBeNull();
    // UTF-8: a letter with an accent takes two bytes.
    expect(encodeQr('é'.repeat(7))!.version).toBe(1);
    expect(encodeQr('é'.repeat(8))!.version).toBe(2);
  });

  it('draws finders, timing lines and (from version 7) the version information', () => {
    const q = encodeQr('y'.repeat(130))!;
    expect(q.version).toBe(8);
    expect(q.size).toBe(8 * 4 + 17);
    // Finders: a dark ring, a light ring, a dark 3×3 core, at three corners.
    for (const [ox, oy] of [[0, 0], [q.size - 7, 0], [0, q.size - 7]]) {
      expect(dark(q, ox!, oy!)).toBe(true);
      expect(dark(q, ox! + 1, oy! + 1)).toBe(false);
      expect(dark(q, ox! + 3, oy! + 3)).toBe(true);
    }
    for (let i = 8; i < q.size - 8; i++) {
      expect(dark(q, i, 6)).toBe(i % 2 === 0);
      expect(dark(q, 6, i)).toBe(i % 2 === 0);
    }
    // Version 7's 18 bits from the standard's table D.1, read from both of their blocks.
    const v7 = encodeQr('z'.repeat(qrCapacity(7)))!;
    expect(v7.version).toBe(7);
    let top = 0;
    let left = 0;
    for (let i = 0; i < 18; i++) {
      const a = v7.size - 11 + (i % 3);
      const b = Math.floor(i / 3);
      top |= (dark(v7, a, b) ? 1 : 0) << i;
      left |= (dark(v7, b, a) ? 1 : 0) << i;
    }
    expect(top).toBe(parseInt('000111110010010100', 2));
    expect(left).toBe(top);
  });
});

describe('class addresses', () => {
  it('reads the host, projector and join addresses, under any root', () => {
    expect(classRouteOf('/class/host')).toEqual({ kind: 'host' });
    expect(classRouteOf('/app/class/projector/')).toEqual({ kind: 'projector' });
    expect(classRouteOf('/join/k7m-q3x')).toEqual({ kind: 'join', code: 'K7MQ3X' });
    // A code that cannot be one still opens the form, to be corrected there.
    expect(classRouteOf('/join/oops')).toEqual({ kind: 'join', code: 'OOPS' });
    expect(classRouteOf('/')).toBeNull();
    expect(classRouteOf('/replay/abc')).toBeNull();
    expect(classRoot('/join/K7MQ3X')).toBe('/');
    expect(classRoot('/games/split/class/host')).toBe('/games/split/');
  });
});

describe('what the class screens say', () => {
  it('turns a team status into nodes, places and words', () => {
    const node = (status: TeamNodeStatus['status'], human: boolean, leaderOf = 0, slow = false, group = 0): TeamNodeStatus => ({ status, slow, human, leaderOf, group });
    expect(nodeDots([node('up', true, 2), node('up', false, 0, true), node('down', true, 1), node('recovering', false), node('removed', true)], false)).toEqual([
      { id: 0, word: 'up', bot: false, leads: 2, cutOff: false },
      { id: 1, word: 'slow', bot: true, leads: 0, cutOff: false },
      { id: 2, word: 'down', bot: false, leads: 1, cutOff: false },
      { id: 3, word: 'recovering', bot: true, leads: 0, cutOff: false },
      { id: 4, word: 'removed', bot: false, leads: 0, cutOff: false },
    ]);
    // A partition: nodes off the largest side are cut off.
    const side = (group: number) => node('up', true, 0, false, group);
    expect(nodeDots([side(0), side(0), side(1), side(1), side(0)], true).map((d) => d.cutOff)).toEqual([false, false, true, true, false]);
    expect(places([900, 900, 700, 650, 650])).toEqual([1, 1, 3, 4, 4]);
    expect(lengthWords(30)).toBe('30 seconds');
    expect(lengthWords(60)).toBe('1 minute');
    expect(lengthWords(150)).toBe('2.5 minutes');
    expect(shares([1, 1, 0, 2])).toEqual([25, 25, 0, 50]);
    expect(shares([0, 0])).toEqual([0, 0]);
    const team = (index: number, score: number, extra: Partial<TeamV> = {}): TeamV => ({
      index, name: `T${index}`, roomId: 'r', replayId: '', phase: 'live', paused: false, simMs: 61_000, durationMs: 180_000,
      nodes: [], partitioned: false, score, availability: 0.99, staleReads: 0, lostWrites: 0, p99: 10, humans: 1, ...extra,
    });
    expect(teamPhaseWords(team(0, 1))).toBe('live · 1:59 left');
    expect(teamPhaseWords(team(0, 1, { paused: true }))).toBe('paused');
    expect(teamPhaseWords(team(0, 1, { phase: 'debrief' }))).toBe('finished');
    expect(ranked([team(0, 500), team(1, 800), team(2, 800, { availability: 0.999 })]).map((t) => t.index)).toEqual([2, 1, 0]);
  });
});
