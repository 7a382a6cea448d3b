// The portal's submit page signs the submitter's forms with the USB token on his own computer, through the
// signing helper (kyso-signer) on 127.0.0.1: Kyso prepares each signature, the token signs its digest, Kyso
// checks and completes it, then the signed forms are submitted as if uploaded signed.
(function () {
  "use strict";
  var box = document.getElementById("token-sign");
  if (!box) { return; }
  var d = box.dataset;
  var status = document.getElementById("token-status");
  var choice = document.getElementById("token-cert");
  var csrf = box.querySelector("input[name=csrfmiddlewaretoken]").value;
  var certs = null;

  function say(text, bad) {
    status.textContent = text;
    status.className = bad ? "error" : "muted";
  }

  function answer(resp) {
    return resp.json().catch(function () { return {}; }).then(function (body) {
      if (!resp.ok) { throw new Error((body.error && body.error.message) || d.msgFailed); }
      return body;
    });
  }

  function certificates() {
    if (certs) { return Promise.resolve(certs); }
    return fetch(d.helper + "/certificates").then(function (resp) {
      if (!resp.ok) { throw new Error(d.msgNoHelper); }
      return resp.json();
    }, function () { throw new Error(d.msgNoHelper); }).then(function (list) {
      if (!list.length) { throw new Error(d.msgNoCert); }
      certs = list;
      choice.innerHTML = "";
      list.forEach(function (c, i) {
        var opt = document.createElement("option");
        opt.value = String(i);
        opt.textContent = c.subject || c.id;
        choice.appendChild(opt);
      });
      choice.parentNode.hidden = list.length < 2;
      return list;
    });
  }

  function signOne(file, cert) {
    say(d.msgSigning.replace("%s", file.name));
    var pf = new FormData();
    pf.append("file", file);
    pf.append("certificate", cert.certificate);
    return fetch(d.prepare, {method: "POST", body: pf, credentials: "same-origin", headers: {"X-CSRFToken": csrf}})
      .then(answer).then(function (prepared) {
        return fetch(d.helper + "/sign", {method: "POST", headers: {"Content-Type": "application/json"},
                                          body: JSON.stringify({id: cert.id, digest: prepared.digest})})
          .then(function (resp) {
            if (!resp.ok) { throw new Error(d.msgTokenRefused); }
            return resp.json();
          }, function () { throw new Error(d.msgNoHelper); })
          .then(function (sig) {
            return fetch(d.complete, {method: "POST", credentials: "same-origin",
                                      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
                                      body: JSON.stringify({id: prepared.id, signature: sig.signature})});
          }).then(answer);
      });
  }

  function submit(signed) {
    var form = new FormData();
    form.append("csrfmiddlewaretoken", csrf);
    form.append("procedure", document.getElementById("procedure-token").value);
    signed.forEach(function (s) {
      var bytes = Uint8Array.from(atob(s.content), function (ch) { return ch.charCodeAt(0); });
      form.append("files", new Blob([bytes], {type: "application/xml"}), s.name);
    });
    say(d.msgSubmitting);
    return fetch(d.submit, {method: "POST", body: form, credentials: "same-origin"}).then(function (resp) {
      if (resp.redirected) { window.location.assign(resp.url); return; }
      return resp.text().then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var errors = Array.prototype.map.call(page.querySelectorAll(".msg-error"), function (e) { return e.textContent.trim(); });
        throw new Error(errors.join(" ") || d.msgFailed);
      });
    });
  }

  box.querySelector("button").addEventListener("click", function (ev) {
    ev.preventDefault();
    var files = Array.prototype.slice.call(document.getElementById("unsigned").files);
    if (!files.length) { say(d.msgNoFile, true); return; }
    var button = ev.currentTarget;
    button.disabled = true;
    certificates().then(function (list) {
      var cert = list[Number(choice.value || 0)];
      var signed = [];
      return files.reduce(function (chain, file) {
        return chain.then(function () { return signOne(file, cert).then(function (s) { signed.push(s); }); });
      }, Promise.resolve()).then(function () { return submit(signed); });
    }).catch(function (err) {
      say(err.message, true);
    }).then(function () { button.disabled = false; });
  });
})();
