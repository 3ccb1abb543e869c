// Numbers in the game's words: whole numbers with thousands separators, written out rather
// than left to toLocaleString, whose output differs between machines and engines.

/** A whole number with thousands separators: 12160 → "12,160". */
export function int(x: number): string {
  const r = Math.round(x);
  const digits = String(Math.abs(r)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return r < 0 ? `-${digits}` : digits;
}
