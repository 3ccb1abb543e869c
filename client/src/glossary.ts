// The glossary in the page: glossary words in a text are underlined buttons, and a tap, a
// click or Enter opens a short definition beside the word (phones have no hover). The words
// and definitions live in shared/words/glossary.ts.
//
//   glossed(text)      nodes for a text with its glossary words marked (the coach uses it)
//   glossify(root)     mark the glossary words in text already on a screen (other screens)
//   explain(id, near)  open one definition by hand (e.g. when a gauge is tapped)
//
// One definition is open at a time; Escape, the close button or a tap elsewhere closes it.

import './glossary.css';
import { h } from './dom.js';
import { glossaryEntry, glossPieces } from '../../shared/words/glossary.js';

/** Someone opened a definition (the tutorial's coach listens for the error budget). */
export type GlossListener = (id: string) => void;

const listeners = new Set<GlossListener>();

/** Be told of every definition opened; returns the function that stops it. */
export function onExplain(fn: GlossListener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/**
 * The text as nodes, its glossary words as buttons. `marked` collects the ids already
 * marked, so several texts in one card mark each word once; pass the same set to each.
 */
export function glossed(text: string, marked: Set<string> = new Set()): (string | HTMLElement)[] {
  return glossPieces(text, marked).map((p) => {
    if (typeof p === 'string') return p;
    marked.add(p.id);
    return wordButton(p.text, p.id);
  });
}

/**
 * Mark the glossary words in the text under `root` (skipping buttons, inputs and words
 * already marked). Safe to call again after the screen changed: marked words stay as they are.
 */
export function glossify(root: HTMLElement, marked: Set<string> = new Set()): void {
  for (const el of root.querySelectorAll<HTMLElement>('.gloss')) if (el.dataset.gloss) marked.add(el.dataset.gloss);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => (n.parentElement?.closest('button, a, input, select, textarea, .gloss, .gloss-pop, script, style') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  const texts: Text[] = [];
  for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) texts.push(n as Text);
  for (const t of texts) {
    const pieces = glossed(t.data, marked);
    if (pieces.length === 1 && typeof pieces[0] === 'string') continue;
    t.replaceWith(...pieces);
  }
}

/** Open the definition of glossary entry `id` beside `near` (or centred when absent). */
export function explain(id: string, near?: Element | null): void {
  const entry = glossaryEntry(id);
  if (entry === undefined) return;
  close();
  const closeButton = h('button', { class: 'gloss-close', 'aria-label': 'Close the definition', onclick: () => close() }, '✕');
  const pop = h('div', { class: 'gloss-pop', role: 'dialog', 'aria-label': entry.term, 'data-gloss-pop': id }, h('div', { class: 'gloss-head' }, h('b', null, entry.term), closeButton), h('p', null, entry.definition));
  document.body.appendChild(pop);
  open = { pop, near: near ?? null };
  place(pop, near ?? null);
  closeButton.focus({ preventScroll: true });
  for (const fn of listeners) fn(id);
}

/** Close the open definition, if any. */
export function close(): void {
  if (open === null) return;
  const { pop, near } = open;
  open = null;
  pop.remove();
  if (near instanceof HTMLElement && near.isConnected && pop.contains(document.activeElement)) near.focus({ preventScroll: true });
}

let open: { pop: HTMLElement; near: Element | null } | null = null;

function wordButton(text: string, id: string): HTMLElement {
  const b = h('button', { type: 'button', class: 'gloss', 'data-gloss': id, 'aria-haspopup': 'dialog', title: 'What does this mean?' }, text);
  b.addEventListener('click', (e) => {
    e.stopPropagation();
    if (open?.near === b) close();
    else explain(id, b);
  });
  return b;
}

/** Below the word when there is room, else above it; always inside the screen. */
function place(pop: HTMLElement, near: Element | null): void {
  const margin = 8;
  const vw = document.documentElement.clientWidth;
  const vh = window.innerHeight;
  const w = Math.min(pop.offsetWidth, vw - 2 * margin);
  if (near === null) {
    pop.style.left = `${Math.max(margin, (vw - w) / 2)}px`;
    pop.style.top = `${Math.max(margin, (vh - pop.offsetHeight) / 3)}px`;
    return;
  }
  const r = near.getBoundingClientRect();
  const left = Math.min(Math.max(margin, r.left), vw - w - margin);
  const below = r.bottom + 6;
  const top = below + pop.offsetHeight <= vh - margin ? below : Math.max(margin, r.top - 6 - pop.offsetHeight);
  pop.style.left = `${left}px`;
  pop.style.top = `${top}px`;
}

// One set of page-wide listeners: Escape and a tap outside close the definition; when the
// screen changes size (a phone turned, its toolbar hidden) the box moves back beside its word.
if (typeof document !== 'undefined') {
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && open !== null) {
      close();
      e.stopPropagation();
    }
  }, true);
  document.addEventListener('pointerdown', (e) => {
    if (open === null) return;
    const t = e.target as Node | null;
    if (t !== null && (open.pop.contains(t) || open.near?.contains(t))) return;
    close();
  }, true);
  window.addEventListener('resize', () => {
    if (open !== null) place(open.pop, open.near instanceof Element && open.near.isConnected ? open.near : null);
  });
}
