// Whose request is this? The address that rate limits and caps count against. Headers that
// name an address (X-Forwarded-For, X-Real-IP) are written by whoever sent the request, so
// they are believed only as far as the operator says proxies of their own stand in front of
// the server (TRUST_PROXY, a count of hops): with none (the default) a client could name any
// address in them and walk past every per-address limit, so only the socket's peer counts.
//
// With N trusted hops, the socket's peer is the nearest proxy, and each proxy appends the
// address it saw to X-Forwarded-For: the caller is the Nth address counting back from the
// socket (what the outermost trusted proxy saw). Entries further left were written by the
// caller itself and are never read. A proxy that names the caller in X-Real-IP alone (it
// replaces the header, so a client cannot forge it past the proxy) is read when no
// X-Forwarded-For came.

import type { IncomingMessage } from 'node:http';

/** The most proxy hops an operator may declare (TRUST_PROXY). */
export const MAX_TRUSTED_HOPS = 10;

/** The caller's address, as far as the trusted proxies in front of the server say. */
export function clientAddress(req: Pick<IncomingMessage, 'headers' | 'socket'>, trustedHops: number): string {
  const peer = clean(req.socket?.remoteAddress) ?? 'unknown';
  if (trustedHops <= 0) return peer;
  const forwarded = headerList(req.headers['x-forwarded-for']);
  if (forwarded.length === 0) return clean(headerList(req.headers['x-real-ip'])[0]) ?? peer;
  // [peer, last forwarded, …, first forwarded]: hop k is the address the k-th proxy saw.
  const back = [peer, ...forwarded.reverse()];
  return clean(back[Math.min(trustedHops, back.length - 1)]) ?? peer;
}

/** A header's comma-separated entries (a header sent twice arrives as an array). */
function headerList(h: string | string[] | undefined): string[] {
  const raw = Array.isArray(h) ? h.join(',') : (h ?? '');
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** An address as a key: bounded in length, the IPv4-mapped IPv6 prefix dropped. */
function clean(a: string | undefined): string | null {
  if (a === undefined || a === '') return null;
  return (a.startsWith('::ffff:') ? a.slice(7) : a).slice(0, 100);
}
