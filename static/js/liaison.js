/*
 * Liaison: small progressive enhancements. Every page works without this file.
 *
 *   [data-dialog="<id>"]   a link to a confirmation page; with JS it opens <dialog id> instead
 *   details[data-menu]      top-bar menus: close on Escape, on outside click, one at a time
 *   [data-filter="<id>"]    a search box filtering the [data-filter-item] rows inside #id;
 *                           its wrapper [data-filter-box] is shown only with JS
 *   [data-copy="<id>"]      a button copying the value of #id (shown only with JS)
 *   [data-select-on-focus]  selects an input's text on focus
 *   [data-row-link]         list links loading the details pane: marks their row selected
 */
(function () {
  "use strict";

  function closeMenus(except) {
    document.querySelectorAll("details[data-menu][open]").forEach(function (menu) {
      if (menu !== except) menu.removeAttribute("open");
    });
  }

  document.addEventListener("click", function (event) {
    var trigger = event.target.closest("[data-dialog]");
    if (trigger) {
      var dialog = document.getElementById(trigger.getAttribute("data-dialog"));
      if (dialog && typeof dialog.showModal === "function") {
        event.preventDefault();
        dialog.showModal();
        var cancel = dialog.querySelector("[formmethod=dialog]");
        if (cancel) cancel.focus();
        return;
      }
    }
    var rowLink = event.target.closest("[data-row-link]");
    if (rowLink) {
      var row = rowLink.closest("tr");
      if (row && row.parentElement) {
        row.parentElement.querySelectorAll("tr.is-selected").forEach(function (tr) {
          tr.classList.remove("is-selected");
          tr.removeAttribute("aria-current");
        });
        row.classList.add("is-selected");
        row.setAttribute("aria-current", "true");
      }
    }
    var copy = event.target.closest("[data-copy]");
    if (copy) {
      var source = document.getElementById(copy.getAttribute("data-copy"));
      if (source && navigator.clipboard) {
        navigator.clipboard.writeText(source.value).then(function () {
          copy.textContent = copy.getAttribute("data-copied") || "✓";
        });
      }
    }
    closeMenus(event.target.closest("details[data-menu]"));
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var open = document.querySelector("details[data-menu][open]");
    if (open) {
      open.removeAttribute("open");
      var summary = open.querySelector("summary");
      if (summary) summary.focus();
    }
  });

  document.addEventListener("toggle", function (event) {
    if (event.target.matches && event.target.matches("details[data-menu]") && event.target.open) {
      closeMenus(event.target);
    }
  }, true);

  document.addEventListener("input", function (event) {
    var box = event.target.closest("[data-filter]");
    if (!box) return;
    var list = document.getElementById(box.getAttribute("data-filter"));
    if (!list) return;
    var needle = box.value.trim().toLowerCase();
    list.querySelectorAll("[data-filter-item]").forEach(function (item) {
      item.hidden = needle !== "" && item.textContent.toLowerCase().indexOf(needle) === -1;
    });
  });

  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("[data-select-on-focus]")) {
      event.target.select();
    }
  });

  function enhance(root) {
    root.querySelectorAll("[data-filter-box], [data-copy]").forEach(function (el) {
      el.hidden = false;
    });
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });

  // After htmx swaps the details pane in: enhance it and move focus to its heading.
  document.addEventListener("htmx:afterSwap", function (event) {
    enhance(event.detail.target);
    if (event.detail.target.id === "pane") {
      var heading = event.detail.target.querySelector("#pane-title");
      if (heading) heading.focus();
    }
  });
})();
