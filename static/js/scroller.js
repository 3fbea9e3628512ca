// Signet — sideways scrolling rows (the phone's navigation tabs, the dashboard's status tiles).
//
//   <nav class="topnav-links" data-scroller> <a href="…">…</a> <a href="…" aria-current="page">…</a> … </nav>
//
// Without JavaScript the row simply scrolls. With it, the current entry ([aria-current]) is scrolled
// into view, and the classes .is-scrollable-start / .is-scrollable-end are set while there is more
// to see that way, so app.css can fade that edge as a hint.

function update(el) {
  const max = el.scrollWidth - el.clientWidth;
  el.classList.toggle("is-scrollable-start", max > 1 && el.scrollLeft > 1);
  el.classList.toggle("is-scrollable-end", max > 1 && el.scrollLeft < max - 1);
}

function showCurrent(el) {
  const current = el.querySelector("[aria-current]");
  if (!current || el.scrollWidth <= el.clientWidth) return;
  const box = el.getBoundingClientRect();
  const item = current.getBoundingClientRect();
  if (item.left >= box.left && item.right <= box.right) return;
  el.scrollLeft += item.left - box.left - (box.width - item.width) / 2;
}

export function init(root = document) {
  const els = [];
  if (root.matches && root.matches("[data-scroller]")) els.push(root);
  els.push(...root.querySelectorAll("[data-scroller]"));
  for (const el of els) {
    if (el.dataset.scrollerReady) continue;
    el.dataset.scrollerReady = "1";
    showCurrent(el);
    update(el);
    el.addEventListener("scroll", () => update(el), { passive: true });
    if ("ResizeObserver" in window) new ResizeObserver(() => update(el)).observe(el);
  }
}
