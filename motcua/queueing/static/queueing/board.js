// The queue board: polls the feed with the last event id it saw, redraws, and speaks the
// calls one after another (two calls never cut each other off: FQM #138). No inline script.
(function () {
  "use strict";
  var body = document.body;
  var feed = body.dataset.feed;
  var key = "motcua-board-" + body.dataset.point;
  var counterLabel = body.dataset.labelCounter;
  var kept = parseInt(sessionStorage.getItem(key) || "0", 10);
  var last = Math.max(kept, 0) || parseInt(body.dataset.last || "0", 10);
  var queue = [];
  var playing = false;
  var soundOn = false;

  function item(tag, strong, text) {
    var li = document.createElement(tag);
    if (strong) {
      var s = document.createElement("strong");
      s.textContent = strong;
      li.appendChild(s);
      li.appendChild(document.createTextNode(" "));
    }
    li.appendChild(document.createTextNode(text));
    return li;
  }

  function fill(id, nodes) {
    var list = document.getElementById(id);
    list.replaceChildren.apply(list, nodes);
  }

  function redraw(data) {
    fill("counters", data.state.counters.map(function (c) {
      var tr = document.createElement("tr");
      var a = document.createElement("td");
      a.textContent = c.number;
      var b = document.createElement("td");
      b.className = "code-cell";
      b.textContent = c.ticket || "—";
      tr.appendChild(a);
      tr.appendChild(b);
      return tr;
    }));
    fill("recent", data.state.recent.map(function (r) {
      return item("li", r.code, "→ " + counterLabel + " " + r.counter);
    }));
    fill("waiting", data.state.waiting.map(function (w) {
      return item("li", w.prefix, w.name + ": " + w.count);
    }));
    fill("ready", data.ready.length ? data.ready.map(function (d) {
      return item("li", d.code, d.name);
    }) : [item("li", "", "—")]);
  }

  function flash(call) {
    var box = document.getElementById("flash");
    box.textContent = call.code + " → " + counterLabel + " " + call.counter;
    box.hidden = false;
    setTimeout(function () { box.hidden = true; }, 6000);
  }

  function next() {
    if (playing || !queue.length) return;
    var call = queue.shift();
    flash(call);
    if (!soundOn || body.dataset.speaks !== "1") {
      playing = true;
      setTimeout(function () { playing = false; next(); }, 3000);
      return;
    }
    playing = true;
    var audio = new Audio(call.audio);
    var done = function () { playing = false; next(); };
    audio.addEventListener("ended", done);
    audio.addEventListener("error", done);
    audio.play().catch(done);
  }

  function poll() {
    fetch(feed + "?after=" + last, { cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 204) return null;
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        if (data) {
          redraw(data);
          data.calls.forEach(function (c) { queue.push(c); });
          last = data.last;
          sessionStorage.setItem(key, String(last));
          next();
        }
      })
      .catch(function () { /* the server is away: ask again at the next tick */ })
      .finally(function () { setTimeout(poll, 1500); });
  }

  function tick() {
    var clock = document.getElementById("clock");
    clock.textContent = new Date().toLocaleTimeString(document.documentElement.lang, { hour: "2-digit", minute: "2-digit" });
  }

  var button = document.getElementById("sound");
  if (button) {
    button.addEventListener("click", function () {
      soundOn = true;
      button.hidden = true;
    });
  }
  tick();
  setInterval(tick, 10000);
  poll();
})();
