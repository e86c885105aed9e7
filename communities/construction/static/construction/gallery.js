/* Before/after photos compared with a slider (templates/communities/construction/gallery.html).
 *
 * Without this script both photos show side by side. With it, the photo after is laid under
 * the photo before, and a range input (keyboard: arrows, Page Up/Down, Home/End) clips the
 * photo before from the right: at 0 only the photo after shows, at 100 only the photo before.
 * No inline script, no library: the site's CSP allows scripts from this site only. */
(function () {
  "use strict";

  function enhance(figure) {
    // The photo itself is clipped, not its figure: the "Before" label stays whole.
    var before = figure.querySelector(".compare__side--before img");
    var control = figure.querySelector(".compare__control");
    var range = figure.querySelector(".compare__range");
    if (!before || !control || !range) {
      return;
    }
    var template = range.getAttribute("data-valuetext") || "";

    function show() {
      var value = Math.max(0, Math.min(100, Number(range.value) || 0));
      before.style.clipPath = "inset(0 " + (100 - value) + "% 0 0)";
      figure.style.setProperty("--compare-position", value + "%");
      if (template) {
        range.setAttribute(
          "aria-valuetext",
          template.replace("{before}", value + "%").replace("{after}", 100 - value + "%")
        );
      }
    }

    figure.classList.add("is-enhanced");
    control.hidden = false;
    range.addEventListener("input", show);
    range.addEventListener("change", show);
    show();
  }

  function start() {
    var figures = document.querySelectorAll("[data-compare]");
    for (var i = 0; i < figures.length; i += 1) {
      enhance(figures[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
