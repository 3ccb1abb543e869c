// How students get in: the join code in letters big enough to read from the back row, the
// link, and a QR code of the link for phones.

import { h, svg } from '../dom.js';
import { encodeQr, qrPath } from './qr.js';
import { joinLink } from './paths.js';

/** The code in two groups of three ("K7M Q3X"): easier to read aloud and to copy. */
export function codeLetters(code: string, cls = 'join-code'): HTMLElement {
  return h('div', { class: cls, 'data-join-code': code, 'aria-label': `Join code ${[...code].join(' ')}` }, h('span', null, code.slice(0, 3)), h('span', null, code.slice(3)));
}

/** A QR code of `text` as SVG; null when it is too long to encode (then show the link alone). */
export function qrCode(text: string, label: string): SVGSVGElement | null {
  const qr = encodeQr(text);
  if (qr === null) return null;
  const side = qr.size + 8;
  return svg(
    'svg',
    { viewBox: `0 0 ${side} ${side}`, class: 'qr', role: 'img', 'aria-label': label, 'shape-rendering': 'crispEdges', 'data-qr-version': qr.version },
    svg('rect', { x: 0, y: 0, width: side, height: side, fill: '#ffffff' }),
    svg('path', { d: qrPath(qr), fill: '#000000' }),
  );
}

/** Code, link and QR code together. */
export function joinCard(code: string, opts: { copy?: (link: string) => void } = {}): HTMLElement {
  const link = joinLink(code);
  const shown = link.replace(/^https?:\/\//, '');
  return h(
    'section',
    { class: 'join-card', 'aria-label': 'How to join' },
    h(
      'div',
      { class: 'join-words' },
      h('p', { class: 'join-how' }, 'Join the class: open the link or scan the code, then type your name.'),
      codeLetters(code),
      h('p', { class: 'join-link' }, h('a', { href: link, target: '_blank', rel: 'noopener', 'data-join-link': link }, shown)),
      opts.copy !== undefined ? h('button', { onclick: () => opts.copy!(link) }, 'Copy the link') : null,
    ),
    qrCode(link, `QR code of the join link ${shown}`),
  );
}
