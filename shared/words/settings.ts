// The cluster settings in a player's words: each setting's name, what it does, the names of
// its values, and a proposal (a partial set of settings) as one plain phrase, so the vote
// box, the feed, the debrief and the replay say "3 copies of each key, reads from one copy"
// rather than "replicationFactor = 3, readQuorum = one".

import { levelCount, SETTING_BOUNDS, type ClusterSettings, type ConsistencyLevel, type LoadBalancing } from '../scenarios/settings.js';

export type SettingKey = keyof ClusterSettings;
/** Which replication family a setting matters for. */
export type SettingFamily = 'both' | 'leader-follower' | 'leaderless';
export type SettingValue = string | number | boolean;

export interface SettingWords {
  key: SettingKey;
  /** The setting's name on the setup panel. */
  label: string;
  /** What it does, in a sentence or two. */
  help: string;
  family: SettingFamily;
  /** The values offered, each with its name. */
  choices: readonly { value: SettingValue; text: string }[];
}

const onOff = [
  { value: true, text: 'on' },
  { value: false, text: 'off' },
] as const;
const levels = [
  { value: 'one', text: 'ONE' },
  { value: 'quorum', text: 'QUORUM' },
  { value: 'all', text: 'ALL' },
] as const;

/** Every setting, in the order the setup panel lists them. */
export const SETTING_WORDS: readonly SettingWords[] = [
  { key: 'replication', label: 'Replication', family: 'both', help: 'Leader-follower: one leader per shard takes the writes (active-passive). Leaderless: any copy takes them (active-active).', choices: [{ value: 'leader-follower', text: 'leader-follower' }, { value: 'leaderless', text: 'leaderless' }] },
  { key: 'replicationFactor', label: 'Copies per key (N)', family: 'both', help: 'How many nodes keep each key. More copies survive more failures but cost more work per write.', choices: range(SETTING_BOUNDS.replicationFactor.min, SETTING_BOUNDS.replicationFactor.max).map((n) => ({ value: n, text: String(n) })) },
  { key: 'writeQuorum', label: 'Write level (W)', family: 'leaderless', help: 'How many copies must confirm a write before the client hears "done".', choices: levels },
  { key: 'readQuorum', label: 'Read level (R)', family: 'leaderless', help: 'How many copies a read asks; it returns the newest answer.', choices: levels },
  { key: 'hintedHandoff', label: 'Hinted handoff', family: 'leaderless', help: 'When home copies are unreachable, let a stand-in node hold the write (a sloppy quorum: more available, less consistent).', choices: onOff },
  { key: 'syncReplication', label: 'Synchronous copies', family: 'leader-follower', help: 'On: a write is confirmed once a majority holds it. Off: confirmed at once, copied afterwards (faster, can be lost).', choices: onOff },
  { key: 'readFrom', label: 'Reads from', family: 'leader-follower', help: 'The leader (always current) or any copy (faster, maybe behind).', choices: [{ value: 'leader', text: 'leader' }, { value: 'any-replica', text: 'any copy' }] },
  { key: 'election', label: 'Elections', family: 'leader-follower', help: 'Majority: a new leader needs most votes, so a split cannot elect two. No quorum: elect anyway (risking two leaders).', choices: [{ value: 'majority', text: 'majority' }, { value: 'no-quorum', text: 'no quorum' }] },
  { key: 'fencing', label: 'Fencing', family: 'leader-follower', help: 'Number each leadership (an epoch) and refuse writes from a leader that was replaced.', choices: onOff },
  { key: 'failoverTimeoutMs', label: 'Failover timeout', family: 'leader-follower', help: 'How long followers wait without hearing the leader before electing another.', choices: [300, 800, 1500, 3000, 6000].map((n) => ({ value: n, text: `${n} ms` })) },
  { key: 'stance', label: 'Default stance', family: 'both', help: 'What every node does when it cannot reach a quorum: refuse (consistency) or serve (availability).', choices: [{ value: 'refuse', text: 'refuse' }, { value: 'serve', text: 'serve' }] },
  { key: 'shardCount', label: 'Shards', family: 'both', help: 'Pieces the data is cut into. More shards spread load; changing it moves data.', choices: [1, 2, 3, 4, 6, 8, 10, 12, 16, 24, 32].map((n) => ({ value: n, text: String(n) })) },
  { key: 'loadBalancing', label: 'Load balancing', family: 'both', help: 'Which node gets the next client request.', choices: [{ value: 'round-robin', text: 'round robin' }, { value: 'least-loaded', text: 'least loaded' }, { value: 'health-checked', text: 'health-checked' }, { value: 'region-aware', text: 'region-aware' }] },
  { key: 'conflictResolution', label: 'Conflicts', family: 'both', help: 'Last-write-wins keeps the later timestamp; version vectors keep both concurrent values.', choices: [{ value: 'last-write-wins', text: 'last write wins' }, { value: 'version-vectors', text: 'version vectors' }] },
  { key: 'readRepair', label: 'Read repair', family: 'both', help: 'When a read sees an old copy, fix it on the spot.', choices: onOff },
  { key: 'antiEntropyMs', label: 'Anti-entropy', family: 'both', help: 'How often replicas compare notes in the background and copy what they miss.', choices: [{ value: 0, text: 'off' }, ...[2000, 5000, 10000, 30000].map((n) => ({ value: n, text: `every ${n / 1000} s` }))] },
  { key: 'placement', label: 'Placement', family: 'both', help: 'Spread each shard’s copies over the regions, or keep them in one region.', choices: [{ value: 'spread', text: 'spread' }, { value: 'single-region', text: 'one region' }] },
];

/** The words for one setting. */
export function settingWords(key: SettingKey): SettingWords {
  return SETTING_WORDS.find((d) => d.key === key)!;
}

/** A value's name as the setup panel shows it: "ONE", "any copy", "800 ms", "on". */
export function valueName(key: SettingKey, value: SettingValue): string {
  return settingWords(key).choices.find((c) => c.value === value)?.text ?? String(value);
}

/** The scenarios' whole recipes, by preset id. */
export const PRESET_NAMES: Readonly<Record<string, string>> = {
  cp: 'Consistency first (CP)',
  ap: 'Availability first (AP)',
  quorum: 'Leaderless quorum',
  'version-vectors': 'Keep both (version vectors)',
};

export function presetName(id: string): string {
  return PRESET_NAMES[id] ?? id;
}

/** Each load-balancing strategy with what it does, for sentences about a round. */
export const LOAD_BALANCING_WORDS: Readonly<Record<LoadBalancing, string>> = {
  'round-robin': 'round robin (each node in turn)',
  'least-loaded': 'least loaded (the node with the shortest queue)',
  'health-checked': 'health checks (skip nodes that stop answering)',
  'region-aware': 'region-aware routing (the client’s own region first)',
};

/**
 * A proposal (or a change) as plain words: "3 copies of each key, reads from one copy".
 * It completes "Ada proposes …", "The team agreed to …", "switched to …".
 */
export function proposalWords(p: Partial<ClusterSettings>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(p) as [SettingKey, SettingValue][]) {
    const say = PHRASES[k] as ((v: never) => string) | undefined;
    parts.push(say === undefined ? `${settingWords(k)?.label ?? k}: ${String(v)}` : say(v as never));
  }
  return parts.join(', ') || 'no change';
}

/** What a whole set of settings adds up to, in one line (the setup panel's verdict). */
export function settingsVerdict(s: ClusterSettings): string {
  const n = s.replicationFactor;
  if (s.replication === 'leaderless') {
    const r = levelCount(s.readQuorum, n);
    const w = levelCount(s.writeQuorum, n);
    return r + w > n && !s.hintedHandoff
      ? `R + W = ${r + w} > N = ${n}: every read meets the latest confirmed write.`
      : `R + W = ${r + w}${s.hintedHandoff ? ' with hinted handoff' : ''}, N = ${n}: a read can miss the latest write.`;
  }
  return s.syncReplication && s.readFrom === 'leader' && s.election === 'majority'
    ? 'Synchronous copies, reads from the leader, majority elections: consistency first (CP).'
    : 'Some reads or writes skip the majority: availability first (AP), reads may be stale.';
}

/** The consistency recipe in a phrase, for the debrief's cards ("leaderless, N = 3, W = 2, R = 2"). */
export function consistencyRecipe(s: ClusterSettings): string {
  if (s.replication === 'leaderless') {
    const n = s.replicationFactor;
    const hh = s.hintedHandoff ? ', with hinted handoff' : '';
    return `leaderless, N = ${n}, W = ${levelCount(s.writeQuorum, n)}, R = ${levelCount(s.readQuorum, n)}${hh}`;
  }
  const sync = s.syncReplication ? 'synchronous replication' : 'asynchronous replication';
  const reads = s.readFrom === 'leader' ? 'reads from the leader' : 'reads from any replica';
  const elect = s.election === 'majority' ? 'majority elections' : 'elections without a majority';
  return `${sync}, ${reads}, ${elect}`;
}

// ---------------------------------------------------------------------------------

const LEVEL_COPIES: Record<ConsistencyLevel, string> = { one: 'one copy', quorum: 'a majority of copies', all: 'every copy' };

/** One noun phrase per setting and value, so it completes "proposes …" and "agreed to …". */
const PHRASES: { [K in SettingKey]: (v: ClusterSettings[K]) => string } = {
  replication: (v) => (v === 'leader-follower' ? 'leader-follower replication (one leader per shard takes the writes)' : 'leaderless replication (any copy takes writes)'),
  replicationFactor: (v) => `${v} ${v === 1 ? 'copy' : 'copies'} of each key`,
  writeQuorum: (v) => `writes confirmed by ${LEVEL_COPIES[v]}`,
  readQuorum: (v) => `reads from ${LEVEL_COPIES[v]}`,
  hintedHandoff: (v) => (v ? 'hinted handoff (stand-in nodes hold writes for unreachable copies)' : 'no hinted handoff'),
  syncReplication: (v) => (v ? 'synchronous copies (a write is confirmed once a majority holds it)' : 'asynchronous copies (a write is confirmed at once, copied afterwards)'),
  readFrom: (v) => (v === 'leader' ? 'reads from the leader' : 'reads from any copy'),
  election: (v) => (v === 'majority' ? 'majority elections' : 'elections without a majority'),
  fencing: (v) => (v ? 'fencing (writes from a replaced leader are refused)' : 'no fencing'),
  failoverTimeoutMs: (v) => `a failover timeout of ${v} ms`,
  stance: (v) => (v === 'refuse' ? 'refusing without a quorum (consistency)' : 'serving without a quorum (availability)'),
  shardCount: (v) => `${v} ${v === 1 ? 'shard' : 'shards'}`,
  loadBalancing: (v) => `load balancing by ${LOAD_BALANCING_WORDS[v]}`,
  conflictResolution: (v) => (v === 'last-write-wins' ? 'last write wins on conflicts' : 'version vectors (both concurrent values kept)'),
  antiEntropyMs: (v) => (v === 0 ? 'no anti-entropy' : `anti-entropy every ${v / 1000} s`),
  readRepair: (v) => (v ? 'read repair' : 'no read repair'),
  placement: (v) => (v === 'spread' ? 'each shard’s copies spread over the regions' : 'each shard’s copies kept in one region'),
};

function range(a: number, b: number): number[] {
  const out: number[] = [];
  for (let i = a; i <= b; i++) out.push(i);
  return out;
}
