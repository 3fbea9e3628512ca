// Signature form: draw (signature_pad) or type (typed_name).
//
//   <form method="post" action="/s/TOKEN/sign">
//     <input type="hidden" name="_csrf" value="…">
//     <input type="hidden" name="signature" value="">
//     <fieldset class="segmented" data-signature-modes hidden>
//       <legend class="visually-hidden">How do you want to sign?</legend>
//       <label><input type="radio" name="signature_mode" value="draw" checked> Draw</label>
//       <label><input type="radio" name="signature_mode" value="type"> Type</label>
//     </fieldset>
//     <div data-signature-draw hidden>
//       <div class="signature-pad">
//         <canvas data-signature-pad aria-label="Draw your signature"
//                 data-signature-pad-url="{ static.Path("vendor/signature_pad/signature_pad.min.js") }"></canvas>
//       </div>
//       <button type="button" class="btn btn-link" data-signature-clear>Clear</button>
//     </div>
//     <div class="field" data-signature-type>
//       <label for="typed_name">Type your full name</label>
//       <input id="typed_name" name="typed_name" autocomplete="name" required>
//     </div>
//     <p class="field-error" data-signature-error hidden></p>
//     <button type="submit" class="btn btn-primary">Sign</button>
//   </form>
//
// Without JavaScript only the typed_name field shows. With it, the mode
// switch and the drawing area appear; the mode shown first is the checked
// radio. [data-signature-type] (optional) is hidden while drawing, and a
// `required` on typed_name only applies while typing. On submit in draw mode a
// non-empty pad is put into `signature` as a PNG data URL (transparent, cropped
// to the strokes with a small margin); an empty pad with an empty typed_name
// stops the submit with an inline message. In type mode `signature` is emptied.
// A submit button with `formnovalidate` (e.g. "Decline") is never blocked.
// The server must decide by the fields, not by signature_mode: `signature`
// non-empty → drawn signature, else `typed_name`.

const enhanced = new WeakSet();
const libraries = new Map();

const PAD_OPTIONS = {
  penColor: "#10206b",
  minWidth: 0.8,
  maxWidth: 2.8,
  throttle: 16,
};

export function init(root = document) {
  const canvases = root.matches && root.matches("[data-signature-pad]") ? [root] : root.querySelectorAll("[data-signature-pad]");
  for (const canvas of canvases) {
    if (enhanced.has(canvas)) continue;
    enhanced.add(canvas);
    enhance(canvas).catch((err) => console.error("signet: signature pad:", err));
  }
}

function loadLibrary(url) {
  const href = new URL(url, document.baseURI).href;
  let p = libraries.get(href);
  if (!p) {
    p = import(href).then((m) => m.default || m.SignaturePad);
    p.catch(() => libraries.delete(href));
    libraries.set(href, p);
  }
  return p;
}

async function enhance(canvas) {
  const form = canvas.closest("form");
  if (!form) return;
  const url = canvas.dataset.signaturePadUrl;
  if (!url) throw new Error("data-signature-pad-url is missing on the canvas");
  // If this fails the page stays as it is without JavaScript: typed name only.
  const SignaturePad = await loadLibrary(url);

  const drawSection = form.querySelector("[data-signature-draw]") || canvas.parentElement;
  const typeSection = form.querySelector("[data-signature-type]");
  const modesBox = form.querySelector("[data-signature-modes]");
  const radios = Array.from(form.querySelectorAll('input[name="signature_mode"]'));
  const typed = form.querySelector('[name="typed_name"]');
  const typedRequired = !!(typed && typed.required);
  const clearBtn = form.querySelector("[data-signature-clear]");

  let output = form.querySelector('input[name="signature"]');
  if (!output) {
    output = document.createElement("input");
    output.type = "hidden";
    output.name = "signature";
    form.append(output);
  }
  let error = form.querySelector("[data-signature-error]");
  if (!error) {
    error = document.createElement("p");
    error.className = "field-error";
    error.hidden = true;
    drawSection.after(error);
  }
  error.setAttribute("role", "alert");
  if (!error.id) error.id = `signature-error-${Math.random().toString(36).slice(2, 8)}`;
  if (!canvas.hasAttribute("aria-label")) canvas.setAttribute("aria-label", "Draw your signature");

  const pad = new SignaturePad(canvas, PAD_OPTIONS);
  let cssW = 0;
  let cssH = 0;

  // Match the backing store to the displayed size × devicePixelRatio, keeping
  // (and, when the box shrinks, scaling down) what was drawn.
  function resize() {
    const rect = canvas.getBoundingClientRect();
    const w = Math.round(rect.width);
    const h = Math.round(rect.height);
    if (!w || !h) return; // hidden
    const ratio = Math.min(Math.max(window.devicePixelRatio || 1, 1), 3);
    if (w === cssW && h === cssH && canvas.width === Math.round(w * ratio)) return;
    let data = pad.toData();
    if (cssW && cssH && data.length) {
      const s = Math.min(w / cssW, h / cssH, 1);
      if (s < 1) data = scaleData(data, s);
    }
    canvas.width = Math.round(w * ratio);
    canvas.height = Math.round(h * ratio);
    canvas.getContext("2d").scale(ratio, ratio);
    pad.clear(); // resets isEmpty()
    if (data.length) pad.fromData(data);
    cssW = w;
    cssH = h;
  }

  function mode() {
    const checked = radios.find((r) => r.checked);
    if (checked) return checked.value;
    return radios.length ? "type" : "draw";
  }

  function showError(text) {
    error.textContent = text;
    error.hidden = false;
    canvas.setAttribute("aria-describedby", error.id);
    if (typed) typed.setAttribute("aria-describedby", error.id);
  }

  function hideError() {
    if (error.hidden) return;
    error.hidden = true;
    error.textContent = "";
  }

  // initial: keep a server-rendered error message visible on page load.
  function apply(initial) {
    const m = mode();
    drawSection.hidden = m !== "draw";
    if (typeSection) typeSection.hidden = m === "draw";
    if (typed) typed.required = m === "draw" ? false : typedRequired;
    form.dataset.signatureMode = m;
    if (initial !== true) hideError();
    if (m === "draw") resize();
  }

  if (modesBox) modesBox.hidden = false;
  for (const r of radios) r.addEventListener("change", () => apply(false));
  apply(true);

  new ResizeObserver(() => resize()).observe(canvas);
  window.addEventListener("resize", () => resize()); // devicePixelRatio changes (zoom)

  pad.addEventListener("endStroke", () => {
    hideError();
    canvas.classList.add("has-signature");
  });

  if (clearBtn) {
    clearBtn.hidden = false;
    clearBtn.addEventListener("click", (e) => {
      e.preventDefault();
      pad.clear();
      output.value = "";
      canvas.classList.remove("has-signature");
      hideError();
    });
  }

  // Capture phase: runs before other submit listeners on the form (htmx).
  form.addEventListener(
    "submit",
    (e) => {
      if (e.submitter && e.submitter.hasAttribute("formnovalidate")) return;
      if (mode() !== "draw") {
        output.value = "";
        return;
      }
      if (!pad.isEmpty()) {
        output.value = exportPNG(canvas, pad.toData(), PAD_OPTIONS.maxWidth);
        return;
      }
      output.value = "";
      if (typed && typed.value.trim() !== "") return;
      e.preventDefault();
      e.stopImmediatePropagation();
      const typeRadio = radios.find((r) => r.value === "type");
      showError(
        typeRadio
          ? "Please draw your signature in the box, or choose “Type” and type your full name."
          : "Please draw your signature in the box.",
      );
      canvas.scrollIntoView({ block: "center", behavior: "smooth" });
    },
    true,
  );

  form.dataset.signatureReady = "";
  return pad;
}

function scaleData(groups, s) {
  return groups.map((g) => ({
    ...g,
    minWidth: g.minWidth * s,
    maxWidth: g.maxWidth * s,
    dotSize: g.dotSize * s,
    points: g.points.map((p) => ({ ...p, x: p.x * s, y: p.y * s })),
  }));
}

// The drawn strokes as a PNG data URL, cropped to their bounding box plus a
// margin, at the canvas' device-pixel resolution, transparent background.
function exportPNG(canvas, groups, maxWidth) {
  const ratio = canvas.width / (canvas.getBoundingClientRect().width || canvas.width);
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const g of groups) {
    for (const p of g.points) {
      if (p.x < minX) minX = p.x;
      if (p.y < minY) minY = p.y;
      if (p.x > maxX) maxX = p.x;
      if (p.y > maxY) maxY = p.y;
    }
  }
  if (!Number.isFinite(minX)) return canvas.toDataURL("image/png");
  const margin = maxWidth + 6;
  const sx = Math.max(0, Math.floor((minX - margin) * ratio));
  const sy = Math.max(0, Math.floor((minY - margin) * ratio));
  const ex = Math.min(canvas.width, Math.ceil((maxX + margin) * ratio));
  const ey = Math.min(canvas.height, Math.ceil((maxY + margin) * ratio));
  const sw = Math.max(1, ex - sx);
  const sh = Math.max(1, ey - sy);
  const out = document.createElement("canvas");
  out.width = sw;
  out.height = sh;
  out.getContext("2d").drawImage(canvas, sx, sy, sw, sh, 0, 0, sw, sh);
  return out.toDataURL("image/png");
}
