// The tablet page waiting for the leader's phone: poll the document's state, reload when it changes.
(function () {
  var el = document.getElementById("doc-state");
  if (!el) return;
  var url = el.getAttribute("data-status-url"), state = el.getAttribute("data-state"), tries = 0;
  function poll() {
    if (++tries > 200) return;
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (j) { if (j.state && j.state !== state) { window.location.reload(); } else { setTimeout(poll, 3000); } })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 3000);
})();
