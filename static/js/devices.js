/*
 * Device registry: the CSV upload with a progress bar. Without this file the upload is a
 * plain form post and the page comes back with the results.
 *
 *   form[data-device-upload]   posted with XMLHttpRequest; the server answers the results
 *                              fragment (X-Requested-With: XMLHttpRequest)
 *   [data-upload-progress]     shown while sending; its <progress> follows the upload
 *   [data-upload-status]       a short status line (read out by screen readers)
 *   [data-upload-results]      the next sibling of the form; receives the fragment
 */
(function () {
  "use strict";

  function resultsFor(form) {
    var next = form.nextElementSibling;
    return next && next.hasAttribute("data-upload-results") ? next : null;
  }

  function setBusy(form, busy) {
    var buttons = form.querySelectorAll("button[type=submit]");
    for (var i = 0; i < buttons.length; i++) buttons[i].disabled = busy;
    form.setAttribute("aria-busy", busy ? "true" : "false");
  }

  function upload(form) {
    var box = form.querySelector("[data-upload-progress]");
    var bar = box && box.querySelector("progress");
    var status = box && box.querySelector("[data-upload-status]");
    var results = resultsFor(form);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    if (box) box.hidden = false;
    if (bar) { bar.value = 0; bar.max = 100; }
    if (status) status.textContent = "";
    setBusy(form, true);

    xhr.upload.addEventListener("progress", function (event) {
      if (!bar) return;
      if (event.lengthComputable) {
        bar.value = Math.round((event.loaded / event.total) * 100);
        if (status) status.textContent = bar.value + " %";
      } else {
        bar.removeAttribute("value"); // indeterminate
      }
    });
    xhr.upload.addEventListener("load", function () {
      // Sent; the server now checks each row.
      if (bar) bar.removeAttribute("value");
      if (status) status.textContent = form.getAttribute("data-checking") || "…";
    });
    xhr.addEventListener("load", function () {
      setBusy(form, false);
      if (box) box.hidden = true;
      if (xhr.status === 200 || xhr.status === 400) {
        if (results) {
          results.innerHTML = xhr.responseText;
          results.focus();
        }
        if (xhr.status === 200) form.reset();
      } else {
        form.submit(); // let the server answer with a full page (sign-in, 403, 500)
      }
    });
    xhr.addEventListener("error", function () {
      setBusy(form, false);
      if (box) box.hidden = true;
      form.submit();
    });
    xhr.send(new FormData(form));
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-device-upload]")) return;
    if (!window.FormData || !window.XMLHttpRequest) return;
    event.preventDefault();
    upload(form);
  });
})();
