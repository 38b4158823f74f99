/* meigong shop script. The pages work without it: every payment code, the contact panel and
   the share links are in the HTML. This only adds classes on <html> by browser (ua-wx WeChat,
   ua-ali Alipay, ua-m phone browser, ua-pc desktop) for the CSS to hide and reorder, plus copy
   buttons, the contact sheet and the order helper. Plain ES2017 for Chrome 78 / iOS 13:
   no optional chaining, no `??`. */
(function (root, doc) {
  'use strict';

  /* ---- Pure functions: `shopgen.composeOrder` is checked against scripts/order-examples.json. */

  // Names that are levels of the dataset, not places: 北京市 市辖区 东城区 → 北京市 东城区.
  var NOT_PLACES = ['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划'];

  // 259800 fen → "¥2,598.00" (integer fen in, no floating point).
  function money(fen, cur, hideZeroCents) {
    var cents = fen % 100;
    var s = cur + String((fen - cents) / 100).replace(/\B(?=(\d{3})+$)/g, ',');
    return hideZeroCents && !cents ? s : s + '.' + (cents < 10 ? '0' : '') + cents;
  }

  function regionText(names) {
    return names.filter(function (n) { return n && NOT_PLACES.indexOf(n) < 0; }).join(' ');
  }

  // The message a buyer copies and sends to the seller in WeChat.
  function composeOrder(o) {
    var L = o.labels, c = L.colon;
    var lines = [L.greeting, L.product + c + o.title];
    if (o.sku) lines.push(L.sku + c + o.sku);
    o.options.forEach(function (p) { lines.push(p.name + c + (p.value || L.unselected)); });
    lines.push(L.quantity + c + o.quantity + (L.unit ? ' ' + L.unit : ''));
    lines.push(L.unitPrice + c + money(o.fen, o.currency, o.hideZeroCents));
    lines.push(L.total + c + money(o.fen * o.quantity, o.currency, o.hideZeroCents));
    var r = regionText(o.region || []);
    if (r) lines.push(L.region + c + r);
    if (o.url) lines.push(L.link + c + o.url);
    return lines.join('\n');
  }

  root.shopgen = { composeOrder: composeOrder, money: money };
  if (!doc) return;

  /* ---- Which browser: one class on <html>. */
  var ua = navigator.userAgent;
  var html = doc.documentElement;
  var kind = /MicroMessenger/i.test(ua) ? 'wx'
    : /AlipayClient/i.test(ua) ? 'ali'
    : /Android|iPhone|iPod|iPad|Mobile|HarmonyOS/i.test(ua) || (/Macintosh/.test(ua) && navigator.maxTouchPoints > 1) ? 'm'
    : 'pc';
  html.className += ' js ua-' + kind;

  /* ---- Search: the script (search.js) loads when a search box is first focused. */
  var sj = doc.getElementById('shop-js');
  doc.addEventListener('focusin', function (e) {
    if (!sj || sj.loaded || !e.target.hasAttribute || !e.target.hasAttribute('data-search')) return;
    sj.loaded = 1;
    var s = doc.createElement('script');
    s.src = sj.getAttribute('data-search-js');
    doc.head.appendChild(s);
  });

  function $(sel, el) { return (el || doc).querySelector(sel); }
  function $$(sel, el) { return Array.prototype.slice.call((el || doc).querySelectorAll(sel)); }
  function on(type, sel, fn) {
    doc.addEventListener(type, function (e) {
      var t = e.target.closest && e.target.closest(sel);
      if (t) fn(t, e);
    });
  }

  /* ---- Copy to the clipboard: the async API where allowed, else a textarea + execCommand
     (older WebViews, plain http). */
  function copy(text, done) {
    function legacy() {
      var t = doc.createElement('textarea');
      var ok = false;
      t.value = text;
      t.setAttribute('readonly', '');
      t.style.cssText = 'position:fixed;top:0;left:0;opacity:0;font-size:16px';
      doc.body.appendChild(t);
      t.select();
      t.setSelectionRange(0, text.length);
      try { ok = doc.execCommand('copy'); } catch (e) { ok = false; }
      doc.body.removeChild(t);
      done(ok);
    }
    if (navigator.clipboard && root.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, legacy);
    } else {
      legacy();
    }
  }

  // A button says 已复制 for two seconds.
  function flash(b, text) {
    if (!b.dataset.label) b.dataset.label = b.textContent;
    b.textContent = text;
    b.classList.add('is-done');
    clearTimeout(b.flashTimer);
    b.flashTimer = setTimeout(function () {
      b.textContent = b.dataset.label;
      b.classList.remove('is-done');
    }, 2000);
  }

  on('click', '[data-copy]', function (b) {
    var text = b.getAttribute('data-copy');
    copy(text, function (ok) {
      if (ok) flash(b, b.getAttribute('data-done'));
      else root.prompt('', text); // lets the buyer copy it by hand
    });
  });

  /* ---- Payment codes. In apps and on phones the inline SVG codes become PNG images, which
     WeChat's long press can recognise and any phone can save to its album. */
  function toImage(svg) {
    var img = new Image();
    var n = svg.viewBox.baseVal.width * 8;
    img.onload = function () {
      var c = doc.createElement('canvas');
      var g = c.getContext('2d');
      img.onload = null;
      c.width = c.height = n;
      g.imageSmoothingEnabled = false;
      g.drawImage(img, 0, 0, n, n);
      try { img.src = c.toDataURL('image/png'); } catch (e) { /* keep the SVG image */ }
    };
    img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(new XMLSerializer().serializeToString(svg));
    img.alt = svg.getAttribute('aria-label') || '';
    img.className = 'qr';
    img.width = img.height = svg.width.baseVal.value;
    svg.parentNode.replaceChild(img, svg);
  }

  var pay = doc.getElementById('pay');
  if (pay && kind !== 'pc') $$('.pay-qr svg', pay).forEach(toImage);
  // Codes replaced by an app button are one tap away: in Alipay all of them, in phone
  // browsers Alipay and UnionPay (WeChat Pay has no public deep link, so its code stays).
  // A person's WeChat Pay code cannot be read from the screen it is on: on phones it folds
  // too, under the panel's lead (send the order to the seller's WeChat first).
  if (pay) {
    var personal = pay.classList.contains('wx-personal');
    $$('.pay-code', pay).forEach(function (li) {
      var wx = li.classList.contains('pay-app-wechat');
      if (kind === 'ali' || (kind === 'm' && !wx) || (personal && wx && kind !== 'pc')) li.classList.add('is-fold');
    });
  }
  var alipay = pay && $('.pay-code-alipay .pay-open', pay);
  if (alipay && kind === 'm') {
    // Phone browsers: open the Alipay app on the collection code (its "scan" mini app).
    alipay.href = 'alipays://platformapi/startapp?saId=10000007&qrcode=' + encodeURIComponent(alipay.getAttribute('href'));
  }
  on('click', '.pay-show', function (b) { b.parentNode.classList.remove('is-fold'); });

  /* ---- Contact sheet (<details class="kf">): Esc and the close button shut it; on phones the
     header's 联系客服 opens it instead of scrolling to the panel. */
  function sheet() {
    return $$('details.kf').filter(function (d) { return d.getClientRects().length; })[0];
  }
  on('click', '[data-close]', function (b) { b.closest('details').open = false; });
  on('click', '.header-kf', function (a, e) {
    var d = sheet();
    if (d && kind !== 'pc') {
      e.preventDefault();
      d.open = true;
    }
  });
  doc.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' || e.key === 'Esc') $$('details.kf[open]').forEach(function (d) { d.open = false; });
  });
  $$('details.kf').forEach(function (d) {
    d.addEventListener('toggle', function () {
      var b = d.open && $('[data-close]', d);
      if (b) b.focus();
    });
  });

  /* ---- Order helper: options, quantity and region → total and a message to copy. */
  var form = doc.getElementById('order');
  if (!form) return;
  var data = form.dataset;
  var labels = {};
  ['greeting', 'product', 'sku', 'unselected', 'quantity', 'unit', 'unitPrice', 'total', 'region', 'link', 'colon']
    .forEach(function (k) { labels[k] = data['l' + k[0].toUpperCase() + k.slice(1)] || ''; });
  var qty = $('[name=qty]', form);
  var msg = $('[data-msg]', form);
  var status = $('[data-status]', form);
  var picker = $('[data-regions]', form);
  var selects = picker ? $$('select', picker) : [];
  var regions = null;

  function count() {
    var n = parseInt(qty && qty.value, 10) || 1;
    return Math.min(Math.max(n, 1), qty ? +qty.max || 99 : 1);
  }

  function chosen() {
    return selects.filter(function (s) { return s.selectedIndex > 0; })
      .map(function (s) { return s.options[s.selectedIndex].text; });
  }

  /* Combinations with their own price, SKU, stock or photo: data-offers holds the product's
     own offer (for combinations not listed), then each listed one; [data-p] show its fields. */
  var offers = data.offers && JSON.parse(data.offers);
  var fields = $$('[data-p]');
  var first = {};
  fields.forEach(function (el) { first[el.dataset.p] = el.textContent; });
  var maxQty = qty ? +qty.max || 99 : 1;
  var shown = 0;

  function selected() {
    return $$('[data-opt]', form).map(function (g) {
      var c = $('input:checked', g);
      return { name: g.getAttribute('data-opt'), value: c ? c.value : '' };
    });
  }

  function offerOf(vs) {
    if (!offers || vs.indexOf('') >= 0) return null;
    return offers.filter(function (o) { return o.options.join('\n') === vs.join('\n'); })[0] || offers[0];
  }

  function current() {
    return offerOf(selected().map(function (p) { return p.value; }));
  }

  function showOffer(of, scroll) {
    var v = of || first, n = of && of.stock;
    var st = $('[data-stock]', form), c = $('[data-stock-count]', form);
    fields.forEach(function (el) { el.textContent = v[el.dataset.p] || ''; });
    $$('[data-p-box]').forEach(function (el) { el.hidden = !$('[data-p]', el).textContent; });
    $$('[data-p-to]').forEach(function (el) { el.hidden = !!of; });
    if (st) {
      st.textContent = st.getAttribute(n === 0 ? 'data-out' : 'data-in');
      st.classList.toggle('stock-out', n === 0);
    }
    if (c) {
      c.hidden = !n;
      c.textContent = [c.getAttribute('data-before'), n, c.getAttribute('data-after')].join(' ').trim();
    }
    if (qty) qty.max = n || maxQty;
    // Cross out each option whose combination with the other choices is sold out.
    var vs = selected().map(function (p) { return p.value; });
    $$('[data-opt]', form).forEach(function (g, gi) {
      $$('input', g).forEach(function (i) {
        var w = vs.slice();
        w[gi] = i.value;
        var o = offerOf(w);
        if (!i.disabled) i.parentNode.classList.toggle('is-out', !!o && o.stock === 0);
      });
    });
    // The combination's photo, once per choice (a radio fires `input`, then `change`).
    var t = scroll && of && of.slide !== shown && doc.getElementById('img-' + of.slide);
    if (t) {
      t.parentNode.scrollLeft += t.getBoundingClientRect().left - t.parentNode.getBoundingClientRect().left;
      shown = of.slide;
    }
  }

  function order() {
    var of = current();
    return {
      labels: labels,
      title: data.title,
      sku: (of && of.sku) || data.sku,
      options: selected(),
      quantity: count(),
      fen: of ? of.fen : +data.fen,
      currency: data.cur,
      hideZeroCents: data.hide === '1',
      region: chosen(),
      url: data.url
    };
  }

  function update(scroll) {
    if (offers) showOffer(current(), scroll === true);
    var o = order();
    var total = money(o.fen * o.quantity, o.currency, o.hideZeroCents);
    var line = o.options.map(function (p) { return p.value; }).filter(Boolean).join(' · ') + ' × ' + o.quantity;
    if (msg) msg.textContent = composeOrder(o);
    $$('[data-total]').forEach(function (el) { el.textContent = total; });
    $$('[data-line]').forEach(function (el) { el.textContent = line; });
    var where = $('[data-region-text]', form);
    if (where) where.textContent = regionText(o.region) || where.getAttribute('data-empty');
  }

  form.addEventListener('change', function (e) {
    var g = e.target.closest('[data-opt]');
    if (g) g.classList.remove('is-missing');
    update(true);
  });
  form.addEventListener('input', function () { update(); });
  if (qty) {
    qty.addEventListener('blur', function () { qty.value = count(); update(); });
  }
  on('click', '[data-step]', function (b) {
    qty.value = Math.min(Math.max(count() + +b.getAttribute('data-step'), 1), +qty.max || 99);
    update();
  });

  on('click', '[data-copy-order]', function (b) {
    var missing = $$('[data-opt]', form).filter(function (g) { return !$('input:checked', g); });
    missing.forEach(function (g) { g.classList.add('is-missing'); });
    if (missing.length) {
      status.textContent = data.lChoose + ' ' + missing[0].getAttribute('data-opt');
      $('input', missing[0]).focus();
      return;
    }
    var of = current();
    if (of && of.stock === 0) {
      status.textContent = data.lSoldOut;
      return;
    }
    update();
    copy(msg.textContent, function (ok) {
      status.textContent = ok ? data.lCopied : data.lFailed;
      if (ok) flash(b, b.getAttribute('data-done'));
      else root.getSelection().selectAllChildren(msg);
    });
  });

  /* Province → city → district, loaded only when the buyer opens the picker. The data is
     nested arrays of "<code suffix><name>" (GB/T 2260), see scripts/cn-regions.README.txt in the theme. */
  function fill(level, list, prefix) {
    var s = selects[level];
    var i;
    for (i = level; i < selects.length; i++) {
      selects[i].length = 1;
      selects[i].disabled = true;
    }
    if (!s || !list) return;
    list.forEach(function (item) {
      var m = /^(\d*)(.*)$/.exec(typeof item === 'string' ? item : item[0]);
      s.add(new Option(m[2], prefix + m[1]));
    });
    s.disabled = false;
    if (list.length === 1) {
      s.selectedIndex = 1;
      pick(level);
    }
  }

  function pick(level) {
    var p = regions[selects[0].selectedIndex - 1];
    var c = p && level > 0 ? p[1][selects[1].selectedIndex - 1] : null;
    var next = level === 0 ? p && p[1] : c && c[1];
    fill(level + 1, next || null, selects[level].value);
    update();
  }

  if (picker) {
    selects.forEach(function (s, i) {
      s.addEventListener('change', function () { pick(i); });
    });
    picker.addEventListener('toggle', function () {
      if (!picker.open || regions || picker.loading) return;
      var note = $('[data-region-status]', picker);
      picker.loading = true;
      note.textContent = data.lLoading;
      fetch(picker.getAttribute('data-regions'))
        .then(function (r) {
          if (!r.ok) throw new Error(r.status);
          return r.json();
        })
        .then(function (list) {
          regions = list;
          note.textContent = '';
          fill(0, list, '');
        }, function () {
          note.textContent = data.lRegionFailed;
        })
        .then(function () { picker.loading = false; });
    });
  }

  update();
})(this, this.document);
