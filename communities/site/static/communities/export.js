// The admin's export page: "Select all" ticks or clears every field's checkbox. (Served as a
// file: the Content Security Policy blocks django-import-export's inline onchange handler.)
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const toggle of document.querySelectorAll("input.select-toggle")) {
    toggle.addEventListener("change", () => {
      const boxes = document.querySelectorAll(
        '.selectable-field-export-row input[type="checkbox"]'
      );
      for (const box of boxes) {
        box.checked = toggle.checked;
      }
    });
  }
});
