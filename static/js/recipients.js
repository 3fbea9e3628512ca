// Signet — signer rows of the new-document form.
//
//   <div data-recipients> <fieldset data-recipient-row>…</fieldset> … </div>
//   <template data-recipient-template> one row whose names and ids contain "__i__" </template>
//   <button type="button" data-add-recipient hidden>Add another signer</button>
//
// Without JavaScript the form offers the rows the server rendered. With it, "Add another signer"
// appends a row (numbered after the last one) and each added row gets a "Remove" button.

const MAX_ROWS = 50;

function nextIndex(list) {
  let max = -1;
  for (const input of list.querySelectorAll("[name^='recipients[']")) {
    const m = /^recipients\[(\d+)\]/.exec(input.name);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return max + 1;
}

function addRow(form, list, template) {
  const i = nextIndex(list);
  if (i >= MAX_ROWS) return;
  const row = template.content.firstElementChild.cloneNode(true);
  for (const el of row.querySelectorAll("[name], [id], label[for]")) {
    for (const attr of ["name", "id", "for"]) {
      const v = el.getAttribute(attr);
      if (v) el.setAttribute(attr, v.replaceAll("__i__", String(i)));
    }
  }
  const remove = document.createElement("button");
  remove.type = "button";
  remove.className = "btn btn-link";
  remove.textContent = "Remove this signer";
  remove.addEventListener("click", () => row.remove());
  row.appendChild(remove);
  list.appendChild(row);
  const first = row.querySelector("input");
  if (first) first.focus();
}

export function init(root = document) {
  for (const list of root.querySelectorAll("[data-recipients]")) {
    if (list.dataset.enhanced) continue;
    list.dataset.enhanced = "1";
    const form = list.closest("form");
    const template = form && form.querySelector("template[data-recipient-template]");
    const button = form && form.querySelector("[data-add-recipient]");
    if (!template || !button) continue;
    button.hidden = false;
    button.addEventListener("click", () => addRow(form, list, template));
  }
}
