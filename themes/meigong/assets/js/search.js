/* meigong search: reads the index shopgen writes (search/index.json and its shards). The
   tokenizer mirrors src/search/tokens.rs; tests/search_tokens.rs holds them equal. ES2017. */
(function (root, doc) {
  'use strict';
  if (root.shopgenSearch) return;
  var J = '-_./', W = [1, 2, 4, 8];
  function cjk(c) {
    return c >= 0x3040 && c <= 0x30FF || c >= 0x3400 && c <= 0x4DBF || c >= 0x4E00 && c <= 0x9FFF ||
      c >= 0xAC00 && c <= 0xD7AF || c >= 0xF900 && c <= 0xFAFF || c >= 0x20000 && c <= 0x2FA1F;
  }
  function word(x) {
    var c = x.codePointAt(0);
    return x >= 'a' && x <= 'z' || x >= '0' && x <= '9' || c >= 0xDF && c <= 0x24F && c != 0xF7;
  }
  function join(x) { return J.indexOf(x) >= 0; }
  // One entry per character: full-width narrowed, lowercase, Chinese folded to Simplified.
  function norm(text, fold) {
    var out = [];
    for (var x of text) {
      var c = x.codePointAt(0);
      if (c >= 0xFF01 && c <= 0xFF5E) x = String.fromCodePoint(c -= 0xFEE0);
      else if (c == 0x3000) x = ' ', c = 32;
      if (cjk(c)) out.push(fold[x] || x);
      else for (var l of x.toLowerCase()) out.push(l);
    }
    return out;
  }
  function words(r) {
    var o = [], w = '';
    r.forEach(function (x) { if (join(x)) { if (w) o.push(w); w = ''; } else w += x; });
    if (w) o.push(w);
    return o;
  }
  // The tokens of a query: {k: 'w' word | 'c' Chinese | 's' code, t: text}.
  function query(text, fold) {
    var s = norm(text, fold || {}), out = [], seen = {}, i = 0;
    function push(k, t) { if (!seen[k + t]) { seen[k + t] = 1; out.push({ k: k, t: t }); } }
    while (i < s.length) {
      var st = i;
      if (cjk(s[i].codePointAt(0))) {
        while (i < s.length && cjk(s[i].codePointAt(0))) i++;
        if (i - st == 1) push('c', s[st]);
        for (var j = st + 1; j < i; j++) push('c', s[j - 1] + s[j]);
      } else if (word(s[i]) || join(s[i])) {
        while (i < s.length && (word(s[i]) || join(s[i]))) i++;
        var r = s.slice(st, i);
        while (r.length && join(r[0])) r.shift();
        while (r.length && join(r[r.length - 1])) r.pop();
        if (!r.length) continue;
        if (r.some(join) && r.some(function (x) { return x >= '0' && x <= '9'; }) &&
          r.every(function (x) { return x.codePointAt(0) < 128; })) push('s', r.join(''));
        else words(r).forEach(function (w) { push('w', w); });
      } else i++;
    }
    return out;
  }
  function term(t) { return (t.k == 's' ? '#' : '') + t.t; }
  function key(t) {
    var a = Array.from(t);
    return a[0] == '#' || cjk(a[0].codePointAt(0)) ? t : a.slice(0, 2).join('');
  }
  function bucket(k, n) {
    var h = 0x811c9dc5;
    for (var x of k) h = Math.imul(h ^ x.codePointAt(0), 0x01000193) >>> 0;
    return h % n;
  }
  var api = root.shopgenSearch = { query: query, key: key, bucket: bucket, term: term };
  if (!doc) return;

  var sj = doc.getElementById('shop-js');
  if (!sj) return;
  sj.loaded = 1;
  var D = sj.dataset, S = D.strings.split('|'), cur = D.money.split(' ');
  var M, F = {}, got = {};
  function get(u) {
    return got[u] || (got[u] = fetch(u).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    }));
  }
  function file(m, name, i, list) { return get(m.base + name + '.' + list.substr(i * 10, 10) + '.json'); }
  function man() {
    return M || (M = get(D.searchIndex).then(function (m) {
      var a = Array.from(m.fold);
      for (var i = 0; i < a.length; i += 2) F[a[i]] = a[i + 1];
      return m;
    }));
  }
  function shard(m, t) { var i = bucket(key(term(t)), m.n); return file(m, i, i, m.shards); }
  // Score every document that matches all tokens: the field weight of its best match (a word
  // matched as a prefix counts half), summed over the tokens.
  function rank(list) {
    var score = null;
    list.forEach(function (p) {
      var t = p[0], s = p[1], mine = {}, tt = term(t);
      var keys = t.k == 'w' && t.t.length > 1 ? Object.keys(s).filter(function (k) { return k.lastIndexOf(t.t, 0) == 0; }) : s[tt] ? [tt] : [];
      keys.forEach(function (k) {
        var id = 0, f = k == tt ? 1 : 0.5;
        s[k].forEach(function (v) { id += v >> 2; var w = W[v & 3] * f; if (!(mine[id] >= w)) mine[id] = w; });
      });
      if (!score) score = mine;
      else { var n = {}; for (var id in score) if (id in mine) n[id] = score[id] + mine[id]; score = n; }
    });
    score = score || {};
    return Object.keys(score).map(Number).sort(function (a, b) { return score[b] - score[a] || a - b; });
  }
  function search(q) {
    return man().then(function (m) {
      var toks = query(q, F);
      return Promise.all(toks.map(function (t) { return shard(m, t); })).then(function (sh) {
        var list = [], more = [];
        toks.forEach(function (t, i) {
          if (t.k == 's' && !sh[i]['#' + t.t]) words(Array.from(t.t)).forEach(function (w) { more.push({ k: 'w', t: w }); });
          else list.push([t, sh[i]]);
        });
        return Promise.all(more.map(function (t) { return shard(m, t); })).then(function (sh2) {
          more.forEach(function (t, i) { list.push([t, sh2[i]]); });
          api.arrived = performance.now();
          var ids = toks.length ? rank(list) : [];
          api.ranked = performance.now();
          return { m: m, toks: toks, ids: ids };
        });
      });
    });
  }
  function rec(m, id) {
    var k = Math.floor(id / m.chunk);
    return file(m, 'docs-' + k, k, m.docs).then(function (c) { return c[id % m.chunk]; });
  }
  function esc(s) { return s.replace(/[&<>"]/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; }); }
  // The title with what the query matched in <mark>.
  function mark(title, toks) {
    var chars = Array.from(title), n = chars.map(function (x) { return norm(x, F).join(''); });
    var on = [], low = n.join(''), pos = [], p = 0;
    n.forEach(function (x) { pos.push(p); p += x.length; });
    toks.forEach(function (t) {
      if (t.k == 's') return;
      for (var i = low.indexOf(t.t); i >= 0; i = low.indexOf(t.t, i + 1))
        pos.forEach(function (q, j) { if (q >= i && q < i + t.t.length) on[j] = 1; });
    });
    return chars.map(function (x, j) { return on[j] ? '<mark>' + esc(x) + '</mark>' : esc(x); }).join('').replace(/<\/mark><mark>/g, '');
  }
  function money(f) { return root.shopgen.money(f, cur[0], !!cur[1]); }
  function price(r) {
    return '<span class="price">' + money(r[2]) + '</span>' + (r[3] ? ' <del class="price-was">' + money(r[3]) + '</del>' : '');
  }
  function card(r, toks, i) {
    var page = r[2] < 0;
    return '<article class="card' + (page ? ' s-page' : '') + '" role="option" id="sr-' + i + '"><a class="card-link col" href="' + esc(r[0]) + '">' +
      (page ? '' : '<div class="card-media ratio ratio-square">' + (r[4] ? '<img src="' + esc(r[4]) + '" alt="" loading="lazy" decoding="async">' : '') + '</div>') +
      '<div class="card-body col"><h2 class="card-title">' + (page ? S[4] + ' · ' : '') + mark(r[1], toks) + '</h2>' +
      (r[5] ? '<p class="card-subtitle muted">' + esc(r[5]) + '</p>' : '') +
      (page ? '' : '<div class="card-foot"><p class="card-price flow baseline">' + price(r) + '</p></div>') + '</div></a></article>';
  }
  // Arrow keys move a selection through `items`; Enter opens it.
  function keys(input, items) {
    var at = -1;
    input.addEventListener('keydown', function (e) {
      var list = items(), d = e.key == 'ArrowDown' ? 1 : e.key == 'ArrowUp' ? -1 : 0;
      if (d && list.length) {
        e.preventDefault();
        at += d;
        if (at >= list.length) at = -1;
        if (at < -1) at = list.length - 1;
        list.forEach(function (el, j) { el.setAttribute('aria-selected', j == at ? 'true' : 'false'); });
        if (at >= 0) { input.setAttribute('aria-activedescendant', list[at].id); list[at].scrollIntoView({ block: 'nearest' }); }
        else input.removeAttribute('aria-activedescendant');
      } else if (e.key == 'Enter' && at >= 0 && list[at]) {
        e.preventDefault();
        root.location.href = list[at].querySelector('a') ? list[at].querySelector('a').href : list[at].href;
      }
    });
    return function () { at = -1; input.removeAttribute('aria-activedescendant'); };
  }
  function debounce(fn) { var t; return function () { clearTimeout(t); t = setTimeout(fn, 120); }; }

  /* ---- The search page: the query and filters from the URL, results as product cards. */
  var page = doc.getElementById('search-page');
  if (page) {
    var form = page.querySelector('form'), box = form.q, out = doc.getElementById('search-results');
    var status = doc.getElementById('search-status'), more = doc.getElementById('search-more');
    var start = doc.getElementById('search-start'), shown = 0, ids = [], toks = [], m0;
    var url = new URLSearchParams(root.location.search);
    ['q', 'cat', 'min', 'max', 'sort'].forEach(function (k) { if (url.get(k)) form[k].value = url.get(k); });
    form.stock.checked = url.get('stock') == '1';
    var reset = keys(box, function () { return Array.from(out.children); });
    var show = function (n) {
      var slice = ids.slice(shown, shown + n);
      shown += slice.length;
      more.hidden = shown >= ids.length;
      return Promise.all(slice.map(function (id) { return rec(m0, id); })).then(function (rs) {
        api.records = performance.now();
        out.insertAdjacentHTML('beforeend', rs.map(function (r, i) { return card(r, toks, shown - slice.length + i); }).join(''));
        api.shown = performance.now();
      });
    };
    var run = function (push) {
      var f = new FormData(form), p = new URLSearchParams();
      f.forEach(function (v, k) { if (v) p.set(k, v); });
      var q = box.value.trim(), qs = p.toString();
      root.history[push ? 'pushState' : 'replaceState'](null, '', qs ? '?' + qs : root.location.pathname);
      if (!q) { out.innerHTML = ''; status.textContent = ''; more.hidden = start.hidden = false; return; }
      status.textContent = S[2];
      search(q).then(function (r) {
        m0 = r.m; toks = r.toks;
        var cat = p.get('cat'), min = +p.get('min') || 0, max = +p.get('max') || 1e9, sort = p.get('sort');
        if (!cat && !p.get('min') && !p.get('max') && !p.get('stock') && !sort) return r.ids;
        return get(m0.base + 'facets.' + m0.facets + '.json').then(function (fc) {
          var ci = 0, n = fc.s.length, at = function (s, w, id) { return parseInt(s.substr(id * w, w), 36); };
          m0.cats.forEach(function (c, i) { if (c[1] == cat) ci = i + 1; });
          var list = r.ids.filter(function (id) {
            if (id >= n) return !cat && !p.get('min') && !p.get('max') && !p.get('stock');
            var y = at(fc.p, 4, id);
            return (!cat || at(fc.c, fc.w, id) == ci) && y >= min && y <= max && (!p.get('stock') || fc.s[id] == '1');
          });
          var val = sort == 'new' ? function (id) { return id < n ? -at(fc.d, 3, id) : 1e9; }
            : sort ? function (id) { return id < n ? (sort == 'price' ? 1 : -1) * at(fc.p, 4, id) : 1e9; } : null;
          return val ? list.map(function (id, i) { return [val(id), i, id]; }).sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; }).map(function (x) { return x[2]; }) : list;
        });
      }).then(function (list) {
        ids = list; shown = 0; out.innerHTML = ''; reset();
        status.textContent = S[1].replace('{n}', list.length);
        start.hidden = list.length > 0;
        doc.getElementById('search-start-text').hidden = true;
        doc.getElementById('search-empty-text').hidden = list.length > 0;
        return show(24);
      }).catch(function () { status.textContent = S[3]; });
    };
    form.addEventListener('submit', function (e) { e.preventDefault(); run(true); });
    form.addEventListener('change', function (e) { if (e.target != box) run(); });
    box.addEventListener('input', debounce(function () { run(); }));
    more.addEventListener('click', function () { show(24); });
    if (box.value) run();
  }

  /* ---- Header boxes: the first matches under the box as one types. */
  Array.from(doc.querySelectorAll('form:not(.search-form) [data-search]')).forEach(function (input) {
    var list = doc.createElement('div'), form = input.form, n = 0;
    list.className = 'search-suggest';
    list.id = input.id + '-list';
    list.setAttribute('role', 'listbox');
    list.hidden = true;
    form.appendChild(list);
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-controls', list.id);
    input.setAttribute('aria-expanded', 'false');
    var reset = keys(input, function () { return Array.from(list.children); });
    var close = function () { list.hidden = true; input.setAttribute('aria-expanded', 'false'); reset(); };
    var go = function () {
      var q = input.value.trim(), me = ++n;
      if (!q) return close();
      search(q).then(function (r) {
        return Promise.all(r.ids.slice(0, 6).map(function (id) { return rec(r.m, id); })).then(function (rs) {
          if (me != n) return;
          var all = D.searchUrl + '?q=' + encodeURIComponent(q);
          list.innerHTML = rs.map(function (x, i) {
            return '<a role="option" id="' + list.id + '-' + i + '" href="' + esc(x[0]) + '">' + (x[4] ? '<img src="' + esc(x[4]) + '" alt="">' : '') +
              '<span class="s-title">' + mark(x[1], r.toks) + '</span>' + (x[2] < 0 ? '' : price(x)) + '</a>';
          }).join('') + '<a role="option" class="s-all" id="' + list.id + '-all" href="' + esc(all) + '">' + S[0] + ' (' + r.ids.length + ')</a>';
          list.hidden = false;
          input.setAttribute('aria-expanded', 'true');
          reset();
          api.shown = performance.now();
        });
      }).catch(close);
    };
    input.addEventListener('input', debounce(go));
    input.addEventListener('focus', go);
    doc.addEventListener('click', function (e) { if (!form.contains(e.target)) close(); });
    input.addEventListener('keydown', function (e) { if (e.key == 'Escape') close(); });
    if (doc.activeElement == input && input.value) go();
  });
})(this, this.document);
