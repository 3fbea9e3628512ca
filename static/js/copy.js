// Copy-to-clipboard buttons.
//
//   <input class="input" id="link" value="https://…/s/abc" readonly>
//   <button type="button" class="btn btn-secondary" data-copy="https://…/s/abc" hidden>Copy link</button>
//
// Render the button with `hidden` (it does nothing without JavaScript); this
// module shows it. A click copies data-copy to the clipboard and shows
// "Copied" for 2 s (text of a [data-copy-label] child if present, else the
// whole button text). The change is announced to screen readers.

const enhanced = new WeakSet();
const RESET_MS = 2000;

export function init(root = document) {
  const buttons = root.matches && root.matches("[data-copy]") ? [root] : root.querySelectorAll("[data-copy]");
  for (const btn of buttons) {
    if (enhanced.has(btn)) continue;
    enhanced.add(btn);
    btn.hidden = false;
    if (btn.tagName === "BUTTON" && !btn.hasAttribute("type")) btn.type = "button";
    btn.addEventListener("click", onClick);
  }
}

async function onClick(e) {
  const btn = e.currentTarget;
  e.preventDefault();
  const ok = await copyText(btn.dataset.copy || "");
  flash(btn, ok ? btn.dataset.copiedText || "Copied" : "Press Ctrl+C to copy", ok);
}

export async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch (_) {
      // fall through (permission denied, document not focused …)
    }
  }
  // Fallback for plain-http deployments: a temporary, off-screen textarea.
  const ta = document.createElement("textarea");
  ta.value = text;
  ta.setAttribute("readonly", "");
  ta.className = "visually-hidden";
  document.body.appendChild(ta);
  ta.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch (_) {
    ok = false;
  }
  ta.remove();
  return ok;
}

function flash(btn, text, ok) {
  const label = btn.querySelector("[data-copy-label]") || btn;
  if (!btn._signetOriginal) btn._signetOriginal = label.textContent;
  clearTimeout(btn._signetTimer);
  label.textContent = text;
  btn.classList.toggle("is-copied", ok);
  announce(text);
  btn._signetTimer = setTimeout(() => {
    label.textContent = btn._signetOriginal;
    btn._signetOriginal = "";
    btn.classList.remove("is-copied");
  }, RESET_MS);
}

let live;
function announce(text) {
  if (!live || !live.isConnected) {
    live = document.createElement("div");
    live.className = "visually-hidden";
    live.setAttribute("role", "status");
    live.setAttribute("aria-live", "polite");
    document.body.appendChild(live);
  }
  live.textContent = "";
  // a fresh text node so repeated "Copied" is announced again
  setTimeout(() => {
    live.textContent = text;
  }, 50);
}
