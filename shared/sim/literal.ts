// Copies of a plain record made by an object literal of its fields. V8 gives an object made
// by spread (`{ ...o }`) a hidden class of its own, not the one a literal of the same fields
// gets; a replay's restore makes its copies by literals (shared/replay/snapshots.ts), and
// the simulation's code, meeting a record in both forms, would be compiled for two shapes
// and thrown away whenever the other turned up. The order of the fields is kept: it is
// part of the state's JSON, and so of its fingerprints.

const copiers = new Map<string, (o: object) => object>();

/** A copy of `o`: its fields, in its order, made by a literal (compiled once per field list). */
export function likeLiteral<T extends object>(o: T): T {
  const fields = Object.keys(o);
  const sig = fields.join('\u0000');
  let c = copiers.get(sig);
  if (c === undefined) {
    const body = fields.map((f) => `${JSON.stringify(f)}: o[${JSON.stringify(f)}]`).join(', ');
    c = new Function('o', `return { ${body} };`) as (o: object) => object;
    copiers.set(sig, c);
  }
  return c(o) as T;
}
