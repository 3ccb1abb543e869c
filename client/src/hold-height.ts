// Bars whose words change as a round plays (the HUD's cells) wrap onto a
// second line and back as their numbers grow and shrink; each time the map beside them
// changes size, and a new size costs the map a new canvas and a full redraw (and, on a
// computer without a graphics card, a page that stutters while a replay plays fast). Such a
// bar keeps the tallest height it has reached at its current width instead: it grows at
// once when it must, and gives the room back only when the screen's width changes.

/** Keep `el` at least as tall as it has been at its current width; returns the way to stop. */
export function holdTallest(el: HTMLElement): () => void {
  if (typeof ResizeObserver === 'undefined') return () => undefined;
  let width = -1;
  let tallest = 0;
  const observer = new ResizeObserver((entries) => {
    const box = entries[entries.length - 1]?.borderBoxSize?.[0];
    if (box === undefined) return;
    let height = box.blockSize;
    if (box.inlineSize !== width) {
      // A new width (the window's, or the first report): its own height, measured without the hold.
      width = box.inlineSize;
      tallest = 0;
      if (el.style.minHeight !== '') {
        el.style.minHeight = '';
        height = el.getBoundingClientRect().height;
      }
    }
    if (height > tallest) {
      tallest = height;
      el.style.minHeight = `${tallest}px`;
    }
  });
  observer.observe(el);
  return () => {
    observer.disconnect();
    el.style.minHeight = '';
  };
}
