// HealthBlock pages: draws every element with data-hb-chart using uPlot (served from this assembly, no CDN).
// Each chart keeps its uPlot instance on the element (el.hbPlot) and its last answer (el.hbData), and writes
// data-points / data-peaks once drawn, so a reader (or a browser test) can tell what was plotted.
(function () {
  "use strict";

  function width(el) { return Math.max(320, el.clientWidth || 800); }

  async function getJson(url) {
    const response = await fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } });
    const body = await response.json();
    if (!response.ok) { throw new Error(body && body.error ? body.error : "HTTP " + response.status); }
    return body;
  }

  // R-peak markers on the x grid of the strip: the value at the nearest sample, null elsewhere.
  function peakSeries(seconds, values, peaks) {
    const marks = new Array(seconds.length).fill(null);
    let j = 0;
    for (const p of peaks) {
      while (j + 1 < seconds.length && Math.abs(seconds[j + 1] - p) <= Math.abs(seconds[j] - p)) { j++; }
      if (seconds.length > 0) { marks[j] = values[j]; }
    }
    return marks;
  }

  function spanPlugin(el) {
    const from = Number(el.dataset.spanFrom), to = Number(el.dataset.spanTo);
    if (!from || !to) { return { hooks: {} }; }
    return {
      hooks: {
        drawClear: [function (u) {
          const x0 = u.valToPos(from / 1000, "x", true), x1 = u.valToPos(to / 1000, "x", true);
          u.ctx.save();
          u.ctx.fillStyle = "rgba(230, 120, 0, 0.18)";
          u.ctx.fillRect(x0, u.bbox.top, Math.max(1, x1 - x0), u.bbox.height);
          u.ctx.restore();
        }]
      }
    };
  }

  function draw(el, opts, data) {
    if (el.hbPlot) { el.hbPlot.destroy(); }
    el.hbPlot = new uPlot(opts, data, el);
  }

  function ecgChart(el, series) {
    const marks = peakSeries(series.seconds, series.millivolts, series.rPeakSeconds);
    const opts = {
      width: width(el), height: 220, plugins: [spanPlugin(el)],
      scales: { x: { time: true } },
      series: [
        {},
        { label: series.decimated ? "ECG mV (min/max per bucket)" : "ECG mV", stroke: "#c0392b", width: 1, spanGaps: false },
        { label: "R peak", stroke: "#1f4e99", width: 0, paths: function () { return null; }, points: { show: true, size: 7, fill: "#1f4e99" } }
      ],
      axes: [{}, { label: "mV" }]
    };
    draw(el, opts, [series.seconds, series.millivolts, marks]);
    el.hbData = series;
    el.dataset.points = String(series.seconds.length);
    el.dataset.peaks = String(series.rPeakSeconds.length);
    el.dataset.decimated = String(series.decimated);
  }

  function vitalsChart(el, vitals, kind) {
    const rows = vitals.filter(function (v) { return kind === "bp" ? v.systolicMmHg != null : v.celsius != null; });
    const x = rows.map(function (v) { return v.timeMs / 1000; });
    const data = kind === "bp"
      ? [x, rows.map(function (v) { return v.systolicMmHg; }), rows.map(function (v) { return v.diastolicMmHg; })]
      : [x, rows.map(function (v) { return v.celsius; })];
    const series = kind === "bp"
      ? [{}, { label: "systolic mmHg", stroke: "#8e44ad" }, { label: "diastolic mmHg", stroke: "#2980b9" }]
      : [{}, { label: "temperature °C", stroke: "#d35400" }];
    draw(el, { width: width(el), height: 140, scales: { x: { time: true } }, series: series }, data);
    el.dataset.points = String(x.length);
  }

  function heartRateChart(el) {
    const rows = JSON.parse(el.dataset.series || "[]");
    const opts = { width: width(el), height: 140, scales: { x: { time: true } }, series: [{}, { label: "heart rate bpm", stroke: "#27ae60", points: { show: true } }] };
    draw(el, opts, [rows.map(function (r) { return r[0]; }), rows.map(function (r) { return r[1]; })]);
    el.dataset.points = String(rows.length);
  }

  function fail(el, error) {
    el.dataset.error = error.message;
    el.textContent = "Could not load: " + error.message;
  }

  async function load(el, fromMs, toMs) {
    const kind = el.dataset.hbChart;
    let url = el.dataset.url;
    if (kind !== "live") {
      url += (url.indexOf("?") < 0 ? "?" : "&") + "from=" + Math.floor(fromMs) + "&to=" + Math.ceil(toMs);
      if (kind === "ecg") { url += "&points=" + (el.dataset.maxPoints || Math.min(4000, 2 * width(el))); }
    }
    const started = performance.now();
    try {
      const body = await getJson(url);
      if (kind === "ecg" || kind === "live") { ecgChart(el, body); } else { vitalsChart(el, body, kind); }
      el.dataset.loadedMs = String(Math.round(performance.now() - started));
    } catch (e) { fail(el, e); }
  }

  function rangeOf(el) {
    const from = Number(el.dataset.from), to = Number(el.dataset.to);
    if (from && to) { return [from, to]; }
    const now = Date.now(), minutes = Number(el.dataset.minutes || 10);
    return [now - minutes * 60000, now];
  }

  function start() {
    const charts = Array.prototype.slice.call(document.querySelectorAll("[data-hb-chart]"));
    charts.forEach(function (el) {
      if (el.dataset.hbChart === "hr") {
        heartRateChart(el);
      } else if (el.dataset.hbChart === "live") {
        load(el);
        setInterval(function () { load(el); }, Number(el.dataset.refreshMs || 2000));
      } else if (!el.dataset.group) {
        const r = rangeOf(el);
        load(el, r[0], r[1]);
      }
    });
    document.querySelectorAll("[data-range-for]").forEach(function (controls) {
      const group = charts.filter(function (c) { return c.dataset.group === controls.dataset.rangeFor; });
      const timing = controls.querySelector(".timing");
      async function show(fromMs, toMs) {
        const started = performance.now();
        await Promise.all(group.map(function (c) { return load(c, fromMs, toMs); }));
        if (timing) { timing.textContent = "answered in " + Math.round(performance.now() - started) + " ms"; }
      }
      controls.querySelectorAll("button[data-minutes]").forEach(function (b) {
        b.addEventListener("click", function () { const now = Date.now(); show(now - Number(b.dataset.minutes) * 60000, now); });
      });
      const now = Date.now();
      show(now - Number(controls.dataset.minutes || 10) * 60000, now);
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
