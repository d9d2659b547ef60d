/* The display: a long poll for calls after the last one seen; each new call is shown and
   spoken in turn. A broken connection is retried with a growing pause, and the display says
   it is reconnecting until an answer comes. */
(function () {
  "use strict";
  var board = document.getElementById("board");
  if (!board) return;
  var url = board.dataset.callsUrl;
  var last = board.dataset.lastEvent || "0";
  var counterWord = document.getElementById("counter-word").innerHTML;
  var linkState = document.getElementById("link-state");
  var soundOn = document.getElementById("sound-on");
  var spoken = [];
  var speaking = false;
  var pause = 1000;

  function counterText(n) { return counterWord.replace("__N__", n); }

  function show(data) {
    document.getElementById("waiting").textContent = data.waiting;
    if (data.running_text) document.getElementById("running-text").textContent = data.running_text;
    var recent = data.recent || [];
    if (recent.length) {
      document.getElementById("now-number").textContent = recent[0].label;
      document.getElementById("now-counter").textContent = counterText(recent[0].counter);
    }
    var list = document.getElementById("recent");
    list.textContent = "";
    recent.slice(1).forEach(function (call) {
      var item = document.createElement("li");
      var num = document.createElement("span"); num.className = "num"; num.textContent = call.label;
      var ctr = document.createElement("span"); ctr.className = "ctr"; ctr.textContent = counterText(call.counter);
      item.appendChild(num); item.appendChild(document.createTextNode(" ")); item.appendChild(ctr);
      list.appendChild(item);
    });
  }

  function speakNext() {
    if (speaking || !spoken.length) return;
    var call = spoken.shift();
    speaking = true;
    var now = document.querySelector(".layar-now");
    now.classList.remove("fresh"); void now.offsetWidth; now.classList.add("fresh");
    var audio = new Audio(call.audio);
    window.layarLastAudio = audio;  // for the browser test: the sound loaded and played
    audio.addEventListener("ended", done);
    audio.addEventListener("error", done);
    var played = audio.play();
    if (played && played.catch) played.catch(function () { soundOn.hidden = false; done(); });
    function done() { speaking = false; setTimeout(speakNext, 400); }
  }

  soundOn.addEventListener("click", function () {
    soundOn.hidden = true;
    new Audio().play().catch(function () {});
  });

  function poll() {
    fetch(url + "?after=" + last + "&wait=" + (board.dataset.wait || 20), {cache: "no-store"})
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        linkState.hidden = true;
        pause = 1000;
        (data.new_calls || []).forEach(function (call) { spoken.push(call); });
        last = String(data.last_event);
        board.dataset.lastEvent = last;
        show(data);
        speakNext();
        setTimeout(poll, data.long_poll ? 0 : 500);
      })
      .catch(function () {
        linkState.hidden = false;
        setTimeout(poll, pause);
        pause = Math.min(pause * 2, 8000);
      });
  }
  poll();
})();
