// Render a Kibana Vega panel's spec headless with the Vega libraries Kibana embeds (see package.json), on the
// Elasticsearch responses its requests got, and say what was drawn. Used by tests/test_vega_render.py.
//
// stdin: {"spec": <the Vega or Vega-Lite spec, as saved>,
//         "data": [{"url": <a data url object exactly as in the spec>, "response": <the Elasticsearch response body>}],
//         "width": <the panel's width, default 400>, "height": <its height, default 300>}
// stdout: {"svg": "<svg ...>", "vega": <the Vega spec that was run>, "warnings": [...], "errors": [...],
//          "marks": [{"name", "type", "items": [{"datum", "x", "y", "width", "height", "size", "text", "tooltip"}]}],
//          "axes": [{"scale", "orient", "title", "labels": [...]}], "missing_fields": [...], "map": null or {...}}
// "marks" are the spec's own marks (not axes or legends); "missing_fields" names each encoding field that no row of
// the view's data has (of a Vega mark: no row of the dataset it is drawn from). Exit status 0 whenever the output is JSON (errors are reported in it), 2 for bad input.
//
// What Kibana's Vega panel does (VegaParser) and this script repeats: every "data" whose url is an object is an
// Elasticsearch request; the entry gets the raw response body as its "values" in place of the url, in the spec as
// written, and the entry's "format" (e.g. {"property": "aggregations.rising.buckets"}) then picks the rows, as Vega's
// JSON reader does. A Vega-Lite spec is compiled after that; a single view gets Kibana's sizing (autosize fit,
// width and height of the container, here "width" x "height"). Not repeated: Kibana's default colours and theme.
//
// Map mode ("config": {"kibana": {"type": "map", "latitude", "longitude", "zoom", "mapStyle"}}; VegaMapView):
// Kibana draws a MapLibre map in the panel and the Vega view over it. It takes config.kibana out of the spec, reads
// the initial view (latitude and longitude default 0, zoom 3, kept within 0..20; a mapStyle that is not a boolean
// is a warning), sets "autosize": "none", adds the signals "zoom", "latitude" and "longitude" (unless the spec has
// them) and a projection "projection" (unless the spec has one): a mercator scaled 512 * 2^zoom / 2π (the world is
// 512 px wide at zoom 0, MapLibre's tiles), rotated by -longitude, centred on latitude and translated to the middle
// of the panel; then at each map frame it sets the signals width, height (the map canvas), latitude, longitude and
// zoom (the map's centre and zoom) and runs the view. This script stands in for the map: no base map, no tiles
// (whatever mapStyle says), the centre and zoom of the config as the map would start; the projection is Kibana's
// definition, the signals are set once as at the first frame. A Vega-Lite map spec is reported as an error here.
// Output then has "map": {"latitude", "longitude", "zoom", "mapStyle"}, the view the map was drawn at.
import * as vega from "vega";
import * as vegaLite from "vega-lite";

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on("data", (c) => chunks.push(c));
    process.stdin.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    process.stdin.on("error", reject);
  });
}

// JSON with the keys of every object sorted, so two url objects compare by content
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

const HEADLESS_ONLY = [/^Can not resolve event source: window$/];

function collectingLogger(warnings, errors) {
  let level = vega.Warn;
  const text = (args) => args.map((a) => (a instanceof Error ? a.message : typeof a === "string" ? a : JSON.stringify(a)))
    .join(" ");
  return {
    level(l) {
      if (l === undefined) return level;
      level = l;
      return this;
    },
    error(...args) { errors.push(text(args)); return this; },
    warn(...args) {
      const message = text(args);
      // headless only: no browser window to listen to for resizes (Kibana resizes the view itself)
      if (!HEADLESS_ONLY.some((re) => re.test(message))) warnings.push(message);
      return this;
    },
    info() { return this; },
    debug() { return this; },
  };
}

// Kibana's data loader (VegaParser._findObjectDataUrls): every "data" object, or item of a "data" array, anywhere in
// the spec whose url is an object is a request; only Elasticsearch ones (%type% absent or "elasticsearch") here
function esDataEntries(node, found = [], key = undefined) {
  if (Array.isArray(node)) {
    node.forEach((n) => esDataEntries(n, found, key));
  } else if (node && typeof node === "object") {
    const url = node.url;
    if (key === "data" && url && typeof url === "object" && !Array.isArray(url)) {
      if ((url["%type%"] ?? "elasticsearch") === "elasticsearch") found.push(node);
    } else {
      for (const [k, v] of Object.entries(node)) esDataEntries(v, found, k);
    }
  }
  return found;
}

// the encoding fields of a Vega-Lite spec (its own, its layers' and concatenated views')
function encodingFields(node, found = new Set()) {
  if (Array.isArray(node)) {
    node.forEach((n) => encodingFields(n, found));
  } else if (node && typeof node === "object") {
    if (node.encoding && typeof node.encoding === "object") {
      for (const channel of Object.values(node.encoding)) {
        for (const def of Array.isArray(channel) ? channel : [channel]) {
          if (def && typeof def.field === "string") found.add(def.field);
          if (def && def.sort && typeof def.sort.field === "string") found.add(def.sort.field);
        }
      }
    }
    for (const [k, v] of Object.entries(node)) if (k !== "encoding" && k !== "data") encodingFields(v, found);
  }
  return found;
}

// the marks of a Vega spec (and of its group marks) with the dataset each is drawn from and the "field" of each
// channel of its encode sets: [{data, fields}]
function vegaMarkFields(marks, found = []) {
  for (const mark of Array.isArray(marks) ? marks : []) {
    const fields = new Set();
    for (const set of Object.values(mark?.encode ?? {})) {
      for (const channel of Object.values(set ?? {})) {
        for (const def of Array.isArray(channel) ? channel : [channel]) {
          if (def && typeof def.field === "string") fields.add(def.field);
        }
      }
    }
    if (typeof mark?.from?.data === "string" && fields.size) found.push({data: mark.from.data, fields: [...fields]});
    vegaMarkFields(mark?.marks, found);
  }
  return found;
}

// Kibana's sizing of a Vega spec or a single-view Vega-Lite spec: autosize {type: "fit", contains: "padding"} unless
// the spec says "none"; then width and height are the container's (a width or height of the spec's own is ignored,
// with a warning)
function kibanaAutosize(spec, warnings) {
  const fallback = {type: "fit", contains: "padding"};
  let autosize = spec.autosize;
  if (autosize && typeof autosize === "object" && "signal" in autosize) return;
  if (!autosize && autosize !== undefined) warnings.push('"autosize" can only be disabled by setting it to "none"');
  let resize = true;
  if (typeof autosize === "string") {
    resize = autosize !== "none";
    autosize = {...fallback, type: autosize};
  } else if (autosize && typeof autosize === "object") {
    autosize = {...fallback, ...autosize};
    resize = Boolean(autosize.type && autosize.type !== "none");
  } else {
    autosize = fallback;
  }
  if (resize && ((spec.width && spec.width !== "container") || (spec.height && spec.height !== "container"))) {
    warnings.push('"width" and "height" params are ignored because "autosize" is enabled');
  }
  if (resize) {
    spec.width = "container";
    spec.height = "container";
  }
  spec.autosize = autosize;
}

// Kibana's VegaParser._parseConfig: config.kibana is the host's, taken out of the spec before Vega sees it
function takeKibanaConfig(spec) {
  const config = spec.config && typeof spec.config === "object" ? spec.config.kibana : undefined;
  if (config !== undefined) delete spec.config.kibana;
  if (config !== undefined && (!config || typeof config !== "object" || Array.isArray(config))) {
    throw new Error("If present, config.kibana must be an object");
  }
  return config ?? {};
}

// Kibana's map defaults (vega_map_view/constants.ts) and projection (its injectMapPropsIntoSpec adds it)
const MAP_ZOOM = {min: 0, max: 20, initial: 3};
const KIBANA_PROJECTION = {
  name: "projection", type: "mercator", scale: {signal: "512*pow(2,zoom)/2/PI"},
  rotate: [{signal: "-longitude"}, 0, 0], center: [0, {signal: "latitude"}],
  translate: [{signal: "width/2"}, {signal: "height/2"}], fit: false,
};

// Kibana's VegaParser._parseMapConfig and validateZoomSettings: the map's initial view
function parseMapConfig(config, warnings) {
  const res = {};
  const number = (name, isZoom) => {
    if (config[name] !== undefined) {
      const parsed = parseFloat(config[name]);
      if (Number.isFinite(parsed) && (!isZoom || (parsed >= 0 && parsed <= 30))) {
        res[name] = parsed;
        return;
      }
      warnings.push(`config.kibana.${name} is not valid`);
    }
    if (!isZoom) res[name] = 0;
  };
  ["latitude", "longitude"].forEach((n) => number(n, false));
  ["zoom", "minZoom", "maxZoom"].forEach((n) => number(n, true));
  res.mapStyle = config.mapStyle ?? true;
  if (typeof res.mapStyle !== "boolean") {
    warnings.push("config.kibana.mapStyle must be a boolean value");
    res.mapStyle = true;
  }
  const min = Math.max(res.minZoom ?? MAP_ZOOM.min, MAP_ZOOM.min);
  const max = Math.min(res.maxZoom ?? MAP_ZOOM.max, MAP_ZOOM.max);
  let zoom = res.zoom ?? MAP_ZOOM.initial;
  if (zoom < min || zoom > max) {
    zoom = Math.min(Math.max(zoom, min), max);
    warnings.push(`Resetting "zoom" to ${zoom}`);
  }
  return {latitude: res.latitude, longitude: res.longitude, zoom, mapStyle: res.mapStyle};
}

// Kibana's injectMapPropsIntoSpec (vega-spec-injector: a signal or projection the spec names itself is kept)
function injectMapProps(spec) {
  spec.autosize = "none";
  const addToList = (field, values) => {
    const list = Array.isArray(spec[field]) ? spec[field] : (spec[field] = []);
    const named = new Set(list.map((v) => v && v.name));
    for (const v of values) if (!named.has(v.name)) list.push(structuredClone(v));
  };
  addToList("signals", [{name: "zoom"}, {name: "latitude"}, {name: "longitude"}]);
  addToList("projections", [KIBANA_PROJECTION]);
}

function useResize(spec) {
  return spec.width === "container" && spec.height === "container";
}

function num(v) {
  return typeof v === "number" && Number.isFinite(v) ? Math.round(v * 1000) / 1000 : v ?? null;
}

// the scenegraph: the spec's own marks (role "mark") with their items, and each axis with its labels in order
function describe(scene) {
  const marks = [];
  const axes = [];
  const walk = (mark) => {
    if (!mark || !Array.isArray(mark.items)) return;
    if (mark.role === "mark") {
      marks.push({
        name: mark.name ?? null, type: mark.marktype,
        items: mark.items.map((it) => ({
          datum: it.datum ?? null, x: num(it.x), y: num(it.y), width: num(it.width), height: num(it.height),
          size: num(it.size), text: it.text ?? null, tooltip: it.tooltip ?? null,
        })),
      });
    }
    if (mark.role === "axis") {
      for (const axis of mark.items) {
        const labels = [];
        let title = null;
        for (const part of axis.items ?? []) {
          if (part.role === "axis-label") {
            const items = [...part.items].sort((a, b) => (a.y - b.y) || (a.x - b.x));
            labels.push(...items.map((it) => String(it.text)));
          }
          if (part.role === "axis-title") title = part.items.map((it) => it.text).join(" ") || null;
        }
        axes.push({scale: axis.datum?.scale ?? null, orient: axis.orient ?? axis.datum?.orient ?? null, title, labels});
      }
      return;
    }
    for (const item of mark.items) for (const child of item.items ?? []) walk(child);
  };
  walk(scene);
  return {marks, axes};
}

async function main() {
  let input;
  try {
    input = JSON.parse(await readStdin());
    if (!input || typeof input.spec !== "object") throw new Error('no "spec" object');
  } catch (e) {
    process.stderr.write(`render.mjs: stdin must be {"spec": {...}, "data": [{"url": {...}, "response": {...}}]}: ${e.message}\n`);
    process.exit(2);
  }
  const warnings = [];
  const errors = [];
  const logger = collectingLogger(warnings, errors);
  const out = {svg: "", vega: null, map: null, warnings, errors, marks: [], axes: [], missing_fields: []};
  try {
    // Kibana's VegaParser: the responses first (in the spec as written), then Vega-Lite compiled with its sizing
    const spec = structuredClone(input.spec);
    const responses = new Map((input.data ?? []).map((d) => [canonical(d.url), d.response]));
    for (const entry of esDataEntries(spec)) {
      const key = canonical(entry.url);
      if (!responses.has(key)) {
        errors.push(`data ${JSON.stringify(entry.name ?? null)}: no response given for its url ${JSON.stringify(entry.url)}`);
        continue;
      }
      entry.values = responses.get(key);
      delete entry.url;
    }
    const isVegaLite = /\/vega-lite\//.test(String(spec.$schema ?? ""));
    const kibanaConfig = takeKibanaConfig(spec);
    const useMap = kibanaConfig.type === "map";
    if (useMap && isVegaLite) throw new Error("this stand-in renders map mode for Vega specs only, not Vega-Lite");
    let vegaSpec = spec;
    if (isVegaLite) {
      const normalized = vegaLite.compile(structuredClone(spec), {logger: collectingLogger([], [])}).normalized;
      // a single view (a mark or layers) fills the panel: Kibana's autosize fit, width and height "container"
      if ("mark" in normalized || "layer" in normalized) kibanaAutosize(spec, warnings);
      vegaSpec = vegaLite.compile(spec, {logger}).spec;
    } else {
      kibanaAutosize(spec, warnings);
      if (useMap) {
        out.map = parseMapConfig(kibanaConfig, warnings);
        injectMapProps(spec);
      }
    }
    out.vega = vegaSpec;

    const view = new vega.View(vega.parse(vegaSpec, null, {logger}), {renderer: "none", logger});
    view.logLevel(vega.Warn);
    if (useMap) {
      // the map's first frame (Kibana's updateVegaView): the canvas size, the map's centre and zoom
      view.signal("width", input.width ?? 400).signal("height", input.height ?? 300);
      view.signal("latitude", out.map.latitude).signal("longitude", out.map.longitude).signal("zoom", out.map.zoom);
    }
    await view.runAsync();
    // the panel's size, as Kibana's view sets it from its container (after the first run, which sizes to the default)
    if (!useMap && useResize(spec)) {
      view.width(input.width ?? 400).height(input.height ?? 300);
      await view.runAsync();
    }
    out.svg = await view.toSVG();
    Object.assign(out, describe(view.scenegraph().root));

    // a field the encoding names that no row of the data has: a wrong field name draws nothing, or NaN, silently
    // (Vega-Lite: the rows of every dataset of the view after its transforms; Vega: those of the dataset the mark is
    // drawn from; no rows, e.g. nothing rose, is nothing to check)
    const missing = (fields, rows) => {
      if (!rows.length) return;
      for (const f of fields) {
        const get = vega.field(f);
        const has = rows.some((row) => {
          try {
            return get(row) !== undefined;
          } catch {
            return false;
          }
        });
        const message = `no row of the data has the field ${JSON.stringify(f)}`;
        if (!has && !out.missing_fields.includes(message)) out.missing_fields.push(message);
      }
    };
    if (isVegaLite) {
      missing([...encodingFields(input.spec)], (vegaSpec.data ?? []).flatMap((d) => view.data(d.name) ?? []));
    } else {
      for (const {data, fields} of vegaMarkFields(vegaSpec.marks)) {
        let rows = [];
        try {
          rows = view.data(data) ?? [];
        } catch {
          continue;           // a mark drawn from another mark (reactive geometry): not a dataset
        }
        missing(fields, rows);
      }
    }
  } catch (e) {
    errors.push(e && e.message ? e.message : String(e));
  }
  process.stdout.write(JSON.stringify(out));
}

main();
