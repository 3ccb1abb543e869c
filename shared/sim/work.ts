// A tally of the closing's units of work: events stepped, keys read back, judged, compared
// or exchanged, and every 64 characters of text hashed each count one. The closing's steps
// add to it as they go, so a test can bound the work one step does without timing it (a
// shared machine's clock says little), and the closing's simulation pieces are cut by it.
// Nothing the simulation computes reads it: where a piece ends never changes the result.

/** Units counted so far (only ever grows; read it before and after a step). */
export const closingWork = { units: 0 };

/** Count n units of the closing's work. */
export function countWork(n: number): void {
  closingWork.units += n;
}
