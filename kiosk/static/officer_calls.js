/* The officer's list of calls from kiosks, re-read every few seconds. */
(function () {
  "use strict";
  var list = document.querySelector("[data-calls-url]");
  if (!list) return;
  setInterval(function () {
    fetch(list.dataset.callsUrl, {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { if (html !== null && html !== list.innerHTML) list.innerHTML = html; })
      .catch(function () { /* the next poll tries again */ });
  }, +(list.dataset.every || 3000));
})();
