// Pinhole's only script: justified rows for the grid and the full-screen
// viewer (keys, swipe, neighbour preloading). Without it the pages still work.
(function () {
  "use strict";

  // Favourites: hearts post in the background; the first time, a PIN
  // visitor is asked for a first name (kept in their session).
  function askName(done, cancelled) {
    var d = document.createElement("dialog");
    d.className = "name-dialog";
    d.innerHTML = '<form method="dialog"><label for="fav-name">Your first name</label>' +
      '<p>So that your favourites stay yours, even if others open this gallery too.</p>' +
      '<input id="fav-name" name="name" autocomplete="given-name" maxlength="40" required>' +
      '<menu><button type="button" class="quiet cancel">Cancel</button><button type="submit" value="ok">Save</button></menu></form>';
    document.body.appendChild(d);
    var input = d.querySelector("input");
    d.querySelector(".cancel").addEventListener("click", function () { d.close(""); });
    d.addEventListener("close", function () {
      var name = d.returnValue === "ok" ? input.value.trim() : "";
      d.remove();
      if (name) done(name);
      else cancelled();
    });
    d.showModal();
    input.focus();
  }

  // A message in a small dialog (a full selection, say).
  function tell(text) {
    var d = document.createElement("dialog");
    d.className = "name-dialog";
    d.innerHTML = '<form method="dialog"><p></p><menu><button type="submit">OK</button></menu></form>';
    d.querySelector("p").textContent = text;
    document.body.appendChild(d);
    d.addEventListener("close", function () { d.remove(); });
    d.showModal();
  }

  // Hearts are sent one after another: a heart's answer may start the
  // visitor's list (its cookie), which the next heart must carry, or hearts
  // pressed at once would each start a list of their own. A heart that asks
  // for a name holds the ones after it until the name is given.
  var hearts = Promise.resolve();
  function favSubmit(form) {
    hearts = hearts.then(function () { return favSend(form); });
  }

  function favSend(form, name) {
    var body = new URLSearchParams(new FormData(form));
    if (name) body.set("name", name);
    return fetch(form.action, { method: "POST", body: body, headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) {
        if (r.status === 409) return r.json();
        if (!r.ok) throw new Error(r.status);
        return r.json();
      })
      .then(function (res) {
        if (res.needName) {
          return new Promise(function (done) {
            askName(function (n) { favSend(form, n).then(done); }, done);
          });
        }
        if (res.full) { tell(res.message); return; }
        form.querySelector("button").setAttribute("aria-pressed", res.on ? "true" : "false");
        form.querySelector('input[name="on"]').value = res.on ? "0" : "1";
        var c = document.getElementById("fav-count");
        if (c) c.textContent = res.countText;
        // A change after sending is sent again with the button.
        var send = document.querySelector("form.send"), sent = document.getElementById("sent");
        if (send) {
          var shown = send.hidden && res.count;
          send.hidden = !res.count;
          if (sent && !sent.hidden) {
            sent.hidden = true;
            send.querySelector(".what").textContent = "Send my changes";
          }
          // On a phone the actions row scrolls sideways: the button just
          // shown at its end is brought into the row's view.
          if (shown) {
            var row = send.parentNode, r = send.getBoundingClientRect(), box = row.getBoundingClientRect();
            if (r.right > box.right) row.scrollLeft += r.right - box.right;
          }
        }
        document.dispatchEvent(new Event("pinhole:fav"));
      })
      .catch(function () { form.submit(); }); // let the server explain (PIN, expiry…)
  }
  document.addEventListener("submit", function (e) {
    var f = e.target;
    if (!f.classList || !f.classList.contains("fav") || !window.fetch) return;
    e.preventDefault();
    favSubmit(f);
  });

  var grid = document.getElementById("grid");
  if (!grid) return;

  // Justified rows: each photo grows in proportion to its aspect ratio.
  var rowHeight = function () { var w = window.innerWidth; return w < 600 ? 150 : w < 1400 ? 240 : w < 2000 ? 300 : 380; };
  // Where the stylesheet justifies the rows itself from each tile's data-r
  // (and the lazy images take sizes="auto"), there is nothing to do: that
  // saves a second layout of every tile.
  var byCSS = window.CSS && CSS.supports && CSS.supports("flex-grow", "attr(data-r type(<number>))");
  function justify(items) {
    if (byCSS) return;
    var h = rowHeight();
    items.forEach(function (li) {
      var img = li.querySelector("img");
      if (!img) return;
      var r = (+img.getAttribute("width") || 3) / (+img.getAttribute("height") || 2);
      li.style.flex = (r * 100) + " 1 " + Math.round(r * h) + "px";
    });
    grid.classList.add("justified");
    // Each tile's real width, so that the browser takes the smallest
    // rendition of its srcset that still fills it.
    items.forEach(function (li) {
      var img = li.querySelector("img");
      if (!img) return;
      var w = Math.ceil(li.getBoundingClientRect().width) + "px";
      if (img.sizes !== w) img.sizes = w;
    });
  }
  function tiles() { return Array.prototype.slice.call(grid.children); }
  justify(tiles());
  window.addEventListener("resize", function () { justify(tiles()); });

  // The server sends one page of a large gallery; the next pages come as
  // the visitor nears the end of the grid (or the viewer nears the last
  // photo loaded). The pager's links stay for when a page cannot load.
  var links = Array.prototype.slice.call(grid.querySelectorAll("li > a"));
  var offset = +grid.getAttribute("data-offset") || 0; // photos before this page
  var total = +grid.getAttribute("data-count") || links.length;
  var pages = document.querySelector("nav.pages");
  var loading = null;
  function nextLink() { return pages && pages.querySelector("a[rel=next][data-part]"); }
  function loadMore() {
    var a = nextLink();
    if (!a || !window.fetch) return Promise.resolve(false);
    if (loading) return loading;
    loading = fetch(a.getAttribute("data-part"), { credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.text();
      })
      .then(function (text) {
        var t = document.createElement("template");
        t.innerHTML = text;
        var part = t.content.querySelector("ul[data-last]");
        if (!part) throw new Error("no tiles");
        var items = Array.prototype.slice.call(part.children);
        items.forEach(function (li) { grid.appendChild(li); });
        justify(items);
        links = Array.prototype.slice.call(grid.querySelectorAll("li > a"));
        pages.querySelector(".last").textContent = part.getAttribute("data-last");
        var next = part.getAttribute("data-next");
        if (next) {
          a.href = next;
          a.setAttribute("data-part", part.getAttribute("data-part"));
        } else {
          a.remove();
        }
        loading = null;
        watch();
        return true;
      })
      .catch(function () {
        a.removeAttribute("data-part"); // the plain link still works
        loading = null;
        return false;
      });
    return loading;
  }
  var watcher = null;
  function watch() { // a fresh observation reports at once if the pager is already near
    if (!watcher) return;
    watcher.disconnect();
    if (nextLink()) watcher.observe(pages);
  }
  if (pages && "IntersectionObserver" in window) {
    watcher = new IntersectionObserver(function (es) {
      if (es.some(function (e) { return e.isIntersecting; })) loadMore();
    }, { rootMargin: "0px 0px 1500px 0px" });
    watch();
  }

  // data-download: "1" downloads, "pin" leads to the PIN form first.
  var canDownload = grid.hasAttribute("data-download");
  var current = -1;

  var viewer = document.createElement("div");
  viewer.className = "viewer";
  viewer.hidden = true;
  viewer.setAttribute("role", "dialog");
  viewer.setAttribute("aria-modal", "true");
  viewer.setAttribute("aria-label", "Photo viewer");
  viewer.innerHTML =
    '<div class="bar"><span class="counter" aria-live="polite"></span>' +
    '<span class="tools"><button type="button" class="heart" aria-pressed="false" title="Favourite">♥</button>' +
    '<a class="button download" download>Download</a>' +
    '<button type="button" class="close" aria-label="Close">Close</button></span></div>' +
    '<div class="stage"><button type="button" class="nav prev" aria-label="Previous">‹</button>' +
    '<img alt=""><button type="button" class="nav next" aria-label="Next">›</button></div>';
  document.body.appendChild(viewer);
  var img = viewer.querySelector(".stage img");
  var counter = viewer.querySelector(".counter");
  var dl = viewer.querySelector(".download");
  if (!canDownload) dl.remove();
  else if (grid.getAttribute("data-download") === "pin") dl.removeAttribute("download");
  var heart = viewer.querySelector(".heart");
  function favForm(i) { return links[i] && links[i].parentNode.querySelector("form.fav"); }
  if (!grid.hasAttribute("data-fav")) heart.remove();
  else {
    heart.addEventListener("click", function () { var f = favForm(current); if (f) favSubmit(f); });
    document.addEventListener("pinhole:fav", function () { syncHeart(); });
  }
  function syncHeart() {
    var f = favForm(current);
    if (f) heart.setAttribute("aria-pressed", f.querySelector("button").getAttribute("aria-pressed"));
  }
  var preloaded = {};

  // The viewer offers the tile's renditions (its srcset) at the size the
  // photo takes on the stage, so the browser picks the one that fills it.
  function stageSizes(thumb) {
    var r = (+thumb.getAttribute("width") || 3) / (+thumb.getAttribute("height") || 2);
    var st = viewer.querySelector(".stage");
    var w = st.clientWidth || window.innerWidth, h = st.clientHeight || window.innerHeight;
    return Math.ceil(Math.min(w, h * r)) + "px";
  }

  function preload(i) {
    if (i < 0 || i >= links.length || preloaded[i]) return;
    var thumb = links[i].querySelector("img");
    preloaded[i] = new Image();
    preloaded[i].sizes = stageSizes(thumb);
    preloaded[i].srcset = thumb.getAttribute("srcset");
  }

  function show(i) {
    if (i < 0 || offset + i >= total) return;
    if (i >= links.length) { // past the tiles loaded so far
      loadMore().then(function (ok) { if (ok && !viewer.hidden) show(i); });
      return;
    }
    if (i + 3 >= links.length) loadMore();
    current = i;
    var a = links[i], thumb = a.querySelector("img");
    img.sizes = stageSizes(thumb);
    img.srcset = thumb.getAttribute("srcset");
    img.src = thumb.getAttribute("src");
    img.width = +thumb.getAttribute("width");
    img.height = +thumb.getAttribute("height");
    img.alt = thumb.alt;
    counter.textContent = (offset + i + 1) + " / " + total;
    if (canDownload) dl.href = a.getAttribute("href").replace(/\/p\/(\d+)$/, "/d/$1");
    syncHeart();
    preload(i + 1);
    preload(i - 1);
  }

  function open(i) {
    viewer.hidden = false;
    document.body.classList.add("viewing");
    show(i);
    viewer.querySelector(".close").focus();
  }

  function close() {
    if (viewer.hidden) return;
    viewer.hidden = true;
    document.body.classList.remove("viewing");
    img.removeAttribute("srcset");
    img.removeAttribute("src");
    if (links[current]) links[current].focus();
  }

  grid.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("li > a");
    if (!a || !grid.contains(a)) return;
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || e.button !== 0) return;
    e.preventDefault();
    open(links.indexOf(a));
  });
  viewer.querySelector(".close").addEventListener("click", close);
  viewer.querySelector(".prev").addEventListener("click", function () { show(current - 1); });
  viewer.querySelector(".next").addEventListener("click", function () { show(current + 1); });
  document.addEventListener("keydown", function (e) {
    if (viewer.hidden || document.querySelector("dialog[open]")) return;
    if (e.key === "ArrowRight") { show(current + 1); e.preventDefault(); }
    else if (e.key === "ArrowLeft") { show(current - 1); e.preventDefault(); }
    else if (e.key === "Escape") { close(); e.preventDefault(); }
  });

  // Swipe: a mostly horizontal move of 50 px or more.
  var sx = 0, sy = 0;
  viewer.addEventListener("touchstart", function (e) {
    sx = e.changedTouches[0].clientX; sy = e.changedTouches[0].clientY;
  }, { passive: true });
  viewer.addEventListener("touchend", function (e) {
    var dx = e.changedTouches[0].clientX - sx, dy = e.changedTouches[0].clientY - sy;
    if (Math.abs(dx) > 50 && Math.abs(dx) > Math.abs(dy)) show(current + (dx < 0 ? 1 : -1));
    else if (dy > 90 && Math.abs(dy) > Math.abs(dx)) close();
  }, { passive: true });
})();
