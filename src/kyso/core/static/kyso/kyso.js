/* Behaviour that pages would otherwise put in inline attributes (the Content-Security-Policy forbids them). */
(function () {
  "use strict";
  // <select data-autosubmit>: submit its form when the choice changes (the language switcher).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // <button data-print>: print the page (handover slips, envelopes).
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
