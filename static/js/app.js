// Signet — single JavaScript entry point.
//
//   <script type="module" src="{ static.Path("js/app.js") }"></script>
//
// Loads each enhancement module only when the page contains its selector, and
// runs the enhancements again on content that htmx swaps in (htmx:load) or that
// upload.js puts in place of the page (signet:content). Every module's init()
// is idempotent: an element is enhanced once.
//
// The relative import specifiers below are rewritten by static/embed.go to the
// modules' hashed names, so keep them as plain string literals.

import "./htmx-csrf.js";

const modules = [
  { selector: "[data-pdf-viewer]", load: () => import("./pdf-viewer.js") },
  { selector: "[data-signature-pad]", load: () => import("./signature.js") },
  { selector: "form[data-upload]", load: () => import("./upload.js") },
  { selector: "[data-copy]", load: () => import("./copy.js") },
  { selector: "[data-recipients]", load: () => import("./recipients.js") },
  { selector: "[data-scroller]", load: () => import("./scroller.js") },
];

function contains(root, selector) {
  return (root.matches && root.matches(selector)) || !!root.querySelector(selector);
}

/** Enhance every known widget inside root (a Document or an Element). */
export function enhance(root = document) {
  for (const m of modules) {
    if (!contains(root, m.selector)) continue;
    m.load()
      .then((mod) => mod.init(root))
      .catch((err) => console.error("signet: could not load enhancement for", m.selector, err));
  }
}

document.documentElement.classList.add("js");
enhance(document);

document.addEventListener("htmx:load", (e) => {
  if (e.target instanceof Element) enhance(e.target);
});
document.addEventListener("signet:content", (e) => {
  enhance(e.detail && e.detail.root ? e.detail.root : document);
});
