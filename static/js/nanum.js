/* Nanum: progressive enhancement only. Every page works without this file. */
(function () {
  "use strict";

  // The user menu is a <details>: close it on a click elsewhere or on Escape.
  function openMenus() {
    return Array.prototype.slice.call(document.querySelectorAll("details.user-menu[open]"));
  }
  document.addEventListener("click", function (event) {
    openMenus().forEach(function (menu) {
      if (!menu.contains(event.target)) { menu.removeAttribute("open"); }
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    openMenus().forEach(function (menu) {
      menu.removeAttribute("open");
      menu.querySelector("summary").focus();
    });
  });

  // The browse filters start folded so that phones see the results first; open them on wide screens.
  var panel = document.querySelector("details[data-open-wide]");
  if (panel && window.matchMedia && window.matchMedia("(min-width: 992px)").matches) {
    panel.setAttribute("open", "");
  }

  // A form with errors: move focus to its summary so that it is read out first.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
