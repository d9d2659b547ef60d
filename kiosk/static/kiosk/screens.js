/* e-Kios screens: asking before a wipe or an unsaved finish, calling the officer, the receipt's
   print state, and forgetting one citizen's large text before the next. No framework. */
(function () {
  "use strict";
  var doc = document, body = doc.body;

  /* The next citizen starts with normal text: after the idle wipe, "Selesai" and "Batal". */
  function forgetCitizen() {
    sessionStorage.removeItem("kiosk-large");
    sessionStorage.removeItem("kiosk-photographed");
  }
  if (body.dataset.fresh) forgetCitizen();

  /* Asking first: forms with data-confirm open the dialog, and go only on "yes". */
  var overlay = doc.getElementById("confirm"), pending = null, opener = null;
  function closeConfirm() {
    overlay.hidden = true;
    pending = null;
    if (opener) opener.focus();
  }
  function send(form) {
    if (form.hasAttribute("data-forget")) forgetCitizen();
    form.submit();
  }
  Array.prototype.forEach.call(doc.querySelectorAll("form[data-confirm], form[data-forget]"), function (form) {
    form.addEventListener("submit", function (event) {
      if (!form.dataset.confirm || !overlay) { if (form.hasAttribute("data-forget")) forgetCitizen(); return; }
      event.preventDefault();
      pending = form;
      opener = doc.activeElement;
      doc.getElementById("confirm-text").textContent = form.dataset.confirm;
      doc.getElementById("confirm-yes").textContent = form.dataset.confirmYes;
      doc.getElementById("confirm-no").textContent = form.dataset.confirmNo;
      overlay.hidden = false;
      doc.getElementById("confirm-no").focus();
    });
  });
  if (overlay) {
    doc.getElementById("confirm-no").addEventListener("click", closeConfirm);
    doc.getElementById("confirm-yes").addEventListener("click", function () {
      var form = pending;
      overlay.hidden = true;
      if (form) send(form);
    });
    overlay.addEventListener("keydown", function (event) { if (event.key === "Escape") closeConfirm(); });
  }

  /* "Sudah saya foto": the citizen kept the code, so "Selesai" need not ask. */
  var photo = doc.getElementById("photographed");
  function photographed() {
    photo.setAttribute("aria-pressed", "true");
    sessionStorage.setItem("kiosk-photographed", photo.dataset.code);
    var finish = doc.getElementById("finish-form");
    if (finish) delete finish.dataset.confirm;
  }
  if (photo) {
    photo.addEventListener("click", photographed);
    if (sessionStorage.getItem("kiosk-photographed") === photo.dataset.code) photographed();
  }

  /* Calling the officer: the page stays as it is (nothing typed is lost); the answer is polled. */
  var callForm = doc.getElementById("call-form"), callStatus = doc.getElementById("call-status");
  var polling = null;
  function showCall(answer) {
    callStatus.dataset.state = answer.state;
    callStatus.textContent = answer.text;
    callStatus.hidden = !answer.text;
    if (answer.state === "waiting" && !polling) polling = setInterval(pollCall, 3000);
    if (answer.state !== "waiting" && polling) { clearInterval(polling); polling = null; }
  }
  function pollCall() {
    fetch(callForm.dataset.stateUrl, {headers: {Accept: "application/json"}, credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (answer) { if (answer) showCall(answer); })
      .catch(function () { /* the next poll tries again */ });
  }
  if (callForm && callStatus) {
    callForm.addEventListener("submit", function (event) {
      event.preventDefault();
      fetch(callForm.action, {method: "POST", body: new FormData(callForm), credentials: "same-origin",
                              headers: {Accept: "application/json"}})
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (answer) { if (answer) showCall(answer); else callForm.submit(); })
        .catch(function () { callForm.submit(); });
    });
    if (callStatus.dataset.state === "waiting") polling = setInterval(pollCall, 3000);
  }

  /* The receipt screen follows its print job: printing, printed, or the printer came back. */
  var receipt = doc.querySelector("[data-print-state]");
  if (receipt) setInterval(function () {
    fetch(receipt.dataset.printUrl, {headers: {Accept: "application/json"}, credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (answer) {
        if (answer && answer.state !== receipt.dataset.printState && answer.state !== "none") location.reload();
      })
      .catch(function () { /* the next poll tries again */ });
  }, 3000);
})();
