// shopgen serve: live reload. Added to pages by the preview server only, never by `build`.
(function () {
  "use strict";
  var EVENTS = "/__shopgen/events";
  var seen = false;
  var overlay = null;

  function clearErrors() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }

  function showErrors(errors) {
    clearErrors();
    overlay = document.createElement("div");
    overlay.setAttribute("role", "alert");
    overlay.style.cssText =
      "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:24px;" +
      "background:rgba(20,20,24,.94);color:#f4f4f5;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace";
    var title = document.createElement("div");
    title.style.cssText = "font-size:16px;font-weight:bold;color:#ff8a80;margin-bottom:16px";
    title.textContent =
      "shopgen: " + errors.length + " error" + (errors.length === 1 ? "" : "s") +
      " — still showing the last good version; fix the file and this goes away";
    var close = document.createElement("button");
    close.textContent = "×";
    close.setAttribute("aria-label", "close");
    close.style.cssText =
      "position:absolute;top:12px;right:16px;font-size:22px;background:none;border:0;color:#f4f4f5;cursor:pointer";
    close.onclick = clearErrors;
    overlay.appendChild(close);
    overlay.appendChild(title);
    errors.forEach(function (e) {
      var box = document.createElement("pre");
      box.style.cssText =
        "white-space:pre-wrap;margin:0 0 12px;padding:12px;border-left:4px solid #ff5252;background:#26262b";
      var where = e.file + (e.line ? ":" + e.line + (e.column ? ":" + e.column : "") : "");
      box.textContent =
        where + "\n" + (e.field ? "field `" + e.field + "`: " : "") + e.message +
        (e.help ? "\nhelp: " + e.help : "");
      overlay.appendChild(box);
    });
    document.body.appendChild(overlay);
  }

  // Swap the site's stylesheet for the new bundle without reloading the page.
  function swapCss(href) {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    Array.prototype.forEach.call(links, function (old) {
      var url = new URL(old.href, location.href);
      if (url.origin !== location.origin || !/\/assets\/style\.[^\/]*\.css$/.test(url.pathname)) {
        return;
      }
      var next = old.cloneNode();
      next.href = href;
      next.onload = function () {
        old.remove();
      };
      old.parentNode.insertBefore(next, old.nextSibling);
    });
  }

  function connect() {
    var source = new EventSource(EVENTS);
    source.addEventListener("hello", function () {
      // Connected again after the server went away: it may have a new site.
      if (seen) location.reload();
      seen = true;
    });
    source.addEventListener("reload", function () {
      location.reload();
    });
    source.addEventListener("css", function (e) {
      clearErrors();
      swapCss(JSON.parse(e.data).href);
    });
    source.addEventListener("failed", function (e) {
      showErrors(JSON.parse(e.data).errors);
    });
    source.onerror = function () {
      if (source.readyState === EventSource.CLOSED) {
        setTimeout(connect, 1000);
      }
    };
  }

  connect();
})();
