// A judge's marks, aspect by aspect: each is sent as soon as it is chosen. Without a
// connection it is kept on the phone (localStorage) with the time it was typed and a key of its
// own, and sent when the phone is back online; the server takes a key once, so a mark sent
// twice is not counted twice.
(function () {
  "use strict";
  var root = document.getElementById("marking");
  if (!root) return;
  var url = root.dataset.url, csrf = root.dataset.csrf;
  var store = "gongjia-marks:" + url;
  var queueNote = document.getElementById("queue");

  function queued() {
    try { return JSON.parse(localStorage.getItem(store) || "[]"); } catch (e) { return []; }
  }
  function keep(items) {
    localStorage.setItem(store, JSON.stringify(items));
    queueNote.hidden = items.length === 0;
    queueNote.textContent = items.length ? root.dataset.queued + "（" + items.length + "）" : "";
  }
  function cell(item) {
    return root.querySelector('.aspect[data-entry="' + item.entry_id + '"][data-aspect="' + item.aspect_id + '"] .state');
  }
  function show(item, text) { var c = cell(item); if (c) c.textContent = text; }

  function send(item) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(item)
    }).then(function (r) {
      return r.json().then(function (body) { return { ok: r.ok, body: body }; });
    });
  }

  function flush() {
    var items = queued();
    if (!items.length || !navigator.onLine) return Promise.resolve();
    var item = items[0];
    return send(item).then(function (res) {
      keep(queued().filter(function (x) { return x.client_key !== item.client_key; }));
      if (res.ok) {
        show(item, res.body.message || root.dataset.saved);
      } else {
        show(item, root.dataset.failed + "：" + (res.body.message || ""));
      }
      return flush();
    }, function () { show(item, root.dataset.queued); });
  }

  function key() {
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 10);
  }

  root.addEventListener("change", function (ev) {
    var box = ev.target.closest(".aspect");
    if (!box || ev.target.value === "") return;
    var item = {
      entry_id: Number(box.dataset.entry),
      aspect_id: Number(box.dataset.aspect),
      value: Number(ev.target.value),
      typed_at: new Date().toISOString(),
      client_key: key()
    };
    keep(queued().concat([item]));
    show(item, navigator.onLine ? root.dataset.sending : root.dataset.queued);
    flush();
  });
  window.addEventListener("online", flush);
  keep(queued());
  flush();
})();
