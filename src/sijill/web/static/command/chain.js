// The chain-of-command diagram on a unit page, with a time slider (cytoscape.js, vendored).
// Reads the chain from the JSON API for the chosen day and redraws; the table below is the
// server-rendered answer for the day the page was opened with, and follows the slider too.
(function () {
  "use strict";
  var box = document.getElementById("chain-graph");
  var slider = document.getElementById("chain-slider");
  var dayInput = document.getElementById("chain-day");
  if (!box || !slider || !dayInput || typeof window.cytoscape !== "function") { return; }
  var DAY = 86400000;
  var first = Date.parse(slider.dataset.first);
  var last = Date.parse(slider.dataset.last);
  if (isNaN(first) || isNaN(last) || last < first) { first = last = Date.parse(box.dataset.day); }
  slider.min = "0";
  slider.max = String(Math.round((last - first) / DAY));
  slider.value = String(Math.max(0, Math.round((Date.parse(box.dataset.day) - first) / DAY)));
  var cy = window.cytoscape({
    container: box,
    userZoomingEnabled: true,
    style: [
      { selector: "node", style: { "label": "data(label)", "text-wrap": "wrap", "text-valign": "center",
        "font-size": 11, "shape": "round-rectangle", "width": 170, "height": 60,
        "text-max-width": 160,
        "background-color": "#e4ecef", "border-width": 1, "border-color": "#4a6572" } },
      { selector: "node.start", style: { "background-color": "#f6d8dc", "border-color": "#a51d2d", "border-width": 2 } },
      { selector: "node.possible", style: { "border-style": "dashed", "background-color": "#fff7e0" } },
      { selector: "edge", style: { "curve-style": "bezier", "target-arrow-shape": "triangle", "width": 2,
        "line-color": "#4a6572", "target-arrow-color": "#4a6572" } },
      { selector: "edge.possible", style: { "line-style": "dashed", "line-color": "#b08900", "target-arrow-color": "#b08900" } }
    ]
  });

  function iso(ms) { return new Date(ms).toISOString().slice(0, 10); }

  // A unit's or a commander's name in the reader's script (the answer's `names`), else its id.
  var arabic = box.dataset.lang === "ar";
  function named(doc, kind, id) {
    var n = ((doc.names || {})[kind] || {})[id] || {};
    return (arabic ? (n.name_ar || n.name) : (n.name || n.name_ar)) || id;
  }
  function people(doc, sure, possible) {
    return sure.map(function (p) { return named(doc, "persons", p); })
      .concat(possible.map(function (p) { return named(doc, "persons", p) + "?"; })).join(", ");
  }
  function units(doc, sure, possible) {
    return sure.map(function (p) { return named(doc, "organizations", p); })
      .concat(possible.map(function (p) { return named(doc, "organizations", p) + "?"; })).join(", ");
  }

  function label(doc, level) {
    var who = people(doc, level.commanders, level.possible_commanders);
    return named(doc, "organizations", level.organization_id) + (who ? "\n" + who : "");
  }

  function draw(doc) {
    var elements = [];
    doc.levels.forEach(function (level) {
      elements.push({ data: { id: level.organization_id, label: label(doc, level) },
        classes: (level.depth === 0 ? "start" : "") + (level.possible ? " possible" : "") });
    });
    doc.levels.forEach(function (level) {
      level.parents.forEach(function (p) {
        elements.push({ data: { id: level.organization_id + ">" + p, source: p, target: level.organization_id } });
      });
      level.possible_parents.forEach(function (p) {
        elements.push({ data: { id: level.organization_id + ">" + p, source: p, target: level.organization_id }, classes: "possible" });
      });
    });
    // Rows by depth in the chain: the unit at the bottom, the top of the chain above it.
    var maxDepth = 0, perDepth = {};
    doc.levels.forEach(function (level) { maxDepth = Math.max(maxDepth, level.depth); });
    var positions = {};
    doc.levels.forEach(function (level) {
      var slot = perDepth[level.depth] || 0;
      perDepth[level.depth] = slot + 1;
      positions[level.organization_id] = { x: slot * 210, y: (maxDepth - level.depth) * 110 };
    });
    doc.levels.forEach(function (level) {
      positions[level.organization_id].x -= (perDepth[level.depth] - 1) * 105;
    });
    cy.elements().remove();
    cy.add(elements);
    cy.layout({ name: "preset", positions: function (node) { return positions[node.id()]; }, padding: 20 }).run();
    box.dataset.day = doc.at;
    box.dataset.levels = String(doc.levels.length);
  }

  function cell(row, html) { var td = document.createElement("td"); td.textContent = html; row.appendChild(td); return td; }

  function table(doc) {
    var body = document.querySelector("#chain-table tbody");
    if (!body) { return; }
    body.textContent = "";
    doc.levels.forEach(function (level) {
      var tr = document.createElement("tr");
      if (level.possible) { tr.className = "possible-row"; }
      cell(tr, String(level.depth));
      cell(tr, named(doc, "organizations", level.organization_id) + " " + level.organization_id);
      cell(tr, units(doc, level.parents, level.possible_parents) || "—");
      cell(tr, people(doc, level.commanders, level.possible_commanders) || "—");
      body.appendChild(tr);
    });
  }

  var pending = 0;
  // The server drew the table for the page's day, with links; the slider's days redraw it.
  function load(day, withTable) {
    var ticket = ++pending;
    fetch(box.dataset.api + "?at=" + encodeURIComponent(day), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (doc) { if (doc && ticket === pending) { draw(doc); if (withTable) { table(doc); } } });
  }

  slider.addEventListener("input", function () {
    var day = iso(first + Number(slider.value) * DAY);
    dayInput.value = day;
    load(day, true);
  });
  dayInput.addEventListener("change", function () {
    var ms = Date.parse(dayInput.value);
    if (!isNaN(ms)) { slider.value = String(Math.round((ms - first) / DAY)); load(dayInput.value, true); }
  });
  load(box.dataset.day, false);
}());
