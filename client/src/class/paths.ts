// The class's addresses: `class/host` (the teacher's dashboard), `class/projector` (the
// room's big screen, opened from the dashboard) and `join/<CODE>` (the link students get).
// Like the replay addresses they live under the app's root, whatever prefix that has.

import { normalizeJoinCode } from '../../../shared/session/codes.js';

export type ClassRoute = { kind: 'host' } | { kind: 'projector' } | { kind: 'join'; code: string };

/** The tails a class address ends in (index.html and routes.ts strip the same ones). */
const TAIL = /(?:class\/(?:host|projector)|join\/[^/]*)\/?$/;

export function classRouteOf(path = location.pathname): ClassRoute | null {
  const m = /(?:^|\/)(?:class\/(host|projector)|join\/([^/]*))\/?$/.exec(path);
  if (m === null) return null;
  if (m[1] === 'host') return { kind: 'host' };
  if (m[1] === 'projector') return { kind: 'projector' };
  // A mistyped code still opens the join form, with the code as typed to correct.
  const raw = decodeURIComponent(m[2] ?? '');
  return { kind: 'join', code: normalizeJoinCode(raw) ?? raw.toUpperCase().slice(0, 8) };
}

/** The path of the app's root, ending in '/'. */
export function classRoot(path = location.pathname): string {
  const base = path.replace(TAIL, '');
  return base.endsWith('/') ? base : base.slice(0, base.lastIndexOf('/') + 1) || '/';
}

export function classPath(route: ClassRoute): string {
  const root = classRoot();
  if (route.kind === 'join') return `${root}join/${encodeURIComponent(route.code)}`;
  return `${root}class/${route.kind}`;
}

/** The full address, for a link, a QR code or a new window; keeps ?server= and friends. */
export function classUrl(route: ClassRoute, keepQuery = true): string {
  return `${location.origin}${classPath(route)}${keepQuery ? location.search : ''}`;
}

/** The link a student types or scans: short, no query string. */
export function joinLink(code: string): string {
  return classUrl({ kind: 'join', code }, false);
}

/** A replay's address (the viewer at `replay/<id>`), from a class page. */
export function replayLink(id: string): string {
  return `${location.origin}${classRoot()}replay/${encodeURIComponent(id)}`;
}

/** What resultsCsv puts before `/replay/<id>`: the origin and the app's root without its last '/'. */
export function replayBase(): string {
  return `${location.origin}${classRoot().replace(/\/$/, '')}`;
}

/** Stay on a class address (the round screens move the address to the app's root). */
export function keepAddress(route: ClassRoute): void {
  const want = `${classPath(route)}${location.search}`;
  if (`${location.pathname}${location.search}` !== want) history.replaceState(null, '', want);
}

/** Go to a class address with a fresh page (from home, or a new class). */
export function openClassPage(route: ClassRoute): void {
  location.assign(classUrl(route));
}
