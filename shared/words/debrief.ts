// The debrief's own sentences around playing again: what the same seed keeps, how to branch
// from a moment, and what a seed must be.

/** Why the same seed is worth playing again. */
export const SAME_SEED_HELP = 'The same seed brings the same faults at the same moments, so you can try another plan against the very same trouble.';

/** Where branching from a moment lives (the replay's timeline). */
export const BRANCH_HELP = 'To try another move from one moment, watch the replay, stop at that moment on its timeline and press Branch from here.';

/** A seed the player typed that is not one. */
export const SEED_HELP = 'A seed is a whole number from 0 to 4294967295.';
