/* Kyso date picker: a calendar for text inputs marked data-datepicker, writing dd/mm/yyyy (Vietnamese).
   Typing keeps working without it; the server parses and checks the date. Self-hosted, no dependencies. */
(function () {
  "use strict";
  var MONTHS = ["Tháng 1", "Tháng 2", "Tháng 3", "Tháng 4", "Tháng 5", "Tháng 6", "Tháng 7", "Tháng 8",
                "Tháng 9", "Tháng 10", "Tháng 11", "Tháng 12"];
  var DAYS = ["T2", "T3", "T4", "T5", "T6", "T7", "CN"];
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function parse(text) {
    var m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec((text || "").trim());
    if (!m) { return null; }
    var d = new Date(+m[3], +m[2] - 1, +m[1]);
    return d.getMonth() === +m[2] - 1 ? d : null;
  }
  function format(d) { return pad(d.getDate()) + "/" + pad(d.getMonth() + 1) + "/" + d.getFullYear(); }
  function close(input) {
    if (input._kysoPicker) { input._kysoPicker.remove(); input._kysoPicker = null; }
  }
  function open(input) {
    close(input);
    var shown = parse(input.value) || new Date();
    var box = document.createElement("div");
    box.className = "datepicker";
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-label", "Chọn ngày");
    function render() {
      box.innerHTML = "";
      var head = document.createElement("div");
      head.className = "datepicker-head";
      var prev = document.createElement("button");
      prev.type = "button"; prev.textContent = "‹"; prev.setAttribute("aria-label", "Tháng trước");
      var next = document.createElement("button");
      next.type = "button"; next.textContent = "›"; next.setAttribute("aria-label", "Tháng sau");
      var title = document.createElement("span");
      title.textContent = MONTHS[shown.getMonth()] + " " + shown.getFullYear();
      prev.onclick = function () { shown = new Date(shown.getFullYear(), shown.getMonth() - 1, 1); render(); };
      next.onclick = function () { shown = new Date(shown.getFullYear(), shown.getMonth() + 1, 1); render(); };
      head.appendChild(prev); head.appendChild(title); head.appendChild(next);
      box.appendChild(head);
      var grid = document.createElement("div");
      grid.className = "datepicker-grid";
      DAYS.forEach(function (d) { var s = document.createElement("span"); s.textContent = d; grid.appendChild(s); });
      var first = new Date(shown.getFullYear(), shown.getMonth(), 1);
      var offset = (first.getDay() + 6) % 7;
      for (var i = 0; i < offset; i++) { grid.appendChild(document.createElement("span")); }
      var days = new Date(shown.getFullYear(), shown.getMonth() + 1, 0).getDate();
      for (var day = 1; day <= days; day++) {
        var b = document.createElement("button");
        b.type = "button"; b.textContent = day;
        b.setAttribute("aria-label", format(new Date(shown.getFullYear(), shown.getMonth(), day)));
        b.onclick = (function (dd) {
          return function () {
            input.value = format(new Date(shown.getFullYear(), shown.getMonth(), dd));
            input.dispatchEvent(new Event("change", {bubbles: true}));
            close(input); input.focus();
          };
        })(day);
        grid.appendChild(b);
      }
      box.appendChild(grid);
    }
    render();
    input.insertAdjacentElement("afterend", box);
    input._kysoPicker = box;
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-datepicker]").forEach(function (input) {
      var btn = document.createElement("button");
      btn.type = "button"; btn.className = "datepicker-open"; btn.textContent = "📅";
      btn.setAttribute("aria-label", "Mở lịch chọn ngày");
      btn.onclick = function () { if (input._kysoPicker) { close(input); } else { open(input); } };
      input.insertAdjacentElement("afterend", btn);
      input.addEventListener("keydown", function (e) { if (e.key === "Escape") { close(input); } });
    });
  });
})();
