// The team's settings and votes. A cluster-wide setting changes only when most of the team
// agrees (the team is itself a quorum): a player proposes a value, the others agree or not,
// and the panel shows the tally against the majority needed.

import { h, replace } from '../dom.js';
import { levelCount, SETTING_BOUNDS, type ClusterSettings } from '../../../shared/scenarios/settings.js';
import type { RoundView } from '../view.js';

type Key = keyof ClusterSettings;
type Family = 'both' | 'leader-follower' | 'leaderless';

interface SettingDef {
  key: Key;
  label: string;
  help: string;
  family: Family;
  choices: readonly { value: string | number | boolean; text: string }[];
}

const yesNo = [
  { value: true, text: 'on' },
  { value: false, text: 'off' },
] as const;
const levels = [
  { value: 'one', text: 'ONE' },
  { value: 'quorum', text: 'QUORUM' },
  { value: 'all', text: 'ALL' },
] as const;

export const SETTINGS: readonly SettingDef[] = [
  { key: 'replication', label: 'Replication', family: 'both', help: 'Leader-follower: one leader per shard takes the writes (active-passive). Leaderless: any copy takes them (active-active).', choices: [{ value: 'leader-follower', text: 'leader-follower' }, { value: 'leaderless', text: 'leaderless' }] },
  { key: 'replicationFactor', label: 'Copies per key (N)', family: 'both', help: 'How many nodes keep each key. More copies survive more failures but cost more work per write.', choices: range(SETTING_BOUNDS.replicationFactor.min, SETTING_BOUNDS.replicationFactor.max).map((n) => ({ value: n, text: String(n) })) },
  { key: 'writeQuorum', label: 'Write level (W)', family: 'leaderless', help: 'How many copies must confirm a write before the client hears "done".', choices: levels },
  { key: 'readQuorum', label: 'Read level (R)', family: 'leaderless', help: 'How many copies a read asks; it returns the newest answer.', choices: levels },
  { key: 'hintedHandoff', label: 'Hinted handoff', family: 'leaderless', help: 'When home copies are unreachable, let a stand-in node hold the write (a sloppy quorum: more available, less consistent).', choices: yesNo },
  { key: 'syncReplication', label: 'Synchronous copies', family: 'leader-follower', help: 'On: a write is confirmed once a majority holds it. Off: confirmed at once, copied afterwards (faster, can be lost).', choices: yesNo },
  { key: 'readFrom', label: 'Reads from', family: 'leader-follower', help: 'The leader (always current) or any copy (faster, maybe behind).', choices: [{ value: 'leader', text: 'leader' }, { value: 'any-replica', text: 'any copy' }] },
  { key: 'election', label: 'Elections', family: 'leader-follower', help: 'Majority: a new leader needs most votes, so a split cannot elect two. No quorum: elect anyway (risking two leaders).', choices: [{ value: 'majority', text: 'majority' }, { value: 'no-quorum', text: 'no quorum' }] },
  { key: 'fencing', label: 'Fencing', family: 'leader-follower', help: 'Number each leadership (an epoch) and refuse writes from a leader that was replaced.', choices: yesNo },
  { key: 'failoverTimeoutMs', label: 'Failover timeout', family: 'leader-follower', help: 'How long followers wait without hearing the leader before electing another.', choices: [300, 800, 1500, 3000, 6000].map((n) => ({ value: n, text: `${n} ms` })) },
  { key: 'stance', label: 'Default stance', family: 'both', help: 'What every node does when it cannot reach a quorum: refuse (consistency) or serve (availability).', choices: [{ value: 'refuse', text: 'refuse' }, { value: 'serve', text: 'serve' }] },
  { key: 'shardCount', label: 'Shards', family: 'both', help: 'Pieces the data is cut into. More shards spread load; changing it moves data.', choices: [1, 2, 3, 4, 6, 8, 10, 12, 16, 24, 32].map((n) => ({ value: n, text: String(n) })) },
  { key: 'loadBalancing', label: 'Load balancing', family: 'both', help: 'Which node gets the next client request.', choices: [{ value: 'round-robin', text: 'round robin' }, { value: 'least-loaded', text: 'least loaded' }, { value: 'health-checked', text: 'health-checked' }, { value: 'region-aware', text: 'region-aware' }] },
  { key: 'conflictResolution', label: 'Conflicts', family: 'both', help: 'Last-write-wins keeps the later timestamp; version vectors keep both concurrent values.', choices: [{ value: 'last-write-wins', text: 'last write wins' }, { value: 'version-vectors', text: 'version vectors' }] },
  { key: 'readRepair', label: 'Read repair', family: 'both', help: 'When a read sees an old copy, fix it on the spot.', choices: yesNo },
  { key: 'antiEntropyMs', label: 'Anti-entropy', family: 'both', help: 'How often replicas compare notes in the background and copy what they miss.', choices: [{ value: 0, text: 'off' }, ...[2000, 5000, 10000, 30000].map((n) => ({ value: n, text: `every ${n / 1000} s` }))] },
  { key: 'placement', label: 'Placement', family: 'both', help: 'Spread each shard’s copies over the regions, or keep them in one region.', choices: [{ value: 'spread', text: 'spread' }, { value: 'single-region', text: 'one region' }] },
];

export interface SetupHost {
  vote(proposal: Partial<ClusterSettings>, agree: boolean): void;
  /** Why no setting may be proposed from this screen (a replay), or null. */
  locked?(): string | null;
}

export class SetupPanel {
  readonly el = h('section', { class: 'setup-panel', 'aria-label': 'Cluster settings and team votes' });
  private voteBox = h('div', { 'aria-live': 'polite' });
  private summary = h('div');
  private rows = new Map<Key, { select: HTMLSelectElement; current: HTMLElement; propose: HTMLButtonElement; row: HTMLElement; note: HTMLElement }>();
  private presets = h('div', { class: 'badges' });
  private lastVoteKey = '';
  private presetKey = '';

  constructor(private readonly host: SetupHost) {
    const list = h('div', { class: 'settings-list' });
    for (const d of SETTINGS) {
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
    for (const d of SETTINGS) {
      const r = this.rows.get(d.key)!;
      const value = s[d.key];
      const text = d.choices.find((c) => c.value === value)?.text ?? String(value);
      if (r.current.textContent !== text) {
        r.current.textContent = text;
        const json = JSON.stringify(value);
        if (![...r.select.options].some((o) => o.value === json)) r.select.appendChild(h('option', { value: json }, text));
        r.select.value = json;
      }
      const unused = d.family !== 'both' && d.family !== s.replication;
      r.note.textContent = unused ? `(only for ${d.family})` : '';
      r.row.style.opacity = unused ? '0.6' : '1';
      this.refreshPropose(d.key);
    }
    // What the settings add up to, in one line.
    const n = s.replicationFactor;
    const line =
      s.replication === 'leaderless'
        ? (() => {
            const r = levelCount(s.readQuorum, n);
            const w = levelCount(s.writeQuorum, n);
            return r + w > n && !s.hintedHandoff
              ? `R + W = ${r + w} > N = ${n}: every read meets the latest confirmed write.`
              : `R + W = ${r + w}${s.hintedHandoff ? ' with hinted handoff' : ''}, N = ${n}: a read can miss the latest write.`;
          })()
        : s.syncReplication && s.readFrom === 'leader' && s.election === 'majority'
          ? 'Synchronous copies, reads from the leader, majority elections: consistency first (CP).'
          : 'Some reads or writes skip the majority: availability first (AP), reads may be stale.';
    replace(this.summary, h('p', null, h('b', null, line)));
    const pk = `${v.scenarioId}|${JSON.stringify(s)}|${this.voteOpen}|${this.canVote}`;
    if (pk !== this.presetKey && v.scenario) {
      this.presetKey = pk;
      replace(
        this.presets,
        Object.entries(v.scenario.presets).map(([name, preset]) => {
          const diff = diffSettings(s, preset);
          return h('button', { 'data-preset': name, disabled: Object.keys(diff).length === 0 || this.voteOpen || !this.canVote, title: Object.keys(diff).length === 0 ? 'already in force' : `propose ${describe(diff)}`, onclick: () => this.host.vote(diff, true) }, PRESET_NAMES[name] ?? name);
        }),
      );
    }
    this.updateVote(v);
  }

  private refreshPropose(key: Key): void {
    const r = this.rows.get(key)!;
    const same = this.settings !== null && r.select.value === JSON.stringify(this.settings[key]);
    r.propose.disabled = same || this.voteOpen || !this.canVote;
    r.propose.title = this.locked !== null ? this.locked : !this.canVote ? 'settings are chosen in setup and live' : this.voteOpen ? 'vote on the open proposal first' : same ? 'pick a different value first' : 'ask the team';
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
      const said: Record<string, string> = { passed: 'Passed', failed: 'Voted down', expired: 'Expired', refused: 'Passed, but the cluster could not take it' };
      replace(this.voteBox, h('div', { class: 'vote-box' }, h('b', null, `${said[vote.status] ?? vote.status}: `), what, h('br'), h('small', null, `${vote.yes} yes · ${vote.no} no`)));
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

const PRESET_NAMES: Record<string, string> = {
  cp: 'Consistency first (CP)',
  ap: 'Availability first (AP)',
  quorum: 'Leaderless quorum',
  'version-vectors': 'Keep both (version vectors)',
};

export function describe(p: Partial<ClusterSettings>): string {
  const parts: string[] = [];
  for (const [k, value] of Object.entries(p)) {
    const d = SETTINGS.find((x) => x.key === k);
    const text = d?.choices.find((c) => c.value === value)?.text ?? String(value);
    parts.push(`${d?.label ?? k} → ${text}`);
  }
  return parts.join(', ') || 'no change';
}

function diffSettings(now: ClusterSettings, target: ClusterSettings): Partial<ClusterSettings> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(target) as Key[]) if (now[k] !== target[k]) out[k] = target[k];
  return out as Partial<ClusterSettings>;
}

function range(a: number, b: number): number[] {
  const out: number[] = [];
  for (let i = a; i <= b; i++) out.push(i);
  return out;
}
