// The team's settings and votes. A cluster-wide setting changes only when most of the team
// agrees (the team is itself a quorum): a player proposes a value, the others agree or not,
// and the panel shows the tally against the majority needed.

import { VOTE_OUTCOME_WORDS } from '../../../shared/words/votes.js';
import { attr, h, replace, styleProp, text } from '../dom.js';
import type { ClusterSettings } from '../../../shared/scenarios/settings.js';
import { presetName, proposalWords, SETTING_WORDS, settingsVerdict, valueName } from '../../../shared/words/settings.js';
import type { RoundView } from '../view.js';

type Key = keyof ClusterSettings;

export interface SetupHost {
  vote(proposal: Partial<ClusterSettings>, agree: boolean): void;
  /** Why no setting may be proposed from this screen (a replay), or null. */
  locked?(): string | null;
}

export class SetupPanel {
  readonly el = h('section', { class: 'setup-panel', 'aria-label': 'Cluster settings and team votes' });
  private voteBox = h('div', { 'aria-live': 'polite' });
  /** What the settings add up to (settingsVerdict). */
  private summaryLine = h('b');
  private summary = h('div', null, h('p', null, this.summaryLine));
  private rows = new Map<Key, { select: HTMLSelectElement; current: HTMLElement; propose: HTMLButtonElement; row: HTMLElement; note: HTMLElement }>();
  private presets = h('div', { class: 'badges' });
  private lastVoteKey = '';
  private presetKey = '';

  constructor(private readonly host: SetupHost) {
    const list = h('div', { class: 'settings-list' });
    for (const d of SETTING_WORDS) {
      const select = h('select', { 'aria-label': `New value for ${d.label}`, 'data-setting': d.key });
      for (const c of d.choices) select.appendChild(h('option', { value: JSON.stringify(c.value) }, c.text));
      const current = h('b');
      const note = h('small', { class: 'muted' });
      const propose = h('button', { 'data-propose': d.key, onclick: () => this.propose(d.key, JSON.parse(select.value) as never) }, 'Propose');
      select.addEventListener('change', () => this.refreshPropose(d.key));
      const row = h('div', { class: 'setting' }, h('div', null, h('label', null, d.label), ': ', current, ' ', note), h('div', { class: 'help' }, d.help), h('div', { class: 'pick' }, select, propose));
      this.rows.set(d.key, { select, current, propose, row, note });
      list.appendChild(row);
    }
    this.el.append(
      h('h3', null, 'Cluster settings'),
      h('p', { class: 'muted' }, 'A change needs a majority of your team. Propose one, then everyone agrees or disagrees.'),
      this.voteBox,
      this.summary,
      h('div', null, h('small', null, 'Whole recipes:'), this.presets),
      list,
    );
  }

  private settings: ClusterSettings | null = null;
  private voteOpen = false;
  private canVote = false;
  private locked: string | null = null;

  update(v: RoundView): void {
    this.settings = v.settings;
    this.voteOpen = v.vote.status === 'open';
    this.locked = this.host.locked?.() ?? null;
    this.canVote = this.locked === null && (v.phase === 'setup' || v.phase === 'live');
    const s = v.settings;
    for (const d of SETTING_WORDS) {
      const r = this.rows.get(d.key)!;
      const value = s[d.key];
      const name = valueName(d.key, value);
      if (r.current.textContent !== name) {
        r.current.textContent = name;
        const json = JSON.stringify(value);
        if (![...r.select.options].some((o) => o.value === json)) r.select.appendChild(h('option', { value: json }, name));
        r.select.value = json;
      }
      const unused = d.family !== 'both' && d.family !== s.replication;
      text(r.note, unused ? `(only for ${d.family})` : '');
      styleProp(r.row, 'opacity', unused ? '0.6' : '1');
      this.refreshPropose(d.key);
    }
    // What the settings add up to, in one line.
    text(this.summaryLine, settingsVerdict(s));
    const pk = `${v.scenarioId}|${JSON.stringify(s)}|${this.voteOpen}|${this.canVote}`;
    if (pk !== this.presetKey && v.scenario) {
      this.presetKey = pk;
      replace(
        this.presets,
        Object.entries(v.scenario.presets).map(([name, preset]) => {
          const diff = diffSettings(s, preset);
          return h('button', { 'data-preset': name, disabled: Object.keys(diff).length === 0 || this.voteOpen || !this.canVote, title: Object.keys(diff).length === 0 ? 'already in force' : `propose ${describe(diff)}`, onclick: () => this.host.vote(diff, true) }, presetName(name));
        }),
      );
    }
    this.updateVote(v);
  }

  private refreshPropose(key: Key): void {
    const r = this.rows.get(key)!;
    const same = this.settings !== null && r.select.value === JSON.stringify(this.settings[key]);
    attr(r.propose, 'disabled', same || this.voteOpen || !this.canVote ? '' : null);
    attr(r.propose, 'title', this.locked !== null ? this.locked : !this.canVote ? 'settings are chosen in setup and live' : this.voteOpen ? 'vote on the open proposal first' : same ? 'pick a different value first' : 'ask the team');
  }

  private propose(key: Key, value: never): void {
    this.host.vote({ [key]: value } as Partial<ClusterSettings>, true);
  }

  private updateVote(v: RoundView): void {
    const vote = v.vote;
    const mine = vote.ballots[v.me];
    const key = JSON.stringify([vote, mine]);
    if (key === this.lastVoteKey) return;
    this.lastVoteKey = key;
    if (vote.status === '') {
      replace(this.voteBox);
      return;
    }
    const what = describe(vote.proposal);
    if (vote.status !== 'open') {
      replace(this.voteBox, h('div', { class: 'vote-box' }, h('b', null, `${VOTE_OUTCOME_WORDS[vote.status] ?? 'Ended'}: `), what, h('br'), h('small', null, `${vote.yes} yes · ${vote.no} no`)));
      return;
    }
    replace(
      this.voteBox,
      h(
        'div',
        { class: 'vote-box', 'data-vote': 'open' },
        h('div', null, h('b', null, vote.proposer || 'Someone'), ' proposes ', h('b', null, what)),
        h('div', { class: 'tally' }, `${vote.yes} yes · ${vote.no} no`, h('small', null, ` — needs ${vote.needed} of ${vote.electorate} · ${vote.secondsLeft} s left`)),
        mine === undefined ? null : h('small', null, `You voted ${mine ? 'yes' : 'no'}.`),
        h('div', { class: 'row' }, h('button', { class: 'primary', 'data-ballot': 'yes', disabled: mine === true, onclick: () => this.host.vote(vote.proposal, true) }, 'Agree'), h('button', { class: 'danger', 'data-ballot': 'no', disabled: mine === false, onclick: () => this.host.vote(vote.proposal, false) }, 'Disagree')),
      ),
    );
  }
}

/** A proposal in plain words (the vote box, the preset buttons, a branch's notices). */
export function describe(p: Partial<ClusterSettings>): string {
  return proposalWords(p);
}

function diffSettings(now: ClusterSettings, target: ClusterSettings): Partial<ClusterSettings> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(target) as Key[]) if (now[k] !== target[k]) out[k] = target[k];
  return out as Partial<ClusterSettings>;
}
