/*
 * GDAP pages: small enhancements of the relationship form. The form works without them
 * (the server refuses auto-extend with Global Administrator and explains why).
 *
 *   [data-quick-durations]       quick duration buttons, shown with JS only
 *   [data-duration-days="<n>"]   sets the [data-duration] input to n days
 *   [data-blocks-auto-extend]    a role (Global Administrator) that switches the
 *                                [data-auto-extend] checkbox off while checked; the
 *                                [data-auto-extend-note] says why
 */
(function () {
  "use strict";

  function syncAutoExtend(form) {
    var box = form.querySelector("[data-auto-extend]");
    if (!box) return;
    var blocked = form.querySelector("[data-blocks-auto-extend]:checked") !== null;
    if (blocked) box.checked = false;
    box.disabled = blocked;
    var note = form.querySelector("[data-auto-extend-note]");
    if (note) note.hidden = !blocked;
  }

  document.addEventListener("click", function (event) {
    var quick = event.target.closest("[data-duration-days]");
    if (!quick) return;
    var form = quick.closest("form");
    var input = form && form.querySelector("[data-duration]");
    if (input) {
      input.value = quick.getAttribute("data-duration-days");
      input.focus();
    }
  });

  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("input[type=checkbox]")) {
      var form = event.target.closest("form");
      if (form) syncAutoExtend(form);
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-quick-durations]").forEach(function (el) {
      el.hidden = false;
    });
    document.querySelectorAll("form").forEach(syncAutoExtend);
  });
})();
