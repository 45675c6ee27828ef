// A figure shrinks to fit its box instead of running into the next tile: the element keeps the font
// size its stylesheet gives it (the largest, often a clamp() of the viewport) when the text fits on
// one line, and otherwise gets the size at which it does, never below `min` pixels. Re-fitted when
// the element's width changes (a window resize, a grid reflow, a full-page capture) and when its text
// changes (a live update, the language switch) — the action's parameter is the text.

/** The smallest font a fitted figure gets, in pixels. */
export const FIT_MIN_PX = 10;

/** The font size (px) at which text `needed` px wide at `size` px fits `available` px, floored to 0.5 px. */
export function fittedSize(size: number, available: number, needed: number, min = FIT_MIN_PX): number {
  if (needed <= available || available <= 0 || needed <= 0) return size;
  return Math.max(min, Math.floor(((size * available) / needed) * 2) / 2);
}

export function fitText(node: HTMLElement, _text?: unknown): { update: (text?: unknown) => void; destroy: () => void } {
  let width = -1;

  function fit(): void {
    node.style.fontSize = '';
    const available = node.clientWidth;
    let needed = node.scrollWidth;
    if (needed <= available) return;
    let size = parseFloat(getComputedStyle(node).fontSize);
    // Glyph widths do not scale exactly with the size (hinting, rounding): at most a few steps down.
    for (let i = 0; i < 4 && needed > available && size > FIT_MIN_PX; i++) {
      size = i === 0 ? fittedSize(size, available, needed) : Math.max(FIT_MIN_PX, size - 0.5);
      node.style.fontSize = `${size}px`;
      needed = node.scrollWidth;
    }
  }

  // Only a change of width refits: the fitted size changes the element's height, which must not loop.
  const observer = new ResizeObserver(() => {
    if (node.clientWidth === width) return;
    width = node.clientWidth;
    fit();
  });
  observer.observe(node);
  // A font that arrives later changes the text's width, not the element's.
  void document.fonts?.ready.then(fit);

  return {
    update() {
      fit();
    },
    destroy() {
      observer.disconnect();
    },
  };
}
