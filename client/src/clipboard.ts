// Copying a link for the player: the clipboard where the browser allows it (a secure page);
// the caller shows the text to copy by hand when it does not.

/** Put the text on the clipboard; false when the browser refuses. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
