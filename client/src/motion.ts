// Whether the player asked for less motion (the system's "reduce motion" setting): the map
// then shows its feedback marks standing still and takes them away at once, with no growing,
// moving or fading.

let query: MediaQueryList | null | undefined;

/** True when the browser reports prefers-reduced-motion: reduce; false where it cannot tell. */
export function reducedMotion(): boolean {
  try {
    // One query, kept: its `matches` follows the setting when the player changes it.
    if (query === undefined) query = typeof matchMedia === 'function' ? matchMedia('(prefers-reduced-motion: reduce)') : null;
    return query?.matches === true;
  } catch {
    return false;
  }
}
