// Keeps what was pasted in the form while the page changes language (the language links
// load the page again): the text stays in this tab's session storage until the form is sent
// or the tab is closed. The form works without it.
(function () {
  "use strict";
  var text = document.getElementById("text");
  var form = text && text.form;
  if (!form || !window.sessionStorage) { return; }
  var key = "auditor-pasted-text";
  if (!text.value) { text.value = window.sessionStorage.getItem(key) || ""; }
  text.addEventListener("input", function () { window.sessionStorage.setItem(key, text.value); });
  form.addEventListener("submit", function () { window.sessionStorage.removeItem(key); });
}());
