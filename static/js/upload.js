// PDF upload form: drag and drop, client-side checks, upload progress.
//
//   <form method="post" action="/documents" enctype="multipart/form-data" data-upload
//         data-max-bytes="26214400">                       ← optional client-side size limit
//     <input type="hidden" name="_csrf" value="…">
//     <div class="field"><label for="title">Title</label>
//       <input id="title" name="title" data-upload-title></div>  ← optional: filled from the file name when empty
//     <label class="dropzone" data-dropzone>
//       <input type="file" name="file" accept="application/pdf,.pdf" required>
//       <span class="dropzone-prompt"><strong>Choose a PDF</strong> or drop it here</span>
//       <span class="dropzone-file" data-dropzone-file></span>   ← optional, created if missing
//     </label>
//     <p class="field-error" data-upload-error hidden></p>       ← optional, created if missing
//     <div class="upload-status" data-upload-status hidden>      ← optional wrapper, shown while sending
//       <progress data-upload-progress max="100" value="0"></progress>
//       <span data-upload-percent>0%</span>
//       <button type="button" class="btn btn-link" data-upload-cancel>Cancel</button>  ← optional
//     </div>
//     <button type="submit" class="btn btn-primary">Upload</button>
//   </form>
//
// Without JavaScript it is an ordinary multipart form. With it (marked
// data-enhanced="true" on the form and the drop zone once ready; a file chosen
// before this module loaded is taken as if chosen now): a file dropped
// on [data-dropzone] is put into the file input (DataTransfer); name and size
// are shown; a file that is not a PDF (type/extension, and it must start with
// "%PDF-"), is empty or exceeds data-max-bytes is refused with a message. The
// form is sent with XMLHttpRequest (FormData: _csrf and every other field, plus
// the X-CSRF-Token and X-Requested-With: XMLHttpRequest headers) and the
// progress shows in [data-upload-progress] / [data-upload-percent]. Then:
//   • response header HX-Redirect: URL      → navigate there (keeps a flash unread);
//   • redirect followed by the XHR          → navigate to xhr.responseURL;
//   • HTML response (e.g. 422 with errors)  → it replaces the page body (title
//     and csrf-token meta too), and the enhancements run again on it;
//   • anything else                         → an inline error message.

const enhanced = new WeakSet();
let guarded = false;

export function init(root = document) {
  const forms = root.matches && root.matches("form[data-upload]") ? [root] : root.querySelectorAll("form[data-upload]");
  for (const form of forms) {
    if (enhanced.has(form)) continue;
    enhanced.add(form);
    enhance(form);
  }
  if (!guarded) {
    guarded = true;
    guardPageDrops();
  }
}

function isFileDrag(e) {
  return !!e.dataTransfer && Array.from(e.dataTransfer.types || []).includes("Files");
}

// A file dropped next to the drop zone must not make the browser leave the page
// to open the PDF (and lose the form).
function guardPageDrops() {
  window.addEventListener("dragover", (e) => {
    if (!isFileDrag(e) || (e.target.closest && e.target.closest("[data-dropzone]"))) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = "none";
  });
  window.addEventListener("drop", (e) => {
    if (!isFileDrag(e) || (e.target.closest && e.target.closest("[data-dropzone]"))) return;
    e.preventDefault();
  });
}

export function formatSize(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

async function checkFile(file, maxBytes) {
  const looksPdf = file.type === "application/pdf" || /\.pdf$/i.test(file.name);
  if (!looksPdf) return `“${file.name}” is not a PDF. Please choose a PDF file.`;
  if (file.size === 0) return `“${file.name}” is empty.`;
  if (maxBytes > 0 && file.size > maxBytes)
    return `“${file.name}” is too large (${formatSize(file.size)}). The limit is ${formatSize(maxBytes)}.`;
  try {
    const head = await file.slice(0, 5).text();
    if (head !== "%PDF-") return `“${file.name}” is not a valid PDF file.`;
  } catch (_) {
    // unreadable here (e.g. a cloud placeholder): let the server decide
  }
  return "";
}

function csrfToken(form) {
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (meta && meta.content) return meta.content;
  const input = form.querySelector('input[name="_csrf"]');
  return input ? input.value : "";
}

function enhance(form) {
  const input = form.querySelector('input[type="file"][name="file"]');
  if (!input) return;
  const zone = form.querySelector("[data-dropzone]");
  const progress = form.querySelector("[data-upload-progress]");
  const percent = form.querySelector("[data-upload-percent]");
  const statusBox = form.querySelector("[data-upload-status]");
  const cancelBtn = form.querySelector("[data-upload-cancel]");
  const titleInput = form.querySelector("[data-upload-title]");
  const maxBytes = parseInt(form.dataset.maxBytes || input.dataset.maxBytes || "0", 10) || 0;

  let info = form.querySelector("[data-dropzone-file]");
  if (!info) {
    info = document.createElement("span");
    info.className = "dropzone-file";
    if (zone) zone.append(info);
    else input.after(info);
  }
  info.setAttribute("aria-live", "polite");

  let error = form.querySelector("[data-upload-error]");
  if (!error) {
    error = document.createElement("p");
    error.className = "field-error";
    error.hidden = true;
    (zone || input).after(error);
  }
  error.setAttribute("role", "alert");

  if (zone) zone.classList.add("is-enhanced");
  let xhr = null;

  function showError(text) {
    error.textContent = text;
    error.hidden = false;
    if (zone) zone.classList.add("is-invalid");
    input.setAttribute("aria-invalid", "true");
  }

  function clearError() {
    error.hidden = true;
    error.textContent = "";
    if (zone) zone.classList.remove("is-invalid");
    input.removeAttribute("aria-invalid");
  }

  async function takeFile(file, dropped) {
    const problem = await checkFile(file, maxBytes);
    if (problem) {
      input.value = "";
      info.textContent = "";
      if (zone) zone.classList.remove("has-file");
      showError(problem);
      return;
    }
    if (dropped) {
      const dt = new DataTransfer();
      dt.items.add(file);
      input.files = dt.files;
    }
    clearError();
    info.textContent = `${file.name} — ${formatSize(file.size)}`;
    if (zone) zone.classList.add("has-file");
    if (titleInput && !titleInput.value.trim()) titleInput.value = file.name.replace(/\.pdf$/i, "");
  }

  function onChosen() {
    const file = input.files && input.files[0];
    if (file) takeFile(file, false);
    else {
      info.textContent = "";
      if (zone) zone.classList.remove("has-file");
    }
  }
  input.addEventListener("change", onChosen);

  if (zone) {
    let depth = 0;
    zone.addEventListener("dragenter", (e) => {
      if (!isFileDrag(e)) return;
      e.preventDefault();
      depth++;
      zone.classList.add("is-dragover");
    });
    zone.addEventListener("dragover", (e) => {
      if (!isFileDrag(e)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = "copy";
    });
    zone.addEventListener("dragleave", () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) zone.classList.remove("is-dragover");
    });
    zone.addEventListener("drop", (e) => {
      if (!isFileDrag(e)) return;
      e.preventDefault();
      depth = 0;
      zone.classList.remove("is-dragover");
      const files = e.dataTransfer.files;
      if (!files || files.length === 0) return;
      takeFile(files[0], true).then(() => {
        if (files.length > 1 && error.hidden) info.textContent += " (only one file can be uploaded at a time)";
      });
    });
  }

  function setProgress(fraction) {
    const pct = Math.max(0, Math.min(100, Math.round(fraction * 100)));
    if (progress) progress.value = pct;
    if (percent) percent.textContent = `${pct}%`;
  }

  function submitButtons() {
    return form.querySelectorAll('button[type="submit"], button:not([type]), input[type="submit"]');
  }

  function warnOnLeave(e) {
    e.preventDefault();
    e.returnValue = "";
  }

  function setBusy(busy) {
    form.setAttribute("aria-busy", busy ? "true" : "false");
    form.classList.toggle("is-uploading", busy);
    for (const b of submitButtons()) b.disabled = busy;
    for (const el of [statusBox, progress, percent, cancelBtn]) if (el) el.hidden = !busy;
    if (busy) window.addEventListener("beforeunload", warnOnLeave);
    else window.removeEventListener("beforeunload", warnOnLeave);
  }

  if (cancelBtn) {
    cancelBtn.hidden = true;
    cancelBtn.addEventListener("click", (e) => {
      e.preventDefault();
      if (xhr) xhr.abort();
    });
  }

  form.addEventListener("submit", (e) => {
    if (e.defaultPrevented) return;
    if (xhr) {
      e.preventDefault(); // already sending
      return;
    }
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") return;
    e.preventDefault();
    send(e.submitter || null);
  });

  function send(submitter) {
    let data;
    try {
      data = new FormData(form, submitter);
    } catch (_) {
      data = new FormData(form);
      if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    }
    const action = submitter && submitter.hasAttribute("formaction") ? submitter.formAction : form.getAttribute("action") || location.href;
    const request = new XMLHttpRequest();
    xhr = request;
    request.open("POST", action);
    request.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    request.setRequestHeader("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8");
    const token = csrfToken(form);
    if (token) request.setRequestHeader("X-CSRF-Token", token);

    request.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) setProgress(e.loaded / e.total);
    });
    request.upload.addEventListener("load", () => {
      setProgress(1);
      if (percent) percent.textContent = "100% — processing…";
    });
    request.addEventListener("load", () => {
      xhr = null;
      setBusy(false);
      respond(request, action);
    });
    request.addEventListener("error", () => {
      xhr = null;
      setBusy(false);
      showError("The upload failed. Check your internet connection and try again.");
    });
    request.addEventListener("abort", () => {
      xhr = null;
      setBusy(false);
      setProgress(0);
      showError("Upload cancelled.");
    });

    clearError();
    setProgress(0);
    setBusy(true);
    request.send(data);
  }

  // This module is loaded lazily: a file chosen before it ran fired its change event unheard.
  if (input.files && input.files.length > 0) onChosen();
  form.dataset.enhanced = "true";
  if (zone) zone.dataset.enhanced = "true";

  function respond(request, action) {
    const hxRedirect = request.getResponseHeader("HX-Redirect");
    if (hxRedirect) {
      window.location.assign(hxRedirect);
      return;
    }
    if (request.responseURL && withoutHash(request.responseURL) !== withoutHash(new URL(action, document.baseURI).href)) {
      window.location.assign(request.responseURL);
      return;
    }
    const type = request.getResponseHeader("Content-Type") || "";
    if (/text\/html|application\/xhtml\+xml/i.test(type) && request.responseText.trim() !== "") {
      replacePage(request.responseText);
      return;
    }
    const status = request.status;
    if (status >= 200 && status < 300) {
      window.location.reload();
      return;
    }
    if (status === 413) showError("The file is too large for the server.");
    else if (status === 403) showError("Your session has expired. Reload the page and try again.");
    else if (status === 429) showError("Too many uploads. Wait a moment and try again.");
    else showError(`The upload failed (HTTP ${status}). Please try again.`);
  }
}

function withoutHash(url) {
  const u = new URL(url);
  u.hash = "";
  return u.href;
}

// Show a server-rendered page (typically the form again with its validation
// messages) without a second request: body, title and CSRF token are swapped.
export function replacePage(html) {
  const doc = new DOMParser().parseFromString(html, "text/html");
  if (doc.title) document.title = doc.title;
  const fresh = doc.querySelector('meta[name="csrf-token"]');
  const current = document.querySelector('meta[name="csrf-token"]');
  if (fresh && current) current.setAttribute("content", fresh.getAttribute("content") || "");
  else if (fresh) document.head.append(document.importNode(fresh, true));

  const body = document.importNode(doc.body, true);
  document.body.replaceWith(body);
  window.scrollTo(0, 0);

  if (window.htmx && typeof window.htmx.process === "function") window.htmx.process(body);
  document.dispatchEvent(new CustomEvent("signet:content", { detail: { root: body } }));

  const focusTarget =
    body.querySelector('[aria-invalid="true"]') ||
    body.querySelector(".flash-error, .field-error:not([hidden]), [role=alert]") ||
    body.querySelector("h1");
  if (focusTarget) {
    if (!focusTarget.matches("input, select, textarea, button, a[href], [tabindex]")) focusTarget.setAttribute("tabindex", "-1");
    focusTarget.focus({ preventScroll: false });
  }
}
