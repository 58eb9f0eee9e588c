// Shown if the app stops on an unexpected error (a Rust panic aborts the WebAssembly module):
// a bilingual screen saying the saved data is safe, with "reload" and "export", which reads
// the IndexedDB database directly, without the stopped module.
(function () {
  'use strict';
  function exportAll() {
    var req = indexedDB.open('lixun');
    req.onsuccess = function () {
      var db = req.result;
      var names = Array.prototype.slice.call(db.objectStoreNames);
      var out = { exported_at: new Date().toISOString(), stores: {} };
      var tx = db.transaction(names, 'readonly');
      names.forEach(function (name) {
        var store = tx.objectStore(name);
        var keys = store.getAllKeys();
        var values = store.getAll();
        values.onsuccess = function () {
          out.stores[name] = keys.result.map(function (k, i) { return [k, values.result[i]]; });
        };
      });
      tx.oncomplete = function () {
        var blob = new Blob([JSON.stringify(out)], { type: 'application/json' });
        var a = document.createElement('a');
        a.href = URL.createObjectURL(blob);
        a.download = 'lixun-rescue-export.json';
        document.body.appendChild(a);
        a.click();
      };
    };
  }
  function button(text, onClick, testid) {
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'btn btn--primary';
    b.textContent = text;
    b.setAttribute('data-testid', testid);
    b.addEventListener('click', onClick);
    return b;
  }
  window.lixunRescue = function () {
    if (document.getElementById('rescue')) return;
    var box = document.createElement('main');
    box.id = 'rescue';
    box.className = 'rescue';
    box.setAttribute('role', 'alert');
    var h = document.createElement('h1');
    h.textContent = '礼训遇到意外错误 · Lixun hit an unexpected error';
    var p = document.createElement('p');
    p.textContent = '已保存的学习记录仍安全地保存在本设备上。请重新加载；如问题再次出现，请导出数据交给培训师。';
    var pe = document.createElement('p');
    pe.lang = 'en';
    pe.textContent = 'Everything saved is still safe on this device. Reload; if it happens again, export the data and give it to your trainer.';
    var actions = document.createElement('p');
    actions.appendChild(button('重新加载 · Reload', function () { location.reload(); }, 'rescue-reload'));
    actions.appendChild(document.createTextNode(' '));
    actions.appendChild(button('导出数据 · Export data', exportAll, 'rescue-export'));
    box.append(h, p, pe, actions);
    document.body.replaceChildren(box);
  };
})();
