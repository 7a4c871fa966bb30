// The statistics filters: each long multiple select becomes a searchable one (Tom Select, vendored from npm):
// type part of a country or tactic name, pick with the arrow keys and Enter, remove with the × or Backspace.
// Without this script the plain multiple select still works (Ctrl-click).
(function () {
  "use strict";
  if (typeof TomSelect === "undefined") { return; }
  document.querySelectorAll("select[multiple][data-searchable]").forEach(function (select) {
    var label = document.querySelector("label[for='" + select.id + "']");
    var name = label ? label.textContent.replace(/:\s*$/, "") : "";
    // Tom Select points the label at its typing field; the hidden list keeps its name too.
    if (name) { select.setAttribute("aria-label", name); }
    var control = new TomSelect(select, {
      plugins: ["remove_button"],
      maxOptions: null,
      hideSelected: true,
      closeAfterSelect: true,
      // The options are all on the page: filter at each key press, with no delay to wait out.
      refreshThrottle: 0
    });
    // The typing field carries the field's name for screen readers.
    if (name) { control.control_input.setAttribute("aria-label", name); }
  });
})();
