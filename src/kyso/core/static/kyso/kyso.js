/* Behaviour that pages would otherwise put in inline attributes (the Content-Security-Policy forbids them). */
(function () {
  "use strict";
  // <select data-autosubmit>: submit its form when the choice changes (the language switcher).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // <p data-refresh="10">: reload the page every 10 seconds (a phone waiting for a signing request) — never while
  // the person types, and not after he presses the [data-refresh-stop] button in it (no <meta refresh>: WCAG 2.2.1).
  document.querySelectorAll("[data-refresh]").forEach(function (box) {
    var seconds = parseInt(box.getAttribute("data-refresh"), 10) || 10, timer = null;
    function arm() {
      timer = setTimeout(function () {
        var active = document.activeElement;
        if (active && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName)) { arm(); return; }
        window.location.reload();
      }, seconds * 1000);
    }
    arm();
    var stop = box.querySelector("[data-refresh-stop]");
    if (stop) { stop.addEventListener("click", function () { clearTimeout(timer); stop.disabled = true; }); }
  });
  // <button data-print>: print the page (handover slips, envelopes).
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
