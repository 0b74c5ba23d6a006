// Pinhole's only script: justified rows for the grid and the full-screen
// viewer (keys, swipe, neighbour preloading). Without it the pages still work.
(function () {
  "use strict";
  var grid = document.getElementById("grid");
  if (!grid) return;

  // Justified rows: each photo grows in proportion to its aspect ratio.
  var rowHeight = function () { return window.innerWidth < 600 ? 150 : window.innerWidth < 1400 ? 240 : 300; };
  var items = Array.prototype.slice.call(grid.querySelectorAll("li"));
  function justify() {
    var h = rowHeight();
    items.forEach(function (li) {
      var img = li.querySelector("img");
      var r = (+img.getAttribute("width") || 3) / (+img.getAttribute("height") || 2);
      li.style.flex = (r * 100) + " 1 " + Math.round(r * h) + "px";
    });
    grid.classList.add("justified");
  }
  justify();
  window.addEventListener("resize", justify);

  var links = Array.prototype.slice.call(grid.querySelectorAll("a[data-large]"));
  var count = links.length;
  var canDownload = grid.hasAttribute("data-download");
  var current = -1;

  var viewer = document.createElement("div");
  viewer.className = "viewer";
  viewer.hidden = true;
  viewer.setAttribute("role", "dialog");
  viewer.setAttribute("aria-modal", "true");
  viewer.innerHTML =
    '<div class="bar"><span class="counter" aria-live="polite"></span>' +
    '<span class="tools"><a class="button download" download>Download</a>' +
    '<button type="button" class="close" aria-label="Close">Close</button></span></div>' +
    '<div class="stage"><button type="button" class="nav prev" aria-label="Previous">‹</button>' +
    '<img alt=""><button type="button" class="nav next" aria-label="Next">›</button></div>';
  document.body.appendChild(viewer);
  var img = viewer.querySelector(".stage img");
  var counter = viewer.querySelector(".counter");
  var dl = viewer.querySelector(".download");
  if (!canDownload) dl.remove();
  var preloaded = {};

  function preload(i) {
    if (i < 0 || i >= count || preloaded[i]) return;
    preloaded[i] = new Image();
    preloaded[i].src = links[i].getAttribute("data-large");
  }

  function show(i) {
    if (i < 0 || i >= count) return;
    current = i;
    var a = links[i];
    img.src = a.getAttribute("data-large");
    img.width = +a.getAttribute("data-w");
    img.height = +a.getAttribute("data-h");
    img.alt = a.getAttribute("data-name");
    counter.textContent = (i + 1) + " / " + count;
    if (canDownload) dl.href = a.getAttribute("data-download");
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
    img.removeAttribute("src");
    if (links[current]) links[current].focus();
  }

  links.forEach(function (a, i) {
    a.addEventListener("click", function (e) {
      if (e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || e.button !== 0) return;
      e.preventDefault();
      open(i);
    });
  });
  viewer.querySelector(".close").addEventListener("click", close);
  viewer.querySelector(".prev").addEventListener("click", function () { show(current - 1); });
  viewer.querySelector(".next").addEventListener("click", function () { show(current + 1); });
  document.addEventListener("keydown", function (e) {
    if (viewer.hidden) return;
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
