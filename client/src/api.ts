// The game server's read-only HTTP API over stored rounds (server/api.ts): lists of rounds,
// one round's recording, and its operation history. Every failure comes back as a sentence
// a player can read, never as an exception to catch.

import { serverEndpoint } from './net.js';
import type { RoundFilter as ListFilter, RoundListItem } from '../../shared/protocol/rounds.js';

export type { ListFilter, RoundListItem };

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: string; status: number };

export async function listRounds(filter: ListFilter = {}): Promise<ApiResult<RoundListItem[]>> {
  const q = new URLSearchParams();
  if (filter.player !== undefined) q.set('player', filter.player);
  if (filter.session !== undefined) q.set('session', filter.session);
  if (filter.limit !== undefined) q.set('limit', String(filter.limit));
  const query = q.toString();
  const got = await getText(`/api/rounds${query === '' ? '' : `?${query}`}`);
  if (!got.ok) return got;
  try {
    const body = JSON.parse(got.value) as { rounds?: unknown };
    if (!Array.isArray(body.rounds)) return { ok: false, error: 'The server sent a list this page does not understand.', status: 200 };
    return { ok: true, value: body.rounds as RoundListItem[] };
  } catch {
    return { ok: false, error: 'The server sent a list this page does not understand.', status: 200 };
  }
}

/** A stored round's recording, as text (parsed and checked by shared/replay/file.ts). */
export function recordingText(id: string): Promise<ApiResult<string>> {
  return getText(`/api/rounds/${encodeURIComponent(id)}`);
}

/** A stored round's operation history (HISTORY.md), as text. */
export function historyText(id: string): Promise<ApiResult<string>> {
  return getText(`/api/rounds/${encodeURIComponent(id)}/history`);
}

async function getText(path: string): Promise<ApiResult<string>> {
  let res: Response;
  try {
    res = await fetch(`${serverEndpoint()}${path}`, { headers: { accept: 'application/json' } });
  } catch {
    return { ok: false, error: 'Could not reach the game server. Check the connection and try again.', status: 0 };
  }
  const text = await res.text().catch(() => '');
  if (res.ok) return { ok: true, value: text };
  return { ok: false, error: explain(res.status, text), status: res.status };
}

/** The server's own message where it sent one, with what it means for the player. */
function explain(status: number, body: string): string {
  let said = '';
  try {
    const e = (JSON.parse(body) as { error?: unknown }).error;
    if (typeof e === 'string') said = e;
  } catch {
    said = '';
  }
  if (status === 404) return 'There is no recorded round at this address. The link may be mistyped, or the round was never stored.';
  if (status === 400) return `This is not a valid round address${said === '' ? '' : ` (${said})`}.`;
  if (status === 503) return said.includes('does not keep') ? 'This game server does not keep recordings, so there are no replays to list. You can still open a recording file.' : `The server is busy${said === '' ? '' : `: ${said}`}.`;
  return `The server could not answer (${status}${said === '' ? '' : `: ${said}`}).`;
}
