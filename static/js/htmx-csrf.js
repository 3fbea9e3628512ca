// Adds the CSRF token to every same-origin htmx request as X-CSRF-Token.
//
// The token comes from <meta name="csrf-token" content="…"> in <head>, read at
// request time (it may change after a session renewal), or else from the
// _csrf hidden input of the form that triggers the request.
//
// Works as a classic script (<script src defer>) and as an ES module (app.js
// imports it); listening twice is harmless, the header is simply set again.

document.addEventListener("htmx:configRequest", function (evt) {
  var detail = evt.detail;
  if (!detail || !detail.headers) return;

  try {
    var target = new URL(detail.path || "", window.location.href);
    if (target.origin !== window.location.origin) return; // never leak the token
  } catch (_) {
    return;
  }

  var token = "";
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) token = meta.getAttribute("content") || "";
  if (!token && detail.elt && detail.elt.closest) {
    var form = detail.elt.closest("form");
    var input = form && form.querySelector('input[name="_csrf"]');
    if (input) token = input.value;
  }
  if (token) detail.headers["X-CSRF-Token"] = token;
});
