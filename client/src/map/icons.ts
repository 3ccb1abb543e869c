// The project's own icons (assets/icons/*.svg, served from the page's root): pictures every
// browser shows, where a symbol from a font (an hourglass, scissors) may show as an empty box.

import { h } from '../dom.js';

export type IconName =
  | 'up' | 'down' | 'slow' | 'recovering' | 'removed'
  | 'shard' | 'you' | 'selected' | 'link' | 'cut' | 'side-cut' | 'side-main'
  | 'request' | 'copy' | 'lost' | 'load' | 'clients' | 'warn'
  | 'partition' | 'clock' | 'flood' | 'network' | 'info'
  | 'sound-on' | 'sound-off';

/**
 * Where the icons are: fixed when the page first loads (its base is then the app's root, see
 * index.html), because the replay viewer later changes the page's address and a relative
 * address would then point under replay/.
 */
const ROOT = typeof document === 'undefined' ? 'icons/' : new URL('icons/', document.baseURI).href;

/** The address of an icon's picture. */
export function iconUrl(name: IconName): string {
  return `${ROOT}${name}.svg`;
}

/** An icon as an image; `alt` '' when words beside it already say what it means. */
export function icon(name: IconName, alt = ''): HTMLImageElement {
  return h('img', { class: 'icon', src: iconUrl(name), alt, width: 24, height: 24, draggable: 'false' });
}

/** The icon of a fault in force, by its kind (alerts over the map). */
export function faultIcon(kind: string): IconName {
  switch (kind) {
    case 'slow-node':
      return 'slow';
    case 'crash':
    case 'crash-disk-loss':
      return 'down';
    case 'clock-skew':
      return 'clock';
    case 'flood':
      return 'flood';
    case 'partition-region':
    case 'partition-random':
      return 'partition';
    default:
      return 'network';
  }
}
