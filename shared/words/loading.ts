// What a screen says while the code it needs is still on its way (the map and most screens
// are loaded when first opened, not with the home page), and when that code never arrives.

export const MAP_LOADING_TEXT = 'Loading the map…';
export const MAP_FAILED_TEXT = 'The map could not be loaded. Check your connection, then try again.';
export const SCREEN_LOADING_TEXT = 'Loading…';
export const SCREEN_FAILED_TEXT = 'This screen could not be loaded. Check your connection, then try again.';
export const TRY_AGAIN_TEXT = 'Try again';
export const GO_HOME_TEXT = 'Back to the home page';
