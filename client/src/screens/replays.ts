// The replay lists: this browser's own rounds and the recent public ones, each row a link
// to its replay; and a recording file opened from the computer, which needs no server.

import { h, replace } from '../dom.js';
import { clockTime, int, percent } from '../format.js';
import { listRounds, type ApiResult, type RoundListItem } from '../api.js';
import { playerKey } from '../net.js';
import { pathOf, ROUND_ID } from '../routes.js';
import { runnableScenario } from '../../../shared/scenarios/index.js';

export interface ReplaysHost {
  home(): void;
  /** Open a stored round's replay. */
  watch(id: string): void;
  /** Open a recording file's text. */
  openFile(name: string, text: string): void;
  toast(text: string, error?: boolean): void;
}

/** A recording of a long busy round is a few megabytes; anything far bigger is something else. */
const MAX_FILE_BYTES = 200 * 1024 * 1024;

export class ReplaysScreen {
  readonly el = h('main', { class: 'replays' });
  private mine = h('div', { 'data-list': 'mine', 'aria-live': 'polite' });
  private recent = h('div', { 'data-list': 'recent', 'aria-live': 'polite' });
  private file = h('input', { type: 'file', id: 'recording-file', accept: '.json,application/json', 'data-replay': 'file' });
  private linkField = h('input', { id: 'replay-link', placeholder: 'a replay link or its id', autocomplete: 'off', spellcheck: 'false' });

  constructor(private readonly host: ReplaysHost) {
    this.file.addEventListener('change', () => void this.readFile());
    const openLink = (e: Event) => {
      e.preventDefault();
      const raw = this.linkField.value.trim();
      const id = /([A-Za-z0-9_-]{22})\/?$/.exec(raw)?.[1];
      if (id === undefined || !ROUND_ID.test(id)) {
        host.toast('That is not a replay link: a replay id is 22 letters, digits, dashes or underscores.', true);
        return;
      }
      host.watch(id);
    };
    this.el.append(
      h('header', { class: 'replays-head' }, h('div', null, h('h1', null, 'Replays'), h('p', { class: 'muted' }, 'Every round is recorded. Watch one again, scrub to the moment it went wrong, and branch from there to try other decisions.')), h('button', { onclick: () => host.home() }, 'Home')),
      h('section', { class: 'card' }, h('h2', null, 'My rounds'), this.mine),
      h('section', { class: 'card' }, h('h2', null, 'Recent public rounds'), this.recent),
      h(
        'section',
        { class: 'card open-box' },
        h('div', null, h('h2', null, 'Open a recording file'), h('p', { class: 'muted' }, 'A recording you downloaded from a replay. It plays in this browser, with no game server needed.'), h('label', { class: 'button primary', for: 'recording-file' }, 'Choose a file…'), this.file),
        h('form', { onsubmit: openLink }, h('h2', null, 'Open a replay link'), h('p', { class: 'muted' }, 'Paste a link someone shared with you.'), h('div', { class: 'pick' }, this.linkField, h('button', { type: 'submit' }, 'Open'))),
      ),
    );
    this.fill(this.mine, null, 'mine');
    this.fill(this.recent, null, 'recent');
  }

  mount(): void {
    void listRounds({ player: playerKey(), limit: 30 }).then((r) => this.fill(this.mine, r, 'mine'));
    void listRounds({ limit: 30 }).then((r) => this.fill(this.recent, r, 'recent'));
  }

  private async readFile(): Promise<void> {
    const f = this.file.files?.[0];
    this.file.value = '';
    if (f === undefined) return;
    if (f.size > MAX_FILE_BYTES) {
      this.host.toast(`“${f.name}” is too big to be a recording (${int(f.size / 1024 / 1024)} MB).`, true);
      return;
    }
    try {
      this.host.openFile(f.name, await f.text());
    } catch {
      this.host.toast(`“${f.name}” could not be read.`, true);
    }
  }

  private fill(box: HTMLElement, got: ApiResult<RoundListItem[]> | null, which: 'mine' | 'recent'): void {
    if (got === null) {
      replace(box, h('p', { class: 'muted' }, 'Loading…'));
      return;
    }
    if (!got.ok) {
      replace(box, h('p', { class: 'list-error', role: 'status' }, got.error));
      return;
    }
    if (got.value.length === 0) {
      replace(
        box,
        h('p', { class: 'muted', 'data-empty': which }, which === 'mine' ? 'No rounds yet from this browser. Rounds you play here are listed here, public or not.' : 'No public rounds recorded yet. Quick play rounds appear here as soon as they start.'),
      );
      return;
    }
    replace(box, table(got.value, (id) => this.host.watch(id)));
  }
}

function table(rows: RoundListItem[], watch: (id: string) => void): HTMLElement {
  const head = ['Scenario', 'When', 'Players', 'Status', 'Score', 'Requests OK', 'Stale reads', 'Lost writes', ''];
  return h(
    'table',
    { class: 'scorecard rounds-table' },
    h('thead', null, h('tr', null, head.map((t) => h('th', { scope: 'col' }, t)))),
    h(
      'tbody',
      null,
      rows.map((r) => {
        const href = pathOf({ kind: 'replay', id: r.id });
        const title = runnableScenario(r.scenario)?.title ?? r.scenario;
        const link = h('a', { href, 'data-round': r.id, onclick: (e: Event) => follow(e as MouseEvent, () => watch(r.id)) }, title);
        const cell = (label: string, ...content: (string | Node)[]) => h('td', { 'data-label': label }, ...content);
        return h(
          'tr',
          null,
          cell('Scenario', link, h('br'), h('small', null, `${r.chaos} chaos · ${clockTime(r.durationMs)}`)),
          cell('When', when(r.startedAt)),
          cell('Players', r.players.length === 0 ? h('span', { class: 'muted' }, 'bots only') : r.players.join(', ')),
          cell('Status', status(r)),
          cell('Score', r.score === null ? '—' : int(r.score)),
          cell('Requests OK', r.availability === null ? '—' : percent(r.availability)),
          cell('Stale reads', r.staleReads === null ? '—' : int(r.staleReads)),
          cell('Lost writes', r.lostWrites === null ? '—' : int(r.lostWrites)),
          h('td', { class: 'watch' }, h('a', { class: 'button', href, 'aria-label': `Watch the replay of ${title}, ${when(r.startedAt)}`, onclick: (e: Event) => follow(e as MouseEvent, () => watch(r.id)) }, '▶ Watch')),
        );
      }),
    ),
  );
}

function status(r: RoundListItem): HTMLElement {
  if (r.status === 'live') return h('span', { class: 'status live' }, `● being played (${clockTime(r.lastTick * r.tickMs)} so far)`);
  if (r.status === 'interrupted') return h('span', { class: 'status interrupted' }, `⚠ cut short at ${clockTime(r.lastTick * r.tickMs)}: the server stopped`);
  return h('span', { class: 'status finished' }, '✓ finished');
}

function when(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  const ago = (Date.now() - d.getTime()) / 1000;
  if (ago >= 0 && ago < 60) return 'just now';
  if (ago >= 0 && ago < 3600) return `${Math.round(ago / 60)} min ago`;
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** A plain click follows the link inside the page; a middle or modified click opens a tab as usual. */
function follow(e: MouseEvent, go: () => void): void {
  if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  go();
}
