// The page's few addresses: the game at the app's root, the replay lists at `replays`, one
// replay at `replay/<id>`. The server answers every such path with the same page, so a
// replay link can be shared and reloaded. The app may live under a path prefix: every
// address is built from the root the page finds itself under.

export type Route = { kind: 'home' } | { kind: 'replays' } | { kind: 'replay'; id: string };

/** A stored round's id: 22 URL-safe characters (the server checks the same). */
export const ROUND_ID = /^[A-Za-z0-9_-]{22}$/;

// The class's addresses (client/src/class/paths.ts) share the root the same way.
const TAIL = /(?:replays\/?|replay\/[^/]*\/?|class\/(?:host|projector)\/?|join\/[^/]*\/?)$/;

/** The path of the app's root, ending in '/': the current path without a replay tail. */
export function appRoot(path = location.pathname): string {
  const base = path.replace(TAIL, '');
  return base.endsWith('/') ? base : base.slice(0, base.lastIndexOf('/') + 1) || '/';
}

export function routeOf(path = location.pathname): Route {
  const rest = path.slice(appRoot(path).length);
  if (/^replays\/?$/.test(rest)) return { kind: 'replays' };
  const m = /^replay\/([^/]*)\/?$/.exec(rest);
  if (m !== null) return { kind: 'replay', id: decodeURIComponent(m[1]!) };
  return { kind: 'home' };
}

export function pathOf(route: Route): string {
  const root = appRoot();
  if (route.kind === 'replays') return `${root}replays`;
  if (route.kind === 'replay') return `${root}replay/${encodeURIComponent(route.id)}`;
  return root;
}

/** The full address of a replay, for "Copy link". */
export function replayUrl(id: string): string {
  return `${location.origin}${pathOf({ kind: 'replay', id })}`;
}

/** Change the address without reloading (the app shows the matching screen itself). */
export function pushRoute(route: Route): void {
  const path = pathOf(route);
  // Keep test and teacher options (?server=, ?seed=…) across screens.
  if (location.pathname !== path) history.pushState(null, '', `${path}${location.search}`);
}
