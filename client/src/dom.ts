// A tiny helper to build DOM trees. Text always goes in as text (never parsed as HTML), so a
// nickname or a server message can never inject markup.

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | EventListener | null | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) setAttrs(el, attrs);
  append(el, children);
  return el;
}

export function setAttrs(el: HTMLElement, attrs: Attrs): void {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = String(v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
}

export function append(el: Node, children: (Child | Child[])[]): void {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
}

/** Replace an element's children. */
export function replace(el: Element, ...children: (Child | Child[])[]): void {
  el.replaceChildren();
  append(el, children);
}

/** Set text only when it changed (keeps the DOM quiet between patches). */
export function text(el: Node, s: string): void {
  if (el.textContent !== s) el.textContent = s;
}

/**
 * Make `children` the element's children, in this order, touching the element only when they
 * are not already: a part that comes and goes (a warning line) is the same element each time.
 */
export function sameChildren(el: Element, children: readonly (Element | null)[]): void {
  const want = children.filter((c): c is Element => c !== null);
  const now = el.children;
  if (el.childNodes.length === want.length && want.every((c, i) => now[i] === c)) return;
  el.replaceChildren(...want);
}

/**
 * Set an attribute only when it changed; null removes it. Writing an attribute its own value
 * again still tells the browser the element changed (style and layout are checked anew).
 */
export function attr(el: Element, name: string, value: string | null): void {
  if (value === null) {
    if (el.hasAttribute(name)) el.removeAttribute(name);
  } else if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

/** Set one inline style property (e.g. 'width') only when it changed. */
export function styleProp(el: HTMLElement | SVGElement, name: string, value: string): void {
  if (el.style.getPropertyValue(name) !== value) el.style.setProperty(name, value);
}

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, ...children: (SVGElement | null)[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) if (c) el.appendChild(c);
  return el;
}

/**
 * A function that asks for `draw` on the next animation frame, however often it is called
 * before then: many state patches in one frame cost one redraw.
 */
export function onNextFrame(draw: () => void): () => void {
  let pending = false;
  return () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      draw();
    });
  };
}
