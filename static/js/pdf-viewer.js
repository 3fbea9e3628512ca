// PDF viewer: renders every page of a PDF into a <canvas> with pdf.js.
//
//   <div class="pdf-viewer" data-pdf-viewer
//        data-pdf-url="/s/TOKEN/document.pdf"
//        data-pdfjs-url="{ static.Path("vendor/pdfjs/pdf.min.mjs") }"
//        data-worker-url="{ static.Path("vendor/pdfjs/pdf.worker.min.mjs") }">
//     <p><a href="/s/TOKEN/document.pdf">Open the document (PDF)</a></p>   ← no-JS fallback
//     <!-- optional field markers, PDF user space (points, origin bottom-left, unrotated) -->
//     <span data-pdf-field data-page="1" data-x="380" data-y="90" data-width="180" data-height="60">Sign here</span>
//   </div>
//
// Optional attributes: data-wasm-url (folder with pdf.js' image decoders; default:
// "wasm/" next to data-pdfjs-url) and data-pdf-wasm (use WebAssembly for them;
// needs 'wasm-unsafe-eval' in script-src, otherwise the JavaScript fallbacks run).
//
// Pages are laid out at once (right aspect ratio, "Page N of M" under each) and
// rendered lazily when they come near the viewport; far-away pages release their
// canvas (phones limit total canvas memory). Rendering is crisp on high-DPI screens
// and redone (debounced) when the element's width or devicePixelRatio changes.
// The server-rendered children are replaced when the document loads; if loading
// fails they stay and an error message (role=alert) with a "Try again" button is
// put in front of them.
//
// State for tests and styles: data-pdf-state="loading|loaded|error" on the
// element, data-rendered on each rendered .pdf-page. Events (bubbling, on the
// element): "pdfviewer:loaded" {numPages}, "pdfviewer:pagerendered" {pageNumber, box}.

const enhanced = new WeakSet();
const libraries = new Map(); // pdfjs URL → Promise<module>

const RENDER_MARGIN = "150% 0px"; // render pages within 1.5 screens
const MAX_CANVAS_PIXELS = 16_000_000; // stay under iOS' per-canvas limit
const RESIZE_DEBOUNCE_MS = 150;

export function init(root = document) {
  const els = root.matches && root.matches("[data-pdf-viewer]") ? [root] : root.querySelectorAll("[data-pdf-viewer]");
  for (const el of els) {
    if (enhanced.has(el)) continue;
    enhanced.add(el);
    new Viewer(el).start();
  }
}

function absolute(url) {
  return new URL(url, document.baseURI).href;
}

function loadLibrary(pdfjsUrl, workerUrl) {
  let p = libraries.get(pdfjsUrl);
  if (!p) {
    p = import(pdfjsUrl).then((lib) => {
      lib.GlobalWorkerOptions.workerSrc = workerUrl;
      return lib;
    });
    p.catch(() => libraries.delete(pdfjsUrl)); // allow a retry
    libraries.set(pdfjsUrl, p);
  }
  return p;
}

class Viewer {
  constructor(el) {
    this.el = el;
    this.fallback = Array.from(el.childNodes);
    this.fields = Array.from(el.querySelectorAll("[data-pdf-field]"));
    this.pages = [];
    this.doc = null;
    this.width = 0;
    this.dpr = window.devicePixelRatio || 1;
    this.resizeTimer = 0;
    this.onWindowResize = () => this.scheduleResize();
  }

  async start() {
    const { pdfUrl, pdfjsUrl, workerUrl } = this.el.dataset;
    this.clearMessages();
    this.el.dataset.pdfState = "loading";
    this.el.setAttribute("aria-busy", "true");
    const status = this.message("pdf-loading", "status", "Loading document…");

    if (!pdfUrl || !pdfjsUrl || !workerUrl) {
      this.fail(new Error("data-pdf-url, data-pdfjs-url and data-worker-url are required"));
      return;
    }

    let lib;
    try {
      lib = await loadLibrary(absolute(pdfjsUrl), absolute(workerUrl));
    } catch (err) {
      this.fail(err, "The document viewer could not be loaded.");
      return;
    }

    const wasmUrl = absolute(this.el.dataset.wasmUrl || new URL("wasm/", absolute(pdfjsUrl)).href);
    const task = lib.getDocument({
      url: absolute(pdfUrl), // same-origin fetch: cookies are sent
      isEvalSupported: false,
      enableXfa: false,
      wasmUrl: wasmUrl.endsWith("/") ? wasmUrl : wasmUrl + "/",
      useWasm: this.el.hasAttribute("data-pdf-wasm"),
    });
    task.onProgress = ({ loaded, total }) => {
      if (total > 0) status.textContent = `Loading document… ${Math.min(100, Math.round((loaded / total) * 100))}%`;
    };
    this.task = task;

    try {
      this.doc = await task.promise;
      const first = await this.doc.getPage(1);
      this.build(first);
    } catch (err) {
      this.fail(err);
      return;
    }

    this.el.dataset.pdfState = "loaded";
    this.el.setAttribute("aria-busy", "false");
    this.el.dispatchEvent(new CustomEvent("pdfviewer:loaded", { bubbles: true, detail: { numPages: this.doc.numPages } }));
  }

  build(firstPage) {
    const n = this.doc.numPages;
    const base = firstPage.getViewport({ scale: 1 });
    const list = document.createElement("div");
    list.className = "pdf-pages";

    for (let i = 1; i <= n; i++) {
      const figure = document.createElement("figure");
      figure.className = "pdf-page";
      figure.dataset.pageNumber = String(i);
      const box = document.createElement("div");
      box.className = "pdf-page-canvas";
      box.style.aspectRatio = `${base.width} / ${base.height}`; // CSSOM: allowed by a strict CSP
      const label = document.createElement("figcaption");
      label.className = "pdf-page-label";
      label.textContent = `Page ${i} of ${n}`;
      figure.append(box, label);
      list.append(figure);
      this.pages.push({ num: i, figure, box, page: i === 1 ? firstPage : null, base: null, canvas: null, task: null, key: "", pendingKey: "", visible: false });
    }

    this.el.replaceChildren(list);
    this.width = this.el.clientWidth;

    // A viewer that scrolls by itself (overflow: auto) is its own intersection root.
    const scrolls = /(auto|scroll)/.test(getComputedStyle(this.el).overflowY);
    this.io = new IntersectionObserver((entries) => this.onIntersect(entries), {
      root: scrolls ? this.el : null,
      rootMargin: RENDER_MARGIN,
    });
    for (const p of this.pages) this.io.observe(p.figure);
    this.ro = new ResizeObserver(() => this.scheduleResize());
    this.ro.observe(this.el);
    window.addEventListener("resize", this.onWindowResize);
  }

  onIntersect(entries) {
    if (!this.el.isConnected) {
      this.destroy();
      return;
    }
    for (const entry of entries) {
      const p = this.pages[Number(entry.target.dataset.pageNumber) - 1];
      if (!p) continue;
      p.visible = entry.isIntersecting;
      if (p.visible) this.render(p);
      else this.release(p);
    }
  }

  scheduleResize() {
    clearTimeout(this.resizeTimer);
    this.resizeTimer = setTimeout(() => {
      if (!this.el.isConnected) {
        this.destroy();
        return;
      }
      const width = this.el.clientWidth;
      const dpr = window.devicePixelRatio || 1;
      if (width === this.width && dpr === this.dpr) return;
      this.width = width;
      this.dpr = dpr;
      for (const p of this.pages) if (p.visible) this.render(p);
    }, RESIZE_DEBOUNCE_MS);
  }

  async ensurePage(p) {
    if (!p.page) p.page = await this.doc.getPage(p.num);
    if (!p.base) {
      p.base = p.page.getViewport({ scale: 1 });
      p.box.style.aspectRatio = `${p.base.width} / ${p.base.height}`;
      this.placeFields(p);
    }
  }

  placeFields(p) {
    for (const f of this.fields) {
      if (Number(f.dataset.page) !== p.num) continue;
      const x = parseFloat(f.dataset.x);
      const y = parseFloat(f.dataset.y);
      const w = parseFloat(f.dataset.width);
      const h = parseFloat(f.dataset.height);
      if (![x, y, w, h].every(Number.isFinite)) continue;
      const [x1, y1, x2, y2] = p.base.convertToViewportRectangle([x, y, x + w, y + h]);
      const pct = (v, total) => `${((v / total) * 100).toFixed(4)}%`;
      f.style.left = pct(Math.min(x1, x2), p.base.width);
      f.style.top = pct(Math.min(y1, y2), p.base.height);
      f.style.width = pct(Math.abs(x2 - x1), p.base.width);
      f.style.height = pct(Math.abs(y2 - y1), p.base.height);
      f.classList.add("pdf-field");
      p.box.append(f);
    }
  }

  async render(p) {
    try {
      await this.ensurePage(p);
      const width = p.box.clientWidth;
      if (!width || !p.visible) return;
      const dpr = window.devicePixelRatio || 1;
      const key = `${width}@${dpr}`;
      if (p.key === key && p.canvas) return;
      if (p.task && p.pendingKey === key) return; // already rendering this size

      const cssScale = width / p.base.width;
      const cssHeight = p.base.height * cssScale;
      let outputScale = dpr;
      if (width * cssHeight * outputScale * outputScale > MAX_CANVAS_PIXELS) {
        outputScale = Math.sqrt(MAX_CANVAS_PIXELS / (width * cssHeight));
      }
      const viewport = p.page.getViewport({ scale: cssScale * outputScale });
      const canvas = document.createElement("canvas");
      canvas.width = Math.floor(viewport.width);
      canvas.height = Math.floor(viewport.height);
      canvas.className = "pdf-canvas";
      canvas.setAttribute("role", "img");
      canvas.setAttribute("aria-label", `Page ${p.num} of ${this.pages.length}`);

      if (p.task) p.task.cancel();
      const task = p.page.render({ canvas, viewport });
      p.task = task;
      p.pendingKey = key;
      try {
        await task.promise;
      } catch (err) {
        if (err && err.name === "RenderingCancelledException") return;
        throw err;
      }
      if (p.task !== task) return;
      p.task = null;
      if (!p.visible) {
        freeCanvas(canvas);
        return;
      }
      if (p.canvas) {
        p.canvas.replaceWith(canvas);
        freeCanvas(p.canvas);
      } else {
        p.box.prepend(canvas);
      }
      p.canvas = canvas;
      p.key = key;
      p.figure.dataset.rendered = "";
      p.figure.classList.remove("is-error");
      this.el.dispatchEvent(new CustomEvent("pdfviewer:pagerendered", { bubbles: true, detail: { pageNumber: p.num, box: p.box } }));
    } catch (err) {
      console.error(`signet: page ${p.num} could not be rendered`, err);
      p.figure.classList.add("is-error");
      p.box.dataset.error = "This page could not be displayed.";
    }
  }

  release(p) {
    if (p.task) {
      p.task.cancel();
      p.task = null;
    }
    if (p.canvas) {
      freeCanvas(p.canvas);
      p.canvas.remove();
      p.canvas = null;
      p.key = "";
      delete p.figure.dataset.rendered;
      if (p.page) p.page.cleanup();
    }
  }

  destroy() {
    if (this.io) this.io.disconnect();
    if (this.ro) this.ro.disconnect();
    window.removeEventListener("resize", this.onWindowResize);
    clearTimeout(this.resizeTimer);
    for (const p of this.pages) this.release(p);
    if (this.doc) this.doc.destroy();
    else if (this.task) this.task.destroy();
    this.doc = null;
    this.task = null;
  }

  message(className, role, text) {
    const box = document.createElement("div");
    box.className = className;
    box.setAttribute("role", role);
    box.dataset.pdfMessage = "";
    box.textContent = text;
    this.el.prepend(box);
    return box;
  }

  clearMessages() {
    for (const m of this.el.querySelectorAll("[data-pdf-message]")) m.remove();
  }

  fail(err, headline = "The document could not be displayed.") {
    console.error("signet: PDF viewer:", err);
    if (this.io || this.doc || this.task) this.destroy();
    this.pages = [];
    this.el.replaceChildren(...this.fallback);
    this.el.dataset.pdfState = "error";
    this.el.setAttribute("aria-busy", "false");

    const box = this.message("pdf-error", "alert", "");
    const title = document.createElement("strong");
    title.textContent = headline;
    const detail = document.createElement("p");
    detail.textContent = explain(err);
    const retry = document.createElement("button");
    retry.type = "button";
    retry.className = "btn btn-secondary";
    retry.textContent = "Try again";
    retry.addEventListener("click", () => this.start());
    box.append(title, detail, retry);
  }
}

function freeCanvas(c) {
  c.width = 0;
  c.height = 0;
}

function explain(err) {
  const name = err && err.name;
  const status = err && err.status;
  if (name === "PasswordException") return "The PDF is protected by a password and cannot be shown here.";
  if (name === "InvalidPDFException" || name === "FormatError") return "The file is not a valid PDF or it is damaged.";
  if (status === 401 || status === 403)
    return "You are no longer allowed to see this document; your session may have expired. Reload the page to continue.";
  if (status === 404 || (err && err.missing)) return "The document was not found. It may have been withdrawn by the sender.";
  if (status === 429) return "Too many requests. Wait a moment, then try again.";
  if (status >= 500) return `The server could not send the document (HTTP ${status}). Try again in a moment.`;
  if (status) return `The server answered with an error (HTTP ${status}).`;
  if (err instanceof TypeError || name === "UnexpectedResponseException" || name === "UnknownErrorException")
    return "Check your internet connection, then try again or reload the page.";
  return "Try again, or download the PDF instead.";
}
