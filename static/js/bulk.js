/*
 * Lists with a bulk action: [data-select-all="<name>"] ticks or unticks every enabled
 * checkbox named <name> on the page; its wrapper [data-select-all-box] is shown only
 * with JS (without it, people tick the rows one by one).
 */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var all = event.target.closest("[data-select-all]");
    if (!all) return;
    var name = all.getAttribute("data-select-all");
    document.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (box) {
      if (!box.disabled) box.checked = all.checked;
    });
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-select-all-box]").forEach(function (el) { el.hidden = false; });
  });
})();
