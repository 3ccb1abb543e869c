// The map's key: every mark the map draws, with the same picture and a few plain words. It
// sits under the map (open by default on big screens, a tap away on a phone) so nothing on
// the map means something only a tooltip or a colour could tell.

import { h } from '../dom.js';
import { icon, type IconName } from './icons.js';

/** Every mark of the map, in the order a newcomer meets them. */
export const LEGEND: readonly { icon: IconName; words: string; key: string }[] = [
  { icon: 'up', key: 'up', words: 'up: serving' },
  { icon: 'slow', key: 'slow', words: 'slow: still answers, slowly' },
  { icon: 'down', key: 'down', words: 'down: crossed out' },
  { icon: 'recovering', key: 'recovering', words: 'recovering: catching up' },
  { icon: 'shard', key: 'shard', words: 'one per shard the node leads ("leads 2": two shards); that shard\'s writes go through it' },
  { icon: 'you', key: 'you', words: 'your node' },
  { icon: 'selected', key: 'selected', words: 'the node you picked' },
  { icon: 'load', key: 'load', words: 'how busy: striped red with a warning sign from 80%' },
  { icon: 'clients', key: 'clients', words: 'the region\'s clients' },
  { icon: 'request', key: 'request', words: 'a client request (round dot)' },
  { icon: 'copy', key: 'copy', words: 'a write copied to a replica (diamond)' },
  { icon: 'lost', key: 'lost', words: 'a message lost' },
  { icon: 'link', key: 'link', words: 'a link, with its delay in ms' },
  { icon: 'cut', key: 'cut', words: 'a link cut by a partition' },
  { icon: 'side-main', key: 'side-main', words: 'in a split: the larger side' },
  { icon: 'side-cut', key: 'side-cut', words: 'in a split: cut off from the larger side' },
];

/** The key under the map: a disclosure a tap opens and closes (phones have no hover). */
export function mapLegend(open: boolean): HTMLDetailsElement {
  const el = h(
    'details',
    { class: 'map-legend', 'aria-label': 'Key to the map' },
    h('summary', null, icon('info'), 'Key to the map'),
    h('ul', null, LEGEND.map((m) => h('li', { 'data-legend': m.key }, icon(m.icon), h('span', null, m.words)))),
  );
  el.open = open;
  return el;
}
