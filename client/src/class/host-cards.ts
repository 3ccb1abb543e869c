// Push a concept card to every student's screen and the projector.

import { h, replace } from '../dom.js';
import { CARDS, CONCEPT_IDS, type ConceptId } from '../../../shared/lessons/cards.js';
import { field, select, type HostContext, type HostPanel } from './host-panel.js';

export class CardsPanel implements HostPanel {
  readonly el = h('section', { class: 'card host-cards', 'aria-label': 'Push a concept card' });

  constructor(ctx: HostContext) {
    const pick = select('card-pick', CONCEPT_IDS.map((id) => [id, CARDS[id].title]));
    replace(
      this.el,
      h('h2', null, 'Show a concept card'),
      h('p', { class: 'muted' }, 'It appears on every student\'s screen and on the projector.'),
      field('card-pick', 'Card', pick),
      h('div', { class: 'row' }, h('button', { 'data-host': 'card', onclick: () => ctx.send({ action: 'card', card: pick.value as ConceptId }) }, 'Show it to everyone')),
    );
  }

  sync(): void {
    // Nothing follows the class: the card goes out when the host asks.
  }
}
