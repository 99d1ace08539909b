/* whatweknow page: map, timeline, brief with citations, claims table, search.
   Plain JS, no build step. Everything comes from this server's /api and /static. */
"use strict";
(function () {
  const vendor = JSON.parse(document.getElementById("wwk-config").textContent);
  const $ = (sel) => document.querySelector(sel);
  // state, exposed for tests and the console
  const wwk = { token: sessionStorage.getItem("wwk-token") || "", events: [], located: 0, markers: 0,
    basemap: false, ready: { map: false, brief: false, claims: false } };
  window.wwk = wwk;

  const PALETTE = ["#d7301f", "#1f78b4", "#33a02c", "#ff7f00", "#6a3d9a", "#b15928", "#e7298a",
    "#1b9e77", "#7570b3", "#66a61e", "#a6761d", "#666666"];
  const typeColour = new Map();
  function colourOf(type) {
    if (!typeColour.has(type)) typeColour.set(type, PALETTE[typeColour.size % PALETTE.length]);
    return typeColour.get(type);
  }
  const human = (s) => (s || "other").replace(/_/g, " ");

  function el(tag, attrs, ...kids) {
    const n = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") n.className = v;
      else if (k === "text") n.textContent = v;
      else if (k.startsWith("on")) n.addEventListener(k.slice(2), v);
      else if (k.startsWith("data-")) n.setAttribute(k, v);
      else n.setAttribute(k, v);
    }
    for (const kid of kids.flat()) {
      if (kid === null || kid === undefined || kid === false) continue;
      n.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
    }
    return n;
  }
  const SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, ...kids) {
    const n = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) n.setAttribute(k, v);
    for (const kid of kids) n.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
    return n;
  }

  function status(msg, isError) {
    const s = $("#status");
    s.textContent = msg || "";
    s.classList.toggle("error", !!isError);
  }

  async function api(path, params) {
    const url = new URL(path, window.location.origin);
    for (const [k, v] of Object.entries(params || {})) if (v !== "" && v !== null && v !== undefined) url.searchParams.set(k, v);
    const headers = { Accept: "application/json" };
    if (wwk.token) headers.Authorization = "Bearer " + wwk.token;
    const res = await fetch(url, { headers });
    let body = null;
    try { body = await res.json(); } catch (e) { body = null; }
    if (res.status === 401) { $("#auth").hidden = false; }
    if (!res.ok) throw new Error((body && body.error) || ("HTTP " + res.status));
    return body;
  }

  function fmtDate(s, withTime) {
    if (!s) return "undated";
    const d = new Date(s);
    if (isNaN(d)) return s;
    const opts = { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" };
    if (withTime) Object.assign(opts, { hour: "2-digit", minute: "2-digit" });
    return d.toLocaleString("en-GB", opts) + (withTime ? " UTC" : "");
  }
  // A time window's start at a precision: windows are resolved in the place's own time zone,
  // so a day opens at local midnight (20:00 UTC the day before in Yerevan); read twelve hours
  // later it is that local day anywhere from UTC-12 to UTC+12 (as the brief does).
  function fmtWhen(s, precision) {
    if (!s) return "undated";
    if (precision === "hour" || precision === "minute") return fmtDate(s, true);
    const d = new Date(Date.parse(s) + 12 * 36e5);
    if (isNaN(d)) return s;
    const y = d.getUTCFullYear();
    if (precision === "decade") return `${Math.floor(y / 10) * 10}s`;
    if (precision === "year" || precision === "season") return String(y);
    if (precision === "month") return d.toLocaleString("en-GB", { month: "short", year: "numeric", timeZone: "UTC" });
    return d.toLocaleString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  }
  const fmtNum = (v) => (v === null || v === undefined ? "?" : Number(v).toLocaleString("en-GB"));
  function sideLabel(f) {
    return [f.side || "side not stated", f.kind || ""].join(" ").trim();
  }

  // ------------------------------------------------------------------ the map
  let map = null, cluster = null;
  function initMap() {
    const box = $("#map");
    if (!window.L) {
      box.classList.add("nomap");
      box.textContent = "The map library is not installed (run: bash scripts/build-web-assets.sh). Events are listed in the timeline.";
      return;
    }
    map = L.map(box, { worldCopyJump: true, maxZoom: 10, minZoom: 1, attributionControl: true, preferCanvas: false });
    map.setView([30, 20], 2);
    map.attributionControl.setPrefix(false);
    cluster = L.markerClusterGroup ? L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 }) : L.featureGroup();
    cluster.addTo(map);
    if (vendor.basemap && window.topojson) {
      fetch("/static/vendor/world-atlas/countries-50m.json")
        .then((r) => { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
        .then((topo) => {
          const land = unwrapLongitudes(topojson.feature(topo, topo.objects.countries));
          L.geoJSON(land, { renderer: L.canvas(), interactive: false,
            style: { color: "#8a9aa6", weight: 0.6, fillColor: "#fbfaf6", fillOpacity: 1 } }).addTo(map).bringToBack();
          map.attributionControl.addAttribution("Boundaries: Natural Earth via world-atlas");
          wwk.basemap = true;
        })
        .catch((e) => { $("#map-note").textContent = "Basemap could not be loaded (" + e.message + ")."; });
    } else {
      $("#map-note").textContent = "No basemap installed (run: bash scripts/build-web-assets.sh): markers are shown without country boundaries.";
    }
    if (!L.markerClusterGroup) $("#map-note").textContent += " Marker clustering is not installed.";
  }

  // rings that cross the antimeridian jump from +180 to -180: keep them continuous
  // (e.g. 190 instead of -170) so no line is drawn across the whole world
  function unwrapRing(ring) {
    let shift = 0;
    return ring.map((pt, i) => {
      if (i) {
        const prev = ring[i - 1][0];
        if (pt[0] - prev > 180) shift -= 360; else if (prev - pt[0] > 180) shift += 360;
      }
      return [pt[0] + shift, pt[1]];
    });
  }
  function unwrapLongitudes(fc) {
    for (const f of fc.features) {
      const g = f.geometry;
      if (!g) continue;
      if (g.type === "Polygon") g.coordinates = g.coordinates.map(unwrapRing);
      else if (g.type === "MultiPolygon") g.coordinates = g.coordinates.map((poly) => poly.map(unwrapRing));
    }
    return fc;
  }

  function markerRadius(n) { return Math.min(30, 6 + 3 * Math.sqrt(n || 0)); }

  function drawEvents(events) {
    const located = events.filter((e) => e.location && e.location.lat !== null && e.location.lon !== null);
    wwk.located = located.length;
    $("#map-count").textContent = `${located.length} of ${events.length} events located`;
    if (!map) { wwk.ready.map = true; return; }
    cluster.clearLayers();
    const markers = located.map((e) => {
      const m = L.circleMarker([e.location.lat, e.location.lon], {
        radius: markerRadius(e.fatalities_total), color: "#222", weight: 1,
        fillColor: colourOf(e.event_type), fillOpacity: e.is_background ? 0.35 : 0.8,
      });
      m.wwkEvent = e.id;
      m.bindPopup(() => eventPopup(e));
      return m;
    });
    if (cluster.addLayers) cluster.addLayers(markers); else markers.forEach((m) => cluster.addLayer(m));
    wwk.markers = markers.length;
    if (markers.length) map.fitBounds(L.latLngBounds(markers.map((m) => m.getLatLng())).pad(0.3), { maxZoom: 8 });
    wwk.ready.map = true;
  }

  function eventPopup(e) {
    const figs = (e.fatalities || []).map((f) => el("li", {}, `${sideLabel(f)}: ${fmtNum(f.best)} killed`));
    return el("div", { class: "popup" },
      el("strong", { text: human(e.event_type) }), el("br"),
      `${fmtWhen(e.start, e.time_precision)} · ${e.location.name}${e.location.country ? " (" + e.location.country + ")" : ""}`,
      figs.length ? el("ul", {}, figs) : null,
      el("div", { class: "note" }, `${(e.documents || []).length} document(s): ${(e.sources || []).join(", ")}`));
  }

  function drawLegend(events) {
    const types = [...new Set(events.map((e) => e.event_type))].sort();
    types.forEach(colourOf);
    $("#legend").replaceChildren(...types.map((t) => el("li", {}, el("span", { class: "swatch", style: `background:${colourOf(t)}` }), human(t))),
      el("li", { class: "note" }, "size: reported dead"));
  }

  // ------------------------------------------------------------------ the timeline
  function sparkline(history) {
    const pts = history.filter((p) => p.value !== null && p.as_of);
    if (pts.length < 2) return null;
    const W = 120, H = 28, P = 3;
    const xs = pts.map((p) => Date.parse(p.as_of)), ys = pts.map((p) => p.value);
    const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = 0, y1 = Math.max(...ys) || 1;
    const sx = (x) => P + (x1 === x0 ? 0 : (x - x0) / (x1 - x0)) * (W - 2 * P);
    const sy = (y) => H - P - ((y - y0) / (y1 - y0)) * (H - 2 * P);
    const d = pts.map((p, i) => `${i ? "L" : "M"}${sx(xs[i]).toFixed(1)},${sy(p.value).toFixed(1)}`).join(" ");
    return svg("svg", { class: "spark", width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: "img",
      "aria-label": "figure history: " + pts.map((p) => p.value).join(", ") },
      svg("path", { d, fill: "none", stroke: "#a11", "stroke-width": 1.5 }),
      ...pts.map((p, i) => svg("circle", { cx: sx(xs[i]), cy: sy(p.value), r: 2, fill: "#a11" },
        svg("title", {}, `${fmtNum(p.value)} — ${p.claimant || "unattributed"}, ${fmtDate(p.as_of)}`))));
  }

  function drawTimeline(events) {
    const dated = events.filter((e) => e.start).sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
    // the chart shows the current events of the 90 days up to the latest one
    const latest = dated.length ? Math.max(...dated.map((e) => Date.parse(e.start))) : 0;
    const current = dated.filter((e) => !e.is_background && Date.parse(e.start) >= latest - 90 * 864e5);
    const chart = $("#timeline-chart");
    chart.replaceChildren();
    if (current.length) {
      const W = 800, H = 90, P = 20;
      const t = current.map((e) => Date.parse(e.start));
      const t0 = Math.min(...t), t1 = Math.max(...t);
      const sx = (x) => P + (t1 === t0 ? 0.5 : (x - t0) / (t1 - t0)) * (W - 2 * P);
      const lanes = new Map();
      const s = svg("svg", { viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: "none", role: "img", "aria-label": "events over time" },
        svg("line", { x1: P, x2: W - P, y1: H - 18, y2: H - 18, stroke: "#999" }),
        svg("text", { x: P, y: H - 4, "font-size": 11, fill: "#555" }, fmtWhen(current[0].start, current[0].time_precision)),
        svg("text", { x: W - P, y: H - 4, "font-size": 11, fill: "#555", "text-anchor": "end" }, fmtWhen(current[current.length - 1].start, current[current.length - 1].time_precision)));
      current.forEach((e) => {
        const x = Math.round(sx(Date.parse(e.start)));
        const lane = lanes.get(x) || 0; lanes.set(x, lane + 1);
        s.append(svg("circle", { cx: x, cy: H - 28 - (lane % 5) * 12, r: Math.min(9, 3 + Math.sqrt(e.fatalities_total || 0) / 2),
          fill: colourOf(e.event_type), stroke: "#222", "stroke-width": 0.5, class: "tl-dot" },
          svg("title", {}, `${fmtWhen(e.start, e.time_precision)}: ${human(e.event_type)}`)));
      });
      chart.append(s);
    }
    const ordered = dated.filter((e) => !e.is_background).concat(events.filter((e) => !e.start && !e.is_background),
      dated.filter((e) => e.is_background), events.filter((e) => !e.start && e.is_background));
    const items = ordered.map((e) => {
      const figs = (e.fatalities || []).concat(e.figures || []).filter((f) => f.best !== null || (f.history || []).length);
      const places = (e.places || []).map((p) => p.name).filter(Boolean);
      return el("li", { "data-event": e.id, class: e.is_background ? "background" : "" },
        el("span", { class: "when" }, fmtWhen(e.start, e.time_precision)),
        el("span", { class: "swatch", style: `background:${colourOf(e.event_type)}` }),
        el("strong", {}, human(e.event_type)),
        places.length ? ` — ${[...new Set(places)].slice(0, 4).join(", ")}` : "",
        e.is_background ? el("span", { class: "note" }, " (background)") : "",
        figs.length ? el("ul", { class: "figs" }, figs.map((f) => el("li", {},
          el("span", {}, `${sideLabel(f)} ${f.counted || "killed"}: ${fmtNum(f.best)}`),
          sparkline(f.history || []),
          (f.history || []).length ? el("span", { class: "note" },
            (f.history || []).map((p) => `${fmtNum(p.value)} (${p.claimant || "?"}, ${fmtDate(p.as_of)})`).join(" → ")) : null))) : null);
    });
    $("#timeline-list").replaceChildren(...items);
  }

  // ------------------------------------------------------------------ the document panel
  async function openDoc(docId, span) {
    const panel = $("#doc-panel");
    panel.hidden = false;
    $("#doc-title").textContent = "Loading…";
    $("#doc-meta").textContent = "";
    $("#doc-text").replaceChildren();
    let d;
    try { d = await api("/api/documents/" + encodeURIComponent(docId)); }
    catch (e) { $("#doc-title").textContent = "Document not available"; $("#doc-meta").textContent = e.message; return; }
    $("#doc-title").textContent = d.title || d.id;
    $("#doc-meta").replaceChildren(
      [d.source, fmtDate(d.published_at, true)].filter(Boolean).join(" · "),
      d.url ? el("span", {}, " · ", el("span", { class: "url" }, d.url)) : "");
    const text = d.text || "";
    const box = $("#doc-text");
    panel.dataset.doc = d.id;
    if (span && span.length === 2 && span[1] > span[0] && span[1] <= text.length) {
      const mark = el("mark", { id: "evidence-mark", "data-start": span[0], "data-end": span[1] }, text.slice(span[0], span[1]));
      box.replaceChildren(text.slice(0, span[0]), mark, text.slice(span[1]));
      mark.scrollIntoView({ block: "center" });
    } else {
      // no sentence chosen: mark every evidence sentence lightly
      const parts = []; let at = 0;
      for (const ev of d.evidence || []) {
        const [s, e] = ev.span;
        if (s < at) continue;
        parts.push(text.slice(at, s), el("mark", { class: "other" }, text.slice(s, e)));
        at = e;
      }
      parts.push(text.slice(at));
      box.replaceChildren(...parts);
      panel.scrollTop = 0;
    }
  }
  $("#doc-close").addEventListener("click", () => { $("#doc-panel").hidden = true; });
  document.addEventListener("keydown", (ev) => { if (ev.key === "Escape") $("#doc-panel").hidden = true; });

  function citeLink(c) {
    return el("a", { class: "cite", href: "#", "data-doc": c.doc_id, "data-start": c.span[0], "data-end": c.span[1],
      title: `${c.source || ""} ${fmtDate(c.published_at)}: ${c.sentence_text}`,
      onclick: (ev) => { ev.preventDefault(); openDoc(c.doc_id, c.span); } }, `[${c.n}]`);
  }

  // ------------------------------------------------------------------ the brief
  async function loadBrief() {
    const box = $("#brief");
    let b;
    try { b = await api("/api/brief", { format: "json" }); }
    catch (e) { box.replaceChildren(el("p", { class: "note" }, "Brief not available: " + e.message)); wwk.ready.brief = true; return; }
    const out = [el("p", { class: "note" }, `${b.n_documents} documents from ${b.n_sources} outlets; latest ${fmtDate(b.latest_document_at, true)}`)];
    for (const s of b.sections || []) {
      if (!s.lines || !s.lines.length) continue;
      out.push(el("h3", {}, s.title));
      if (s.key === "sources") {
        out.push(el("ol", { class: "sources" }, s.lines.map((ln) => el("li", {}, ln.text, " ", ln.citations.map(citeLink)))));
      } else if (s.columns && s.columns.length) {
        out.push(el("table", {},
          el("thead", {}, el("tr", {}, s.columns.map((c) => el("th", {}, human(c))), el("th", {}, "sources"))),
          el("tbody", {}, s.lines.map((ln) => el("tr", {},
            s.columns.map((c) => el("td", {}, (ln.cells || {})[c] || "")), el("td", {}, ln.citations.map(citeLink)))))));
      } else {
        out.push(el("ul", {}, s.lines.map((ln) => el("li", {}, ln.text, " ", ln.citations.map(citeLink)))));
      }
    }
    box.replaceChildren(...out);
    wwk.ready.brief = true;
  }

  // ------------------------------------------------------------------ claims
  function figureText(q) {
    if (!q) return "";
    const v = q.value !== null ? fmtNum(q.value) : (q.low !== null ? `${fmtNum(q.low)}–${fmtNum(q.high)}` : "?");
    const who = q.victims && q.victims.country ? q.victims.country + " " : "";
    return `${q.qualifier && q.qualifier !== "exact" ? human(q.qualifier) + " " : ""}${v} ${who}${q.counted || ""}`.trim();
  }
  let claimsSeq = 0;
  async function loadClaims() {
    const seq = ++claimsSeq;
    const params = { limit: 1000, event_type: $("#f-type").value, claimant_country: $("#f-country").value, q: $("#f-text").value.trim() };
    let page;
    try { page = await api("/api/claims", params); }
    catch (e) { status(e.message, true); return; }
    if (seq !== claimsSeq) return;
    $("#claims-count").textContent = `${page.total} shown`;
    $("#claims-table tbody").replaceChildren(...page.items.map((c) => el("tr", { "data-claim": c.id },
      el("td", {}, human(c.event_type)),
      el("td", {}, c.claimant ? `${c.claimant.name}${c.claimant.country ? " (" + c.claimant.country + ")" : ""}` : "—"),
      el("td", {}, figureText(c.quantity)),
      el("td", {}, c.place ? c.place.name : ""),
      el("td", {}, c.time ? fmtWhen(c.time.start, c.time.precision) : ""),
      el("td", {}, el("a", { class: "evid", href: "#", onclick: (ev) => { ev.preventDefault(); openDoc(c.doc_id, c.evidence.span); } },
        c.evidence.text)))));
    document.body.dataset.claims = String(page.total);
    wwk.ready.claims = true;
  }
  let filtersReady = false;
  async function initClaimFilters() {
    if (filtersReady) return;
    filtersReady = true;
    const all = await api("/api/claims", { limit: 1000 });
    const types = [...new Set(all.items.map((c) => c.event_type))].sort();
    const countries = [...new Set(all.items.map((c) => c.claimant && c.claimant.country).filter(Boolean))].sort();
    $("#f-type").append(...types.map((t) => el("option", { value: t }, human(t))));
    $("#f-country").append(...countries.map((t) => el("option", { value: t }, t)));
    let timer = null;
    $("#f-type").addEventListener("change", loadClaims);
    $("#f-country").addEventListener("change", loadClaims);
    $("#f-text").addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(loadClaims, 200); });
  }

  // ------------------------------------------------------------------ search
  function snippetNodes(s) {
    return (s || "").split("**").map((part, i) => (i % 2 ? el("mark", {}, part) : part));
  }
  $("#search-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const q = $("#search-q").value.trim();
    const box = $("#search-results");
    if (!q) { box.hidden = true; return; }
    let page;
    try { page = await api("/api/search", { q, limit: 20 }); }
    catch (e) { box.hidden = false; box.replaceChildren(el("p", { class: "note" }, e.message)); return; }
    box.hidden = false;
    box.replaceChildren(
      el("p", { class: "note" }, `${page.total} document(s) match “${q}”`,
        el("button", { type: "button", style: "margin-left:1rem", onclick: () => { box.hidden = true; } }, "close")),
      el("ol", {}, page.items.map((h) => el("li", { "data-doc": h.doc_id },
        el("a", { href: "#", class: "evid", onclick: (e2) => { e2.preventDefault(); openDoc(h.doc_id, null); } },
          el("strong", {}, h.title || h.doc_id)),
        el("span", { class: "note" }, ` ${h.source || ""} ${fmtDate(h.published_at)}`), el("br"),
        snippetNodes(h.snippet)))));
  });

  // ------------------------------------------------------------------ start
  $("#auth-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    wwk.token = $("#auth-token").value.trim();
    sessionStorage.setItem("wwk-token", wwk.token);
    $("#auth").hidden = true;
    start();
  });

  async function start() {
    status("Loading…");
    try {
      const page = await api("/api/events", { limit: 1000 });
      wwk.events = page.items;
      drawLegend(page.items);
      drawEvents(page.items);
      drawTimeline(page.items);
      status(`${page.total} events`);
    } catch (e) { status(e.message, true); return; }
    loadBrief();
    try { await initClaimFilters(); await loadClaims(); } catch (e) { status(e.message, true); }
  }
  initMap();
  start();
})();
