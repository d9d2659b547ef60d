/* e-Kios: idle wipe, on-screen keyboard and number pad, show-if, large text. No framework. */
(function () {
  "use strict";
  var doc = document, body = doc.body, root = doc.documentElement;

  /* Large-text mode: this citizen's choice, forgotten by the wipe. */
  var largeButton = doc.getElementById("large-text");
  function applyLarge(on) {
    root.classList.toggle("large", on);
    if (largeButton) largeButton.setAttribute("aria-pressed", on ? "true" : "false");
  }
  applyLarge(sessionStorage.getItem("kiosk-large") === "1");
  if (largeButton) largeButton.addEventListener("click", function () {
    var on = !root.classList.contains("large");
    sessionStorage.setItem("kiosk-large", on ? "1" : "0");
    applyLarge(on);
  });

  /* A page restored from the back-forward cache would show an earlier citizen: reload it. */
  window.addEventListener("pageshow", function (event) { if (event.persisted) location.reload(); });

  /* Idle timer: a prompt after IDLE_WARNING seconds, the wipe at IDLE_TIMEOUT seconds. */
  var timeout = +body.dataset.idleTimeout * 1000, warning = +body.dataset.idleWarning * 1000;
  var overlay = doc.getElementById("idle"), counter = doc.getElementById("idle-count");
  var last = Date.now(), wiping = false;
  function wipe() {
    if (wiping) return;
    wiping = true;
    sessionStorage.clear();
    var form = doc.createElement("form");
    form.method = "post";
    form.action = body.dataset.wipeUrl;
    var token = doc.createElement("input");
    token.type = "hidden"; token.name = "csrf_token"; token.value = body.dataset.csrf;
    form.appendChild(token);
    body.appendChild(form);
    form.submit();
  }
  function activity() {
    last = Date.now();
    if (overlay && !overlay.hidden) overlay.hidden = true;
  }
  // The attract screen wipes too when a citizen left large text on.
  if ((body.dataset.idle === "on" || root.classList.contains("large")) && timeout > 0) {
    ["pointerdown", "keydown", "touchstart", "input", "scroll"].forEach(function (name) {
      doc.addEventListener(name, activity, {capture: true, passive: true});
    });
    setInterval(function () {
      var idle = Date.now() - last;
      if (idle >= timeout) { wipe(); return; }
      if (idle >= warning && overlay) {
        counter.textContent = Math.ceil((timeout - idle) / 1000);
        if (overlay.hidden) { overlay.hidden = false; doc.getElementById("idle-stay").focus(); }
      }
    }, 250);
    doc.getElementById("idle-stay").addEventListener("click", activity);
  }

  /* Forms that must go once (submit, print): a double tap sends nothing more. */
  Array.prototype.forEach.call(doc.querySelectorAll("form[data-once]"), function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent) { event.preventDefault(); return; }
      form.dataset.sent = "1";
      setTimeout(function () {
        Array.prototype.forEach.call(form.querySelectorAll("button"), function (b) { b.disabled = true; });
      }, 0);
    });
  });

  /* Switching language keeps what was typed: the answers ride along in this tab's storage
     (which the wipe clears) for the one page load that follows, never to the server. */
  var CARRY = "kiosk-carry";
  function typedAnswers(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrf_token" && el.type !== "password" && el.type !== "hidden"
        && (el.type !== "radio" || el.checked);
    }).map(function (el) { return [el.name, el.value]; });
  }
  doc.addEventListener("click", function (event) {
    var link = event.target.closest("a[hreflang]");
    var form = doc.querySelector("main form.form");
    if (!link || !form) return;
    sessionStorage.setItem(CARRY, JSON.stringify({path: location.pathname, at: Date.now(),
                                                  answers: typedAnswers(form)}));
  }, true);
  (function restoreCarried() {
    var carried = JSON.parse(sessionStorage.getItem(CARRY) || "null");
    sessionStorage.removeItem(CARRY);
    var form = doc.querySelector("main form.form");
    if (!carried || !form || carried.path !== location.pathname || Date.now() - carried.at > 60000) return;
    carried.answers.forEach(function (pair) {
      Array.prototype.forEach.call(form.querySelectorAll("[name='" + pair[0] + "']"), function (el) {
        if (el.type === "radio") el.checked = el.value === pair[1];
        else el.value = pair[1];
      });
    });
  })();

  /* Show-if: fields whose condition rests on an answer on the same page. The answer is cleaned
     as services/validation.py cleans it (the condition carries the answer's "kind"), then the
     condition is decided as services/conditions.py decides it; tests prove they agree. */
  var YES_WORDS = ["ya", "yes", "true", "1", "y"], NO_WORDS = ["tidak", "no", "false", "0", "n"];
  function asBool(v) {
    if (typeof v === "boolean") return v;
    v = String(v).trim().toLowerCase();
    if (YES_WORDS.indexOf(v) >= 0) return true;
    if (NO_WORDS.indexOf(v) >= 0) return false;
    return null;
  }
  // Numbers as services/numbers.py reads them: "12.500" is 12500, "12,5" is 12.5, "Rp 1.000"
  // is 1000; anything else (a lone "12.5" among them) is no number (NaN).
  function number(answer) {
    var text = String(answer);
    if (!/^[\x00-\x7f]*$/.test(text)) return NaN;
    text = text.replace(/[\s\x1c-\x1f]+/g, "");
    if (text.indexOf("Rp") === 0) text = text.slice(2);
    if (text.indexOf("rp") === 0) text = text.slice(2);
    var negative = text.charAt(0) === "-";
    if (negative) text = text.slice(1);
    var parts = /^(\d+|[1-9]\d{0,2}(?:\.\d{3})+)(?:,(\d+))?$/.exec(text);
    if (!parts) return NaN;
    var n = parseFloat(parts[1].replace(/\./g, "") + (parts[2] ? "." + parts[2] : ""));
    if (!isFinite(n)) return NaN;
    return negative ? -n : n;
  }
  function asNumber(v) {
    if (typeof v === "number") return v;
    if (typeof v === "boolean" || v === null) return NaN;
    return number(v);
  }
  // What clean_answer keeps of an answer of this kind; null for none.
  function clean(kind, raw) {
    if (raw === null || raw === undefined || !String(raw).trim()) return null;
    if (kind === "number" || kind === "whole") {
      var n = number(raw);
      return isNaN(n) || (kind === "whole" && n !== Math.floor(n)) ? null : n;
    }
    if (kind === "yes_no") return asBool(raw);
    return String(raw).trim();
  }
  function same(answer, expected) {
    if (typeof expected === "boolean" || typeof answer === "boolean") return asBool(answer) === asBool(expected);
    if (typeof expected === "number") return asNumber(answer) === expected;
    return String(answer) === String(expected);
  }
  function holds(cond, answer) {
    var op = cond.op || "eq", want = cond.value;
    if (answer === null || answer === "") return op === "ne" || op === "not_in";
    if (op === "eq") return same(answer, want);
    if (op === "ne") return !same(answer, want);
    if (op === "in") return want.some(function (w) { return same(answer, w); });
    if (op === "not_in") return !want.some(function (w) { return same(answer, w); });
    var n = asNumber(answer);
    if (isNaN(n)) return false;
    return {gt: n > want, gte: n >= want, lt: n < want, lte: n <= want}[op] || false;
  }
  window.kioskShowIf = {clean: clean, holds: holds};
  function answerOf(form, name) {
    var inputs = form.querySelectorAll("[name='" + name + "']");
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      if (input.type === "radio") { if (input.checked) return input.value; }
      else return input.value;
    }
    return null;
  }
  Array.prototype.forEach.call(doc.querySelectorAll("form"), function (form) {
    var dependants = form.querySelectorAll("[data-show-if]");
    if (!dependants.length) return;
    function update() {
      Array.prototype.forEach.call(dependants, function (field) {
        var cond = JSON.parse(field.dataset.showIf);
        field.hidden = !holds(cond, clean(cond.kind, answerOf(form, cond.field)));
      });
    }
    form.addEventListener("change", update);
    form.addEventListener("input", update);
    update();
  });

  /* Spoken guidance: the audio is asked of the server only when "Dengarkan" is tapped. */
  var listen = doc.getElementById("listen");
  if (listen) {
    var audio = doc.getElementById("listen-audio"), notice = doc.getElementById("listen-notice");
    var unavailable = function () { notice.textContent = listen.dataset.unavailable; notice.hidden = false; };
    audio.addEventListener("error", unavailable);
    listen.addEventListener("click", function () {
      notice.hidden = true;
      if (audio.getAttribute("src") !== listen.dataset.src) audio.src = listen.dataset.src;
      else audio.currentTime = 0;
      var playing = audio.play();
      if (playing && playing.catch) playing.catch(function () { /* the error event says why */ });
    });
  }

  /* On-screen keyboard: the kiosk PC may have no keyboard at all. */
  var osk = doc.getElementById("osk"), target = null;
  if (!osk) return;
  var DIGITS = ["1", "2", "3", "4", "5", "6", "7", "8", "9"];
  var LAYOUTS = {
    digits: [DIGITS.slice(0, 3), DIGITS.slice(3, 6), DIGITS.slice(6, 9), ["", "0", "BACK"], ["DONE", "NEXT"]],
    phone: [DIGITS.slice(0, 3), DIGITS.slice(3, 6), DIGITS.slice(6, 9), ["+", "0", "BACK"], ["DONE", "NEXT"]],
    decimal: [DIGITS.slice(0, 3), DIGITS.slice(3, 6), DIGITS.slice(6, 9), [",", "0", "BACK"], ["DONE", "NEXT"]],
    text: ["1234567890".split(""), "QWERTYUIOP".split(""), "ASDFGHJKL-".split(""),
           "ZXCVBNM,./".split(""), ["SHIFT", "SPACE", "BACK", "DONE", "NEXT"]],
    email: ["1234567890".split(""), "qwertyuiop".split(""), "asdfghjkl-".split(""),
            "zxcvbnm._@".split(""), ["SPACE", "BACK", "DONE", "NEXT"]],
    code: ["23456789".split(""), "ABCDEFGHJK".split(""), "MNPQRSTVWX".split(""),
           ["Y", "Z", "-", "BACK", "DONE", "NEXT"]]
  };
  var labels = {BACK: "\u232B " + osk.dataset.labelDelete, DONE: osk.dataset.labelDone,
                SPACE: osk.dataset.labelSpace, SHIFT: "\u21EA ABC"};
  // Capitals or small letters: set by the field (data-case) and by SHIFT, never by typing.
  var lower = false;

  /* The form's own submit button, which the keyboard's "Lanjut" key presses. */
  function submitterOf(input) {
    return input.form ? input.form.querySelector("button[type=submit], button:not([type])") : null;
  }
  function render(kind) {
    osk.innerHTML = "";
    osk.className = "osk osk-" + kind;
    var submitter = submitterOf(target);
    LAYOUTS[kind].forEach(function (row) {
      var line = doc.createElement("div");
      line.className = "osk-row";
      row.forEach(function (key) {
        var button = doc.createElement("button");
        button.type = "button";
        button.tabIndex = -1;
        if (!key) { button.className = "osk-key blank"; button.disabled = true; button.setAttribute("aria-hidden", "true"); line.appendChild(button); return; }
        if (key === "NEXT" && !submitter) return;
        var shown = key === "NEXT" ? submitter.textContent.trim()
          : labels[key] || (kind === "text" && lower ? key.toLowerCase() : key);
        button.className = "osk-key" + (labels[key] || key === "NEXT" ? " osk-" + key.toLowerCase() : "");
        if (key === "SHIFT") button.setAttribute("aria-pressed", lower ? "false" : "true");
        button.dataset.key = key;
        button.textContent = shown;
        line.appendChild(button);
      });
      osk.appendChild(line);
    });
    // "Panggil petugas" stays one tap away while the keyboard covers the bottom of the screen.
    var call = doc.getElementById("call-officer");
    if (call && call.form) {
      var bar = doc.createElement("div"), key = doc.createElement("button");
      bar.className = "osk-row osk-bar";
      key.type = "button";
      key.tabIndex = -1;
      key.className = "osk-key osk-call";
      key.dataset.key = "CALL";
      key.textContent = call.textContent.trim();
      bar.appendChild(key);
      osk.insertBefore(bar, osk.firstChild);
    }
  }

  /* A NIK reads 4-4-4-4 as on the card, with a count of the digits typed. */
  function regroup(input) {
    if (!input.dataset.group) return;
    var size = +input.dataset.group, most = +input.dataset.digits;
    var digits = input.value.replace(/\D/g, "").slice(0, most);
    input.value = (digits.match(new RegExp(".{1," + size + "}", "g")) || []).join(" ");
    var count = doc.getElementById(input.id + "-count");
    if (count) count.textContent = input.dataset.count.replace("{n}", digits.length);
  }
  Array.prototype.forEach.call(doc.querySelectorAll("input[data-group]"), function (input) {
    regroup(input);
    input.addEventListener("input", function () { regroup(input); });
  });

  function insert(text) {
    if (!target) return;
    var value = target.value, max = target.maxLength > 0 ? target.maxLength : 10000;
    var start = target.selectionStart == null ? value.length : target.selectionStart;
    var end = target.selectionEnd == null ? value.length : target.selectionEnd;
    if (target.dataset.group) start = end = value.length;
    if (value.length - (end - start) + text.length > max) return;
    target.value = value.slice(0, start) + text + value.slice(end);
    try { target.setSelectionRange(start + text.length, start + text.length); } catch (e) { /* type without selection */ }
    target.dispatchEvent(new Event("input", {bubbles: true}));
  }
  function backspace() {
    if (!target) return;
    var value = target.value, start = target.selectionStart, end = target.selectionEnd;
    if (start == null || target.dataset.group) { start = end = value.length; }
    if (start === end && start > 0) start -= 1;
    target.value = value.slice(0, start) + value.slice(end);
    try { target.setSelectionRange(start, start); } catch (e) { /* type without selection */ }
    target.dispatchEvent(new Event("input", {bubbles: true}));
  }
  function show(input) {
    target = input;
    var kind = input.dataset.keyboard;
    lower = kind === "text" && input.dataset.case === "lower";
    render(kind);
    osk.hidden = false;
    body.classList.add("osk-open");
    // The room for the keyboard stays when it closes: a page that shrank under the finger
    // would move the "Lanjut" button away from a tap that closes the keyboard.
    body.style.paddingBottom = Math.max(osk.offsetHeight, parseInt(body.style.paddingBottom, 10) || 0) + "px";
    input.scrollIntoView({block: "center"});
  }
  function hide() {
    target = null;
    osk.hidden = true;
    body.classList.remove("osk-open");
  }
  osk.addEventListener("mousedown", function (event) { event.preventDefault(); });
  osk.addEventListener("pointerdown", function (event) { event.preventDefault(); });
  osk.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-key]");
    if (!button || !target) return;
    var key = button.dataset.key;
    if (key === "DONE") { hide(); return; }
    if (key === "CALL") {
      // The keyboard closes so the dock shows the call's state; what was typed stays, and a
      // tap on the field opens the keyboard again.
      var field = target;
      hide();
      field.blur();
      doc.getElementById("call-officer").form.requestSubmit();
      return;
    }
    if (key === "NEXT") {
      var form = target.form, submitter = submitterOf(target);
      hide();
      form.requestSubmit(submitter);
      return;
    }
    if (key === "BACK") backspace();
    else if (key === "SPACE") insert(" ");
    else if (key === "SHIFT") { lower = !lower; render(target.dataset.keyboard); return; }
    else insert(target.dataset.keyboard === "text" && lower ? key.toLowerCase() : key);
    target.focus({preventScroll: true});
  });
  doc.addEventListener("focusin", function (event) {
    var input = event.target;
    if (input.dataset && input.dataset.keyboard) { if (input !== target) show(input); }
    // A tap on a button or link (the page's "Lanjut") focuses it before its click: the keyboard
    // closes only after that click, so nothing moves under the finger and one tap does it.
    else if (!osk.contains(input)) setTimeout(function () { if (doc.activeElement === input) hide(); }, 350);
  });
  // A field tapped while the screen was still loading (a slow kiosk, a quick finger) took the
  // focus before this script listened for it: open its keyboard now, or it would never open.
  var early = doc.activeElement;
  if (early && early.dataset && early.dataset.keyboard) show(early);
})();
