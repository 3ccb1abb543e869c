// What to try next, from what the team actually did: each concept card's suggestion is chosen
// among a few, and one that proposes settings the team already had in force is passed over
// (suggesting "try quorum reads" to a team that played with quorum reads teaches nothing).
// And the one lead a debrief must not leave out: when the copies per key drowned the cluster.

import type { ClusterSettings } from '../scenarios/settings.js';
import { levelCount } from '../scenarios/settings.js';
import type { ConceptId } from './cards.js';
import type { RoundRecord } from './pick.js';
import { proposalWords, type SettingKey, type SettingValue } from '../words/settings.js';
import { int } from '../words/number.js';

/** The values each setting took during the round: at the start, and after every change. */
export type SettingsUsed = { [K in SettingKey]?: ClusterSettings[K][] };

/** A suggestion, and the settings it would have the team play with (none: an action or a look). */
interface Candidate {
  text: string;
  needs?: Partial<ClusterSettings>;
}

/** The values in force at some point of the round (the settings at the end when the record has no more). */
export function usedSettings(rec: Pick<RoundRecord, 'settings' | 'used'>): SettingsUsed {
  const out: Record<string, SettingValue[]> = {};
  for (const [k, v] of Object.entries(rec.settings)) out[k] = [v as SettingValue];
  for (const [k, vs] of Object.entries(rec.used ?? {})) for (const v of vs as SettingValue[]) if (!out[k]!.includes(v)) out[k]!.push(v);
  return out as SettingsUsed;
}

/** True when every value the suggestion needs was in force during the round: nothing new to try. */
export function alreadyTried(needs: Partial<ClusterSettings>, used: SettingsUsed): boolean {
  const entries = Object.entries(needs) as [SettingKey, SettingValue][];
  return entries.length > 0 && entries.every(([k, v]) => ((used[k] ?? []) as SettingValue[]).includes(v));
}

/** When every setting a card could suggest was played already. */
export const TRIED_EVERYTHING = 'Your team already played with these settings: watch the replay, and branch from the moment that cost the most to play it another way.';

/**
 * The card's "Try next" for this round: the first suggestion that is new to the team. A card
 * that suggests no settings keeps its own (`own`).
 */
export function tryNextFor(id: ConceptId, rec: RoundRecord, own: string): string {
  const list = candidatesFor(id, rec);
  if (list === null) return own;
  const used = usedSettings(rec);
  for (const c of list) if (c.needs === undefined || !alreadyTried(c.needs, used)) return c.text;
  return TRIED_EVERYTHING;
}

/**
 * When the round broke its promise mostly because nodes were overloaded while each key had
 * more copies than the scenario starts with, say so, with what it cost, and what would help
 * that the team has not played with yet. Null otherwise.
 */
export function drownedByCopies(rec: RoundRecord, overloadFailures: number, failures: number, presetCopies: number): string | null {
  const copies = Math.max(...((usedSettings(rec).replicationFactor ?? [rec.settings.replicationFactor]) as number[]));
  const broke = rec.summary.availability < rec.sla.availability;
  if (!broke || copies <= presetCopies || copies < 4 || failures <= 0 || overloadFailures < failures / 2) return null;
  const share = Math.round((100 * overloadFailures) / failures);
  const used = usedSettings(rec);
  const fewer = presetCopies;
  // The way out the team has not played yet: fewer copies, or else more nodes to carry them.
  const remedy = alreadyTried({ replicationFactor: fewer }, used)
    ? `More nodes (${ADD_NODE}) would have carried them.`
    : `${cap(proposalWords({ replicationFactor: fewer }))} would have left the nodes room, and so would more nodes (${ADD_NODE}).`;
  return (
    `${cap(proposalWords({ replicationFactor: copies }))} drowned the cluster: every write had to be stored ${copies} times, ` +
    `so the nodes ran out of capacity and turned away ${int(overloadFailures)} requests, ${share}% of the round's failures. ${remedy}`
  );
}

// ---------------------------------------------------------------------------------------

const ADD_NODE = 'Add a node here';

/** A card's suggestions in order of preference, or null for a card that suggests no settings. */
function candidatesFor(id: ConceptId, rec: RoundRecord): Candidate[] | null {
  const s = rec.settings;
  const lf = s.replication === 'leader-follower';
  const other = s.stance === 'refuse' ? 'serve' : 'refuse';
  switch (id) {
    case 'cap':
      return [
        { text: `Play this seed again with every node set to ${other} without a quorum, and compare the nines with the stale reads.`, needs: { stance: other } },
        { text: 'Your team tried both stances: on the replay, branch from the moment the network split and play the cut-off side the other way.' },
      ];
    case 'strong-consistency':
      return lf
        ? [
            { text: 'Play this seed with synchronous copies and reads from the leader: stale reads should vanish, at the price of slower writes.', needs: { syncReplication: true, readFrom: 'leader' } },
            { text: 'Play this seed with reads from any copy: see how much latency it saves and how many stale reads it costs.', needs: { readFrom: 'any-replica' } },
            { text: 'Play this seed leaderless with reads and writes from a majority of copies (R + W > N), and compare stale reads.', needs: { replication: 'leaderless', readQuorum: 'quorum', writeQuorum: 'quorum' } },
          ]
        : [
            { text: 'Play this seed with reads and writes from a majority of copies, so R + W > N: every read meets the latest write.', needs: { readQuorum: 'quorum', writeQuorum: 'quorum' } },
            { text: 'Play this seed reading from one copy: see how much latency it saves and how many stale reads it costs.', needs: { readQuorum: 'one' } },
          ];
    case 'weak-consistency':
      return [
        { text: 'Play this seed with writes confirmed by one copy, and compare throughput and lost writes.', needs: { writeQuorum: 'one' } },
        { text: 'Play this seed with writes confirmed by a majority of copies, and compare throughput and lost writes.', needs: { writeQuorum: 'quorum' } },
      ];
    case 'active-active':
      return [
        { text: 'Play this seed leaderless with quorum reads and writes, and watch latency per region.', needs: { replication: 'leaderless', readQuorum: 'quorum', writeQuorum: 'quorum' } },
        { text: 'Play this seed with one leader per shard, and compare the p99 latency with your leaderless round.', needs: { replication: 'leader-follower' } },
      ];
    case 'failover': {
      const faster = [300, 800, 1500].find((t) => t < s.failoverTimeoutMs);
      const slower = [3000, 6000].find((t) => t > s.failoverTimeoutMs);
      return [
        ...(faster !== undefined ? [{ text: `Play this seed with ${proposalWords({ failoverTimeoutMs: faster })}: do failovers come faster, or start when nothing was wrong?`, needs: { failoverTimeoutMs: faster } }] : []),
        ...(slower !== undefined ? [{ text: `Play this seed with ${proposalWords({ failoverTimeoutMs: slower })}, and count the seconds shards go without a leader.`, needs: { failoverTimeoutMs: slower } }] : []),
      ];
    }
    case 'replication':
      return [
        { text: 'Play this seed with 1 copy of each key, and count the writes lost when a node loses its disk.', needs: { replicationFactor: 1 } },
        { text: 'Play this seed with 3 copies of each key, and count the lost writes again.', needs: { replicationFactor: 3 } },
      ];
    case 'sharding': {
      const more = [8, 12, 16, 24, 32].find((n) => n > s.shardCount);
      return more === undefined ? [] : [{ text: `Play this seed with ${proposalWords({ shardCount: more })} before the hot key strikes, and watch whether the load spreads.`, needs: { shardCount: more } }];
    }
    case 'load-balancing':
      return (['least-loaded', 'health-checked', 'round-robin'] as const).map((lb) => ({
        text: `Play this seed with ${proposalWords({ loadBalancing: lb })} and compare how the slow or flooded node fares.`,
        needs: { loadBalancing: lb },
      }));
    case 'quorum': {
      const n = s.replicationFactor;
      const pairs = [
        { r: 'one', w: 'one' },
        { r: 'quorum', w: 'quorum' },
        { r: 'one', w: 'all' },
      ] as const;
      return pairs.map((p) => ({
        text: `Play this seed with R = ${levelCount(p.r, n)} and W = ${levelCount(p.w, n)} (${proposalWords({ readQuorum: p.r, writeQuorum: p.w })}), and compare stale reads and p99.`,
        needs: { readQuorum: p.r, writeQuorum: p.w },
      }));
    }
    case 'split-brain':
      return [
        { text: 'Play this seed with fencing off and elections without a majority, then watch a split: count the lost writes.', needs: { fencing: false, election: 'no-quorum' } },
        { text: 'Play this seed with fencing on and majority elections, and compare the lost writes.', needs: { fencing: true, election: 'majority' } },
      ];
    case 'conflicts':
      return [
        { text: 'Play this seed with version vectors, and compare lost writes while clocks are skewed.', needs: { conflictResolution: 'version-vectors' } },
        { text: 'Play this seed with last write wins, and compare lost writes while clocks are skewed.', needs: { conflictResolution: 'last-write-wins' } },
      ];
    default:
      return null;
  }
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

