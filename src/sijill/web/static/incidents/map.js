/* The incidents map: Leaflet from this app's own static files, markers from the GeoJSON API.
   No tile or script from outside the machine is needed; a tile URL is used only if configured. */
(function () {
  "use strict";
  var el = document.getElementById("incident-map");
  if (!el || typeof L === "undefined") { return; }
  var ar = el.dataset.lang === "ar";
  var map = L.map(el, { zoomControl: true, attributionControl: true });
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { maxZoom: 18, attribution: el.dataset.tileAttribution || "" }).addTo(map);
  }

  function text(tag, value, cls) {
    var node = document.createElement(tag);
    node.textContent = value;
    if (cls) { node.className = cls; }
    return node;
  }

  function graticule(bounds) {
    var step = 0.1, lines = [];
    var s = Math.floor(bounds.getSouth() / step) * step, n = Math.ceil(bounds.getNorth() / step) * step;
    var w = Math.floor(bounds.getWest() / step) * step, e = Math.ceil(bounds.getEast() / step) * step;
    for (var lat = s; lat <= n + 1e-9; lat += step) { lines.push([[lat, w], [lat, e]]); }
    for (var lon = w; lon <= e + 1e-9; lon += step) { lines.push([[s, lon], [n, lon]]); }
    L.polyline(lines, { className: "graticule", weight: 1, interactive: false }).addTo(map);
  }

  function count(value) { return typeof value === "number" ? value : 0; }

  function markerSize(g) { return Math.round(22 + Math.min(26, Math.sqrt(g.victims) * 3)); }

  // Places whose markers would overlap on screen at the current zoom, gathered greedily
  // (the place with most victims first); each cluster sits at its first place.
  function clusters(places) {
    var out = [];
    places.slice().sort(function (a, b) { return b.victims - a.victims; }).forEach(function (g) {
      var at = map.latLngToLayerPoint([g.lat, g.lon]);
      var near = out.find(function (c) { return at.distanceTo(c.point) < (c.size + markerSize(g)) / 2; });
      if (near) { near.members.push(g); } else {
        out.push({ lat: g.lat, lon: g.lon, point: at, size: markerSize(g), members: [g] });
      }
    });
    return out;
  }

  function popup(group) {
    var box = document.createElement("div");
    box.className = "incident-popup";
    box.dir = ar ? "rtl" : "ltr";
    box.appendChild(text("h3", group.name));
    var list = document.createElement("ul");
    group.features.forEach(function (f) {
      var p = f.properties, item = document.createElement("li"), link = document.createElement("a");
      link.href = "/incidents/" + p.incident_id;
      link.textContent = (ar && p.title_ar) ? p.title_ar : p.title;
      item.appendChild(link);
      item.appendChild(text("span", " · " + p.start_date + " · " + p.victims_documented));
      if (p.alleged_perpetrator_units.length) {
        item.appendChild(document.createElement("br"));
        item.appendChild(text("span", (ar ? "مزعوم: " : "alleged: ") + p.alleged_perpetrator_units.join(", "), "allegation"));
      }
      list.appendChild(item);
    });
    box.appendChild(list);
    return box;
  }

  fetch(el.dataset.geojson, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var groups = {};
      data.features.forEach(function (f) {
        if (!f.geometry) { return; }
        var points = f.geometry.type === "Point" ? [f.geometry.coordinates] : f.geometry.coordinates;
        points.forEach(function (c, i) {
          var key = c[0] + "," + c[1], place = f.properties.places[i] || {};
          var g = groups[key] || (groups[key] = {
            lat: c[1], lon: c[0], features: [], victims: 0, small: false,
            name: (ar && place.name_ar) ? place.name_ar : (place.name_latin || place.name_ar || "")
          });
          g.features.push(f);
          g.victims += count(f.properties.victims_documented);
          g.small = g.small || typeof f.properties.victims_documented === "string";
        });
      });
      var keys = Object.keys(groups);
      var points = keys.map(function (key) { return [groups[key].lat, groups[key].lon]; });
      if (points.length) {
        map.fitBounds(L.latLngBounds(points).pad(0.25), { maxZoom: 12 });
      } else {
        map.setView([35.2, 36.0], 8);
      }
      var layer = L.layerGroup().addTo(map);
      function draw() {
        layer.clearLayers();
        clusters(keys.map(function (key) { return groups[key]; })).forEach(function (c) {
          if (c.members.length === 1) { placeMarker(c.members[0]); } else { clusterMarker(c); }
        });
        el.dataset.clusters = String(layer.getLayers().filter(function (m) { return m.options.cluster; }).length);
      }
      function placeMarker(g) {
        // The number on a place is its documented victims; a place without any shows none.
        var label = g.victims ? String(g.victims) : (g.small ? "<5" : "");
        var size = markerSize(g);
        var icon = L.divIcon({
          className: "incident-marker" + (g.victims || g.small ? "" : " no-victims"),
          html: "", iconSize: [size, size]
        });
        var marker = L.marker([g.lat, g.lon], { icon: icon, title: g.name, keyboard: true }).addTo(layer);
        var node = marker.getElement();
        node.textContent = label;
        node.dataset.victims = String(g.victims);
        node.dataset.incidents = String(g.features.length);
        marker.bindPopup(popup(g));
        // A node, not a string: Leaflet would parse a string as HTML (a place name is data).
        marker.bindTooltip(text("span", g.name), { direction: "top", offset: [0, -size / 2], className: "place-label" });
      }
      function clusterMarker(c) {
        // Places too close to be told apart at this zoom: a square that counts incidents (never
        // victims), opening onto its places when clicked.
        var n = c.members.reduce(function (sum, g) { return sum + g.features.length; }, 0);
        var said = (el.dataset.cluster || "{n}").replace("{n}", n).replace("{places}", c.members.length);
        var icon = L.divIcon({ className: "incident-cluster", html: "", iconSize: [34, 34] });
        var marker = L.marker([c.lat, c.lon], { icon: icon, title: said, keyboard: true, cluster: true }).addTo(layer);
        var node = marker.getElement();
        node.textContent = "\u29C9" + n;
        node.setAttribute("aria-label", said);
        node.dataset.incidents = String(n);
        node.dataset.places = String(c.members.length);
        marker.on("click", function () {
          map.fitBounds(L.latLngBounds(c.members.map(function (g) { return [g.lat, g.lon]; })).pad(0.5));
        });
      }
      map.on("zoomend", draw);
      draw();
      if (!el.dataset.tileUrl) { graticule(map.getBounds().pad(0.5)); }
      el.dataset.markers = String(keys.length);
      el.classList.add("map-ready");
    })
    .catch(function (err) {
      el.dataset.markers = "error";
      el.dataset.error = String(err);
      el.classList.add("map-ready");
    });
})();
