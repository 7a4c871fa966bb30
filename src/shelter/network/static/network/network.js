/* The interactive network view: cytoscape (vendored, MIT) draws the records the page was given; the table
   below it holds the same links for screen readers. Text is only ever set as text, never as HTML. */
(function () {
  "use strict";
  var dataNode = document.getElementById("network-data");
  var container = document.getElementById("network-graph");
  if (!dataNode || !container || typeof window.cytoscape !== "function") { return; }
  var data = JSON.parse(dataNode.textContent);
  var status = document.getElementById("network-status");
  var textsNode = document.getElementById("network-texts");
  // The page's words, in its language (English when the page gives none).
  var TEXTS = textsNode ? JSON.parse(textsNode.textContent) : {};
  function say(key, fallback, values) {
    return (TEXTS[key] || fallback).replace(/%\((\w+)\)s/g, function (_, name) { return String(values[name]); });
  }
  var COLOURS = { person: "#1f5fa8", organisation: "#9a6700", incident: "#b42318" };
  var SHAPES = { person: "ellipse", organisation: "round-rectangle", incident: "diamond" };

  function kindLabel(kind) { return (TEXTS.kinds || {})[kind] || kind.replace(/_/g, " "); }
  // A link's kind, with its detail: a coded one (a target's role, a perpetrator's degree) in words.
  function linkLabel(e) {
    var detail = e.detail && (((TEXTS.details || {})[e.kind] || {})[e.detail] || e.detail);
    return kindLabel(e.kind) + (detail ? " (" + detail + ")" : "");
  }
  function nodeElement(n) { return { group: "nodes", data: { id: n.id, label: n.label, kind: n.kind, url: n.url } }; }
  function edgeElement(e) {
    return { group: "edges", data: { id: e.id, source: e.source, target: e.target, kind: e.kind,
      label: linkLabel(e),
      startYear: parseInt((e.start || "").slice(0, 4), 10) || null,
      // a relationship without an end is open; an incident link without one lasts its start year
      endYear: parseInt((e.end || (e.id.indexOf("relationship:") === 0 ? "" : e.start) || "").slice(0, 4), 10) || null } };
  }

  var cy = window.cytoscape({
    container: container,
    elements: data.nodes.map(nodeElement).concat(data.edges.map(edgeElement)),
    wheelSensitivity: 0.3,
    style: [
      { selector: "node", style: { "label": "data(label)", "font-size": 10, "text-wrap": "ellipsis",
        "text-max-width": 140, "text-valign": "bottom", "width": 18, "height": 18, "color": "#1d2330" } },
      { selector: "node[kind = 'person']", style: { "background-color": COLOURS.person, "shape": SHAPES.person } },
      { selector: "node[kind = 'organisation']", style: { "background-color": COLOURS.organisation,
        "shape": SHAPES.organisation } },
      { selector: "node[kind = 'incident']", style: { "background-color": COLOURS.incident, "shape": SHAPES.incident } },
      { selector: "edge", style: { "width": 1.5, "line-color": "#99a3b3", "curve-style": "bezier",
        "target-arrow-shape": "triangle", "target-arrow-color": "#99a3b3", "label": "data(label)", "font-size": 8,
        "color": "#4b5565", "text-rotation": "autorotate" } },
      { selector: "edge[kind = 'informant_for']", style: { "line-color": "#b42318", "line-style": "dashed",
        "target-arrow-color": "#b42318" } },
      { selector: ".filtered", style: { "display": "none" } },
      { selector: ":selected", style: { "border-width": 3, "border-color": "#174a84" } }
    ],
    layout: { name: "cose", animate: false, randomize: false }
  });
  container.setAttribute("data-ready", String(cy.nodes().length));

  function chosenKinds() {
    var kinds = {};
    document.querySelectorAll("input[name=edge-kind]").forEach(function (box) { kinds[box.value] = box.checked; });
    return kinds;
  }
  function yearValue(id) { var v = parseInt(document.getElementById(id).value, 10); return isNaN(v) ? null : v; }
  function passes(kind, first, last, kinds, from, to) {
    if (kinds[kind] === false) { return false; }
    if (from !== null && last !== null && last < from) { return false; }
    if (to !== null && first !== null && first > to) { return false; }
    return true;
  }
  function applyFilters() {
    var kinds = chosenKinds(), from = yearValue("year-from"), to = yearValue("year-to");
    cy.edges().forEach(function (edge) {
      var ok = passes(edge.data("kind"), edge.data("startYear"), edge.data("endYear"), kinds, from, to);
      edge.toggleClass("filtered", !ok);
    });
    document.querySelectorAll("#network-links tbody tr[data-edge]").forEach(function (row) {
      var first = parseInt(row.dataset.start, 10) || null;
      var last = parseInt(row.dataset.end, 10) || (row.dataset.edge.indexOf("relationship:") === 0 ? null : first);
      row.hidden = !passes(row.dataset.kind, first, last, kinds, from, to);
    });
    status.textContent = say("shown", "%(shown)s / %(total)s links shown",
                             { shown: cy.edges().not(".filtered").length, total: cy.edges().length });
  }
  document.querySelectorAll("input[name=edge-kind]").forEach(function (box) { box.addEventListener("change", applyFilters); });
  ["year-from", "year-to"].forEach(function (id) { document.getElementById(id).addEventListener("input", applyFilters); });

  function addRow(e) {
    var row = document.createElement("tr");
    row.dataset.kind = e.kind; row.dataset.start = (e.start || "").slice(0, 4);
    row.dataset.end = (e.end || "").slice(0, 4); row.dataset.edge = e.id;
    var label = function (id) { var n = cy.getElementById(id); return n.nonempty() ? n.data("label") : id; };
    var confidence = (TEXTS.confidence || {})[e.confidence] || e.confidence;
    [label(e.source), linkLabel(e), label(e.target),
     (e.start || "") + (e.end ? " – " + e.end : ""), confidence].forEach(function (text) {
      var cell = document.createElement("td"); cell.textContent = text; row.appendChild(cell);
    });
    var cell = document.createElement("td"), link = document.createElement("a");
    link.href = e.record_url; link.textContent = e.id; cell.appendChild(link);
    e.sources.forEach(function (s) {
      var a = document.createElement("a"); a.href = s.url; a.textContent = s.title;
      cell.appendChild(document.createElement("br")); cell.appendChild(a);
    });
    row.appendChild(cell);
    document.querySelector("#network-links tbody").appendChild(row);
  }

  function expand(node) {
    var parts = node.id().split(":");
    var url = container.dataset.expandUrl.replace("KIND", parts[0]).replace("/0.json", "/" + parts[1] + ".json");
    status.textContent = say("loading", "Loading…", {});
    fetch(url + "?hops=1", { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { if (!response.ok) { throw new Error(String(response.status)); } return response.json(); })
      .then(function (more) {
        var added = cy.collection();
        more.nodes.forEach(function (n) { if (cy.getElementById(n.id).empty()) { added = added.union(cy.add(nodeElement(n))); } });
        more.edges.forEach(function (e) {
          if (cy.getElementById(e.id).empty()) { added = added.union(cy.add(edgeElement(e))); addRow(e); }
        });
        added.nodes().positions(function () { return { x: node.position("x") + (Math.random() - 0.5) * 120,
                                                         y: node.position("y") + (Math.random() - 0.5) * 120 }; });
        container.setAttribute("data-ready", String(cy.nodes().length));
        applyFilters();
        status.textContent = say("added", "%(records)s records and %(links)s links added.",
                                 { records: added.nodes().length, links: added.edges().length }) + " " +
          status.textContent;
      })
      .catch(function (error) {
        status.textContent = say("failed", "Could not load more links (%(error)s).", { error: error.message });
      });
  }
  cy.on("dbltap", "node", function (event) { expand(event.target); });
  document.querySelectorAll("button.network-expand").forEach(function (button) {
    button.addEventListener("click", function () { expand(cy.getElementById(button.dataset.node)); });
  });
  document.getElementById("network-fit").addEventListener("click", function () { cy.fit(undefined, 20); });

  function download(blob, name) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob); link.download = name;
    document.body.appendChild(link); link.click(); link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  }
  document.getElementById("network-png").addEventListener("click", function () {
    download(cy.png({ output: "blob", full: true, scale: 2, bg: "#ffffff" }), "network.png");
  });

  function escapeXml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&apos;" }[c];
    });
  }
  function svgOf() {
    var box = cy.elements().boundingBox(), pad = 30;
    var out = ['<svg xmlns="http://www.w3.org/2000/svg" viewBox="' + (box.x1 - pad) + " " + (box.y1 - pad) + " " +
      (box.w + 2 * pad) + " " + (box.h + 2 * pad) + '" font-family="sans-serif">'];
    cy.edges().not(".filtered").forEach(function (e) {
      var s = e.source().position(), t = e.target().position();
      var colour = e.data("kind") === "informant_for" ? "#b42318" : "#99a3b3";
      out.push('<line x1="' + s.x + '" y1="' + s.y + '" x2="' + t.x + '" y2="' + t.y + '" stroke="' + colour +
        '" stroke-width="1.5"' + (e.data("kind") === "informant_for" ? ' stroke-dasharray="4 3"' : "") +
        "><title>" + escapeXml(e.data("label")) + "</title></line>");
    });
    cy.nodes().forEach(function (n) {
      var p = n.position(), colour = COLOURS[n.data("kind")] || "#737d8c";
      out.push('<circle cx="' + p.x + '" cy="' + p.y + '" r="9" fill="' + colour + '"><title>' +
        escapeXml(n.data("label")) + "</title></circle>");
      out.push('<text x="' + p.x + '" y="' + (p.y + 22) + '" font-size="10" text-anchor="middle">' +
        escapeXml(n.data("label")) + "</text>");
    });
    out.push("</svg>");
    return out.join("\n");
  }
  document.getElementById("network-svg").addEventListener("click", function () {
    download(new Blob([svgOf()], { type: "image/svg+xml" }), "network.svg");
  });
  applyFilters();
}());
