// The simulation's event queue: a binary min-heap of plain event objects ordered by time,
// then by insertion sequence so that simultaneous events run in a deterministic order.
// Plain arrays and objects, so the queue is part of the JSON snapshot.

export interface Timed {
  t: number;
  q: number;
}

export interface Heap<E extends Timed> {
  items: E[];
  seq: number;
}

export function createHeap<E extends Timed>(): Heap<E> {
  return { items: [], seq: 0 };
}

export function push<E extends Timed>(h: Heap<E>, e: E): void {
  e.q = h.seq++;
  const a = h.items;
  let i = a.length;
  a.push(e);
  while (i > 0) {
    const p = (i - 1) >> 1;
    const pe = a[p]!;
    if (pe.t < e.t || (pe.t === e.t && pe.q < e.q)) break;
    a[i] = pe;
    i = p;
  }
  a[i] = e;
}

export function peek<E extends Timed>(h: Heap<E>): E | undefined {
  return h.items[0];
}

export function pop<E extends Timed>(h: Heap<E>): E | undefined {
  const a = h.items;
  const n = a.length;
  if (n === 0) return undefined;
  const top = a[0]!;
  const last = a.pop()!;
  if (n > 1) {
    const m = n - 1;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= m) break;
      const r = l + 1;
      let c = l;
      let ce = a[l]!;
      if (r < m) {
        const re = a[r]!;
        if (re.t < ce.t || (re.t === ce.t && re.q < ce.q)) {
          c = r;
          ce = re;
        }
      }
      if (last.t < ce.t || (last.t === ce.t && last.q < ce.q)) break;
      a[i] = ce;
      i = c;
    }
    a[i] = last;
  }
  return top;
}
