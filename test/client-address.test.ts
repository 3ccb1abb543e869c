// Whose request is it: the address per-address limits count against. A header that names an
// address is believed only as far as the operator's own proxies go (TRUST_PROXY), so a client
// cannot pick a new address for each request and walk past the room cap or the code guesses.

import { describe, expect, it } from 'vitest';
import { clientAddress } from '../server/client-address.js';

const req = (peer: string | undefined, headers: Record<string, string | string[]> = {}) => ({ headers, socket: { remoteAddress: peer } }) as Parameters<typeof clientAddress>[0];

describe('the address a request counts against', () => {
  it('with no trusted proxy, is the socket\'s peer whatever the headers say', () => {
    const forged = { 'x-forwarded-for': '198.51.100.7', 'x-real-ip': '198.51.100.8' };
    expect(clientAddress(req('203.0.113.5', forged), 0)).toBe('203.0.113.5');
    expect(clientAddress(req('::ffff:203.0.113.5', forged), 0)).toBe('203.0.113.5');
  });

  it('behind one proxy, is the address that proxy appended, not what the client wrote before it', () => {
    // The client sent "X-Forwarded-For: 1.2.3.4"; the proxy appended the address it saw.
    expect(clientAddress(req('10.0.0.2', { 'x-forwarded-for': '1.2.3.4, 198.51.100.7' }), 1)).toBe('198.51.100.7');
    // Behind two proxies: the outer one's entry.
    expect(clientAddress(req('10.0.0.2', { 'x-forwarded-for': '1.2.3.4, 198.51.100.7, 10.0.0.9' }), 2)).toBe('198.51.100.7');
    // A header sent twice arrives as a list.
    expect(clientAddress(req('10.0.0.2', { 'x-forwarded-for': ['1.2.3.4', '198.51.100.7'] }), 1)).toBe('198.51.100.7');
  });

  it('trusting more hops than the request came through stops at the first address named', () => {
    expect(clientAddress(req('10.0.0.2', { 'x-forwarded-for': '198.51.100.7' }), 5)).toBe('198.51.100.7');
  });

  it('behind a proxy that names the caller in X-Real-IP only, reads that', () => {
    expect(clientAddress(req('10.0.0.2', { 'x-real-ip': '198.51.100.7' }), 1)).toBe('198.51.100.7');
    expect(clientAddress(req('10.0.0.2'), 1)).toBe('10.0.0.2');
  });

  it('answers something bounded for empty or absurd input', () => {
    expect(clientAddress(req(undefined), 0)).toBe('unknown');
    expect(clientAddress(req('10.0.0.2', { 'x-forwarded-for': ' , ,' }), 1)).toBe('10.0.0.2');
    expect(clientAddress(req('10.0.0.2', { 'x-forwarded-for': 'x'.repeat(5000) }), 1)).toHaveLength(100);
  });
});
