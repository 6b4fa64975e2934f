// CollectorCluster web console: live updates over server-sent events. Served by the node; no outside code.
// Every element with data-feed follows the accounts it names: cells marked data-field inside the element marked
// data-account="ID" take the pushed values; an element with data-reload="lines" reloads its message-lines table
// when its account's last collection changes.
"use strict";
(function () {
  function text(node, value) {
    if (node.textContent !== value) { node.textContent = value; }
  }
  function apply(row) {
    document.querySelectorAll("[data-account]").forEach(function (holder) {
      if (holder.getAttribute("data-account") !== row.id) { return; }
      holder.querySelectorAll("[data-field]").forEach(function (cell) {
        var field = cell.getAttribute("data-field");
        if (field === "status") {
          var badge = cell.querySelector(".badge");
          if (badge) { text(badge, row.status); badge.className = "badge " + row.status; } else { text(cell, row.status); }
        } else if (field === "health") {
          text(cell, row.healthReason ? row.health + ": " + row.healthReason : row.health);
        } else if (row[field] !== undefined) {
          text(cell, String(row[field]));
        }
      });
      if (holder.getAttribute("data-reload") === "lines") {
        var seen = holder.getAttribute("data-seen");
        var now = row.lastCollection + "|" + row.onServer + "|" + row.totalCollected;
        holder.setAttribute("data-seen", now);
        if (seen !== null && seen !== now) { reloadLines(holder); }
      }
    });
  }
  function reloadLines(holder) {
    fetch(window.location.pathname, { credentials: "same-origin" }).then(function (r) { return r.ok ? r.text() : null; }).then(function (html) {
      if (!html) { return; }
      var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("table.lines");
      var old = holder.querySelector("table.lines");
      if (fresh && old) { old.replaceWith(document.importNode(fresh, true)); }
    });
  }
  document.querySelectorAll("[data-feed]").forEach(function (el) {
    if (typeof EventSource === "undefined") { return; }
    var source = new EventSource(el.getAttribute("data-feed"));
    source.addEventListener("account", function (e) { apply(JSON.parse(e.data)); });
  });
})();
