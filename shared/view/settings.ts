// The cluster settings in a view: copied field by field (a schema's fields are setters, so
// the object itself cannot be replaced), by this one function on every side.

import type { ClusterSettings } from '../scenarios/settings.js';

/** Every field of ClusterSettings, in the order the view declares them (the compiler checks none is missing). */
const FIELDS = {
  replication: true, replicationFactor: true, readQuorum: true, writeQuorum: true, syncReplication: true,
  readFrom: true, election: true, shardCount: true, loadBalancing: true, conflictResolution: true,
  antiEntropyMs: true, failoverTimeoutMs: true, fencing: true, hintedHandoff: true, readRepair: true,
  stance: true, placement: true,
} as const satisfies Record<keyof ClusterSettings, true>;

export const SETTINGS_FIELDS = Object.keys(FIELDS) as readonly (keyof ClusterSettings)[];

/** Copy every setting of `from` into `into` (a schema's SettingsView or a plain object); returns `into`. */
export function copySettings<T extends ClusterSettings>(into: T, from: ClusterSettings): T {
  const out = into as Record<keyof ClusterSettings, unknown>;
  for (const k of SETTINGS_FIELDS) out[k] = from[k];
  return into;
}

/** A plain copy of `from`. */
export function settingsOf(from: ClusterSettings): ClusterSettings {
  return copySettings({} as ClusterSettings, from);
}

/** The settings a view holds before a simulation is projected into it. */
export function defaultViewSettings(): ClusterSettings {
  return {
    replication: 'leader-follower', replicationFactor: 3, readQuorum: 'quorum', writeQuorum: 'quorum', syncReplication: true,
    readFrom: 'leader', election: 'majority', shardCount: 1, loadBalancing: 'round-robin', conflictResolution: 'last-write-wins',
    antiEntropyMs: 0, failoverTimeoutMs: 1000, fencing: true, hintedHandoff: false, readRepair: false,
    stance: 'refuse', placement: 'spread',
  };
}
