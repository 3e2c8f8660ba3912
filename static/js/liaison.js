/*
 * Liaison: small progressive enhancements. Every page works without this file.
 *
 *   [data-dialog="<id>"]   a link to a confirmation page; with JS it becomes a <button> (Space
 *                          and Enter work) that opens <dialog id>; closing the dialog
 *                          returns focus to it
 *   .table-scroll           a keyboard-scrollable table wrapper: named after its table's caption
 *   [data-announce="<id>"]  after htmx swaps this element's content, the text of #<id> inside
 *                          it is copied to the persistent live region [data-live]
 *   form errors             after a server-side form error, focus moves to the first
 *                          invalid field (or the error banner)
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
        dialog.liaisonOpener = trigger;
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
      return;
    }
    if (document.querySelector("dialog[open]")) return;
    // The details pane as an overlay (below 1440 px): Escape closes it, back to the row.
    var pane = document.getElementById("pane");
    if (pane && getComputedStyle(pane).position === "fixed" && pane.getClientRects().length) {
      pane.classList.add("is-dismissed");
      var selected = document.querySelector("tr.is-selected a, tr[aria-current] a");
      if (selected) selected.focus();
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

  // A dialog opener is a link (the no-JS confirmation page); with JS it opens a dialog,
  // which is a button's job: make it one, so Space works and it is announced as a button.
  function linkToButton(link) {
    if (typeof HTMLDialogElement === "undefined") return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = link.className;
    button.setAttribute("data-dialog", link.getAttribute("data-dialog"));
    button.setAttribute("aria-haspopup", "dialog");
    button.innerHTML = link.innerHTML;
    link.replaceWith(button);
  }

  // Every .table-scroll wrapper can be scrolled by keyboard: focusable, a named region.
  function nameScrollRegion(region) {
    if (!region.hasAttribute("tabindex")) region.setAttribute("tabindex", "0");
    if (!region.hasAttribute("role")) region.setAttribute("role", "region");
    var caption = region.querySelector("caption");
    if (caption && caption.textContent.trim()) {
      region.setAttribute("aria-label", caption.textContent.trim());
    } else if (!region.hasAttribute("aria-label")) {
      region.setAttribute("aria-label", document.documentElement.lang === "de"
        ? "Tabelle, seitlich scrollbar" : "Table, scrolls sideways");
    }
  }

  function enhance(root) {
    root.querySelectorAll("[data-filter-box], [data-copy]").forEach(function (el) {
      el.hidden = false;
    });
    root.querySelectorAll("a[data-dialog]").forEach(linkToButton);
    root.querySelectorAll(".table-scroll").forEach(nameScrollRegion);
  }

  // After a page comes back with form errors, start where the problem is.
  function focusFirstError() {
    if (window.location.hash) return;
    var invalid = document.querySelector(
      "main [aria-invalid='true'], main .has-errors input, main .has-errors select, main .has-errors textarea"
    );
    if (invalid && !invalid.disabled) {
      invalid.focus();
      return;
    }
    var banner = document.querySelector("main .banner-error");
    if (banner) {
      banner.setAttribute("tabindex", "-1");
      banner.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhance(document);
    focusFirstError();
  });

  // Closing a dialog puts focus back on the button that opened it.
  document.addEventListener("close", function (event) {
    var dialog = event.target;
    if (dialog.liaisonOpener && dialog.liaisonOpener.isConnected) dialog.liaisonOpener.focus();
  }, true);

  // After htmx swaps the details pane in: enhance it and move focus to its heading.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    enhance(target);
    if (target.id === "pane") {
      target.classList.remove("is-dismissed");
      var heading = target.querySelector("#pane-title");
      if (heading) heading.focus();
    }
    // Announce the new result count through a live region that was not replaced.
    var announce = target.getAttribute("data-announce");
    var live = document.querySelector("[data-live]");
    if (announce && live) {
      var source = document.getElementById(announce);
      live.textContent = source ? source.textContent.trim() : "";
    }
    // The swap removed the control that had focus (a pagination link): keep the keyboard
    // user in the results instead of dropping focus to the page body.
    var trigger = event.detail.requestConfig && event.detail.requestConfig.elt;
    var lost = document.activeElement === document.body || !document.activeElement;
    if (trigger && !trigger.isConnected && lost) {
      var landing = target.querySelector("[data-focus-after-swap]") || target;
      if (!landing.hasAttribute("tabindex")) landing.setAttribute("tabindex", "-1");
      landing.focus();
    }
  });
})();
