// The map's key: every mark the map draws, with the same picture and a few plain words. It
// sits under the map (open by default on big screens, a tap away on a phone) so nothing on
// the map means something only a tooltip or a colour could tell.

import { h } from '../dom.js';
import { icon, type IconName } from './icons.js';
import { MAP_KEY, MAP_KEY_TITLE } from '../../../shared/words/map-key.js';

/** Every mark of the map with its picture (the words live in shared/words/map-key.ts). */
export const LEGEND: readonly { icon: IconName; words: string; key: string }[] = MAP_KEY.map((m) => ({ icon: m.key, key: m.key, words: m.words }));

/** The key under the map: a disclosure a tap opens and closes (phones have no hover). */
export function mapLegend(open: boolean): HTMLDetailsElement {
  const el = h(
    'details',
    { class: 'map-legend', 'aria-label': MAP_KEY_TITLE },
    h('summary', null, icon('info'), MAP_KEY_TITLE),
    h('ul', null, LEGEND.map((m) => h('li', { 'data-legend': m.key }, icon(m.icon), h('span', null, m.words)))),
  );
  el.open = open;
  return el;
}
