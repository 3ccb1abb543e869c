// The loops over a state's arrays that snapshots make and restore with, compiled once per
// place in the state (a path of field names from the state itself), so that each copy of
// them meets one kind of array.
//
// V8 keeps an array's elements as small integers, as unboxed doubles or as tagged values,
// each with or without holes, and an optimised loop that has met several of those kinds
// turns the arrays it stores into into the most general of them: a table of doubles copied by
// a loop that has also copied arrays of objects comes out as an array of objects, each
// number in a box of its own. The simulation's code then meets arrays of another kind than
// the ones it was compiled for after every restore (and is thrown away), its stores into
// them box every number, and the snapshot's own comparisons box and unbox. One loop per
// place sees only what the simulation keeps there, and copies it as it is.

/**
 * A stored version: immutable once made, shared between replicas (shared/sim/state.ts), so
 * snapshots share it rather than copy it. Recognised by its fields, so that anything else,
 * whatever it holds, is copied.
 */
export function isVersion(o: Record<string, unknown>): boolean {
  return typeof o.v === 'number' && typeof o.ts === 'number' && typeof o.sq === 'number' && typeof o.ep === 'number' &&
    typeof o.n === 'number' && (o.vv === null || Array.isArray(o.vv));
}

type Freeze = (e: object, prev: unknown) => unknown;
type Copy = (e: object, old: unknown) => unknown;

export interface ArrayKernel {
  /**
   * Fresh lists for a patch's indices and values. Made here, not by the caller: V8 remembers
   * the kind of element an array made at a given place in the code came to hold, and makes
   * the next ones there that way (a list of doubles would turn a table of integers it is
   * applied to into doubles).
   */
  indices(): number[];
  values(): unknown[];
  /** No element is an object. */
  isFlat(a: readonly unknown[]): boolean;
  /** A replica's version list for a key: every element a version. */
  isVersionList(a: readonly unknown[]): boolean;
  same(a: readonly unknown[], b: readonly unknown[]): boolean;
  /**
   * The elements of flat `x` that differ from `p` (and those past its end), as indices and
   * values, while there are at most `limit`; false once there are more.
   */
  diffFlat(x: readonly unknown[], p: readonly unknown[], limit: number, idx: number[], vals: unknown[]): boolean;
  /**
   * `x`'s elements frozen (objects through `freeze`, against `p`'s at the same index): with
   * `p` null, a whole copy; else the changes from `p` as indices and frozen values while there
   * are at most `limit` (returns null), or, past that, a whole copy.
   */
  freezeElements(x: readonly unknown[], p: readonly unknown[] | null, limit: number, idx: number[], vals: unknown[], freeze: Freeze): unknown[] | null;
  /** `out` cut or grown to `length` with the changes `idx`/`vals` applied, in place. */
  apply(out: unknown[], length: number, idx: readonly number[], vals: readonly unknown[]): unknown[];
  /** `into` made to hold the first `n` elements of `from`, in place. */
  refill(into: unknown[], from: readonly unknown[], n: number): void;
  /** The object elements of `out` replaced by copies (`old`: the discarded state's array at this place). */
  copyElements(out: unknown[], old: readonly unknown[] | null, copy: Copy): unknown[];
  /** The kernel for the arrays this place's arrays hold. */
  readonly elements: ArrayKernel;
  /** The kernel for what the objects at this place hold in field `name`. */
  field(name: string): ArrayKernel;
}

// Plain JavaScript, compiled anew for every place (compile below).
const SOURCE = `
return {
  indices() {
    return [];
  },
  values() {
    return [];
  },
  isFlat(a) {
    for (let i = 0; i < a.length; i++) {
      const e = a[i];
      if (typeof e === 'object' && e !== null) return false;
    }
    return true;
  },
  isVersionList(a) {
    if (a.length === 0) return false;
    for (let i = 0; i < a.length; i++) {
      const e = a[i];
      if (typeof e !== 'object' || e === null || Array.isArray(e) || !isVersion(e)) return false;
    }
    return true;
  },
  same(a, b) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  },
  diffFlat(x, p, limit, idx, vals) {
    const n = x.length;
    const m = n < p.length ? n : p.length;
    for (let i = 0; i < m; i++) {
      if (x[i] !== p[i]) {
        if (idx.length >= limit) return false;
        idx.push(i);
        vals.push(x[i]);
      }
    }
    for (let i = m; i < n; i++) {
      if (idx.length >= limit) return false;
      idx.push(i);
      vals.push(x[i]);
    }
    return true;
  },
  freezeElements(x, p, limit, idx, vals, freeze) {
    const n = x.length;
    if (p === null) {
      const out = x.slice();
      for (let i = 0; i < n; i++) {
        const e = out[i];
        if (typeof e === 'object' && e !== null) out[i] = freeze(e, undefined);
      }
      return out;
    }
    const m = n < p.length ? n : p.length;
    let out = null;
    for (let i = 0; i < n; i++) {
      const e = x[i];
      const pe = i < m ? p[i] : undefined;
      const fe = e !== pe && typeof e === 'object' && e !== null ? freeze(e, pe) : e;
      if (out !== null) out[i] = fe;
      else if (i < m && fe === pe) continue;
      else if (idx.length < limit) {
        idx.push(i);
        vals.push(fe);
      } else {
        out = x.slice();
        const upTo = i < m ? i : m;
        for (let j = 0; j < upTo; j++) out[j] = p[j];
        for (let k = 0; k < idx.length; k++) out[idx[k]] = vals[k];
        out[i] = fe;
      }
    }
    return out;
  },
  apply(out, length, idx, vals) {
    if (out.length > length) out.length = length;
    // Indices ascend, and those past the end come in order: push keeps the array packed.
    for (let j = 0; j < idx.length; j++) {
      if (idx[j] < out.length) out[idx[j]] = vals[j];
      else out.push(vals[j]);
    }
    return out;
  },
  refill(into, from, n) {
    if (into.length > n) into.length = n;
    for (let i = 0; i < n; i++) into[i] = from[i];
  },
  copyElements(out, old, copy) {
    for (let i = 0; i < out.length; i++) {
      const e = out[i];
      if (typeof e === 'object' && e !== null) out[i] = copy(e, old !== null ? old[i] : undefined);
    }
    return out;
  },
};`;

/** Kernels by place: a path of field names from the state ('' is the state itself). */
const byPlace = new Map<string, ArrayKernel>();

/** Names of a table's entries (a node's open requests by id): one place for them all, and never a literal's field (snapshots.ts). */
export const INDEX_LIKE = /^(0|[1-9][0-9]*)$/;

function compile(place: string): ArrayKernel {
  // The place named in the text: V8 caches what `new Function` compiled by its text, type
  // feedback included, so one text for every place would be one set of loops after all.
  const k = new Function('isVersion', `${SOURCE}\n// ${JSON.stringify(place)}`)(isVersion) as ArrayKernel;
  // Made when first asked for: a place's elements and fields are places of their own.
  let elements: ArrayKernel | null = null;
  let entries: ArrayKernel | null = null;
  const fields = new Map<string, ArrayKernel>();
  Object.defineProperty(k, 'elements', { get: (): ArrayKernel => (elements ??= kernelAt(`${place}[]`)) });
  k.field = (name: string): ArrayKernel => {
    const known = fields.get(name);
    if (known !== undefined) return known;
    // Every entry of a table keyed by number shares one place (never remembered by its key).
    if (INDEX_LIKE.test(name)) return (entries ??= kernelAt(`${place}.#`));
    const f = kernelAt(`${place}.${name}`);
    fields.set(name, f);
    return f;
  };
  return k;
}

function kernelAt(place: string): ArrayKernel {
  let k = byPlace.get(place);
  if (k === undefined) {
    k = compile(place);
    byPlace.set(place, k);
  }
  return k;
}

/** The kernel for the state itself; every other place is reached from it (field, elements). */
export function stateKernel(): ArrayKernel {
  return kernelAt('');
}

/** How many places have kernels: bounded by the shape of the simulation's state. */
export function kernelsKnown(): number {
  return byPlace.size;
}
