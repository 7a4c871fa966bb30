// Record pickers: a result button fills the hidden id of its picker and shows the chosen name.
// Served as a static file because the Content-Security-Policy forbids inline scripts.
(function () {
  "use strict";

  function pickerOf(hiddenInput) {
    return hiddenInput ? hiddenInput.closest("[data-picker]") : null;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-pick-id]");
    if (!button) { return; }
    var hidden = document.getElementById(button.dataset.pickTarget);
    if (!hidden) { return; }
    hidden.value = button.dataset.pickId;
    var picker = pickerOf(hidden);
    if (picker) {
      var query = picker.querySelector("[data-picker-query]");
      if (query) { query.value = button.dataset.pickLabel; }
      picker.classList.add("chosen");
    }
    var results = button.closest(".picker-results");
    if (results) { results.innerHTML = ""; }
    // A person chosen for a target row replaces the "new person" fields of that row.
    var row = hidden.closest("[data-row]");
    if (row) {
      row.querySelectorAll("input[name$='new_name'], input[name$='new_alias']").forEach(function (input) {
        input.value = "";
      });
    }
  });

  // Typing over a chosen record's name un-chooses it, so what is shown is always what is sent.
  document.addEventListener("input", function (event) {
    var query = event.target.closest("[data-picker-query]");
    if (!query) { return; }
    var picker = query.closest("[data-picker]");
    var hidden = picker.querySelector("[data-picker-value]");
    if (hidden && hidden.value) {
      hidden.value = "";
      picker.classList.remove("chosen");
    }
  });

  // On a narrow screen the menu folds behind one button; without this script it simply stays open.
  var toggle = document.querySelector(".menu-toggle");
  var header = toggle ? toggle.closest("header") : null;
  if (toggle && header) {
    toggle.hidden = false;
    header.classList.add("menu-ready");
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      header.classList.toggle("menu-open", open);
    });
  }

  // A table wider than the screen scrolls sideways inside itself: it takes the keyboard focus then, so that it
  // can be scrolled without a mouse.
  function markScrollingTables() {
    document.querySelectorAll("table.records, table.diff, table.data, .dossier table").forEach(function (table) {
      if (table.scrollWidth > table.clientWidth + 1) {
        table.setAttribute("tabindex", "0");
      } else if (table.getAttribute("tabindex") === "0") {
        table.removeAttribute("tabindex");
      }
    });
  }
  markScrollingTables();
  window.addEventListener("resize", markScrollingTables);
})();
