// The simulation's event queue: a binary min-heap ordered by time, then by insertion
// sequence so that simultaneous events run in a deterministic order. Times and sequence
// numbers live in their own packed number arrays beside the items: comparisons then read
// doubles in a row instead of chasing fields of scattered objects, which makes the heap
// several times faster. Plain arrays, so the queue is part of the JSON snapshot.

export interface Timed {
  t: number;
  q: number;
}

export interface Heap<E extends Timed> {
  items: E[];
  /** times[i] and seqs[i] are items[i]'s time and sequence number. */
  times: number[];
  seqs: number[];
  seq: number;
}

export function createHeap<E extends Timed>(): Heap<E> {
  return { items: [], times: [], seqs: [], seq: 0 };
}

export function push<E extends Timed>(h: Heap<E>, e: E): void {
  const q = h.seq++;
  e.q = q;
  const t = e.t;
  const items = h.items;
  const times = h.times;
  const seqs = h.seqs;
  let i = items.length;
  items.push(e);
  times.push(t);
  seqs.push(q);
  while (i > 0) {
    const p = (i - 1) >> 1;
    const pt = times[p]!;
    if (pt < t || (pt === t && seqs[p]! < q)) break;
    items[i] = items[p]!;
    times[i] = pt;
    seqs[i] = seqs[p]!;
    i = p;
  }
  items[i] = e;
  times[i] = t;
  seqs[i] = q;
}

export function pop<E extends Timed>(h: Heap<E>): E | undefined {
  const items = h.items;
  const n = items.length;
  if (n === 0) return undefined;
  const times = h.times;
  const seqs = h.seqs;
  const top = items[0]!;
  const last = items.pop()!;
  const lt = times.pop()!;
  const lq = seqs.pop()!;
  if (n > 1) {
    const m = n - 1;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= m) break;
      const r = l + 1;
      let c = l;
      let ct = times[l]!;
      let cq = seqs[l]!;
      if (r < m) {
        const rt = times[r]!;
        const rq = seqs[r]!;
        if (rt < ct || (rt === ct && rq < cq)) {
          c = r;
          ct = rt;
          cq = rq;
        }
      }
      if (lt < ct || (lt === ct && lq < cq)) break;
      items[i] = items[c]!;
      times[i] = ct;
      seqs[i] = cq;
      i = c;
    }
    items[i] = last;
    times[i] = lt;
    seqs[i] = lq;
  }
  return top;
}
