// Render a Kibana Vega panel's spec headless with the Vega libraries Kibana embeds (see package.json), on the
// Elasticsearch responses its requests got, and say what was drawn. Used by tests/test_vega_render.py.
//
// stdin: {"spec": <the Vega or Vega-Lite spec, as saved>,
//         "data": [{"url": <a data url object exactly as in the spec>, "response": <the Elasticsearch response body>}],
//         "width": <the panel's width, default 400>, "height": <its height, default 300>}
// stdout: {"svg": "<svg ...>", "vega": <the Vega spec that was run>, "warnings": [...], "errors": [...],
//          "marks": [{"name", "type", "items": [{"datum", "x", "y", "width", "height", "text", "tooltip"}]}],
//          "axes": [{"scale", "orient", "title", "labels": [...]}], "missing_fields": [...]}
// "marks" are the spec's own marks (not axes or legends); "missing_fields" names each encoding field that no row of
// the view's data has. Exit status 0 whenever the output is JSON (errors are reported in it), 2 for bad input.
//
// What Kibana's Vega panel does (VegaParser) and this script repeats: every "data" whose url is an object is an
// Elasticsearch request; the entry gets the raw response body as its "values" in place of the url, in the spec as
// written, and the entry's "format" (e.g. {"property": "aggregations.rising.buckets"}) then picks the rows, as Vega's
// JSON reader does. A Vega-Lite spec is compiled after that; a single view gets Kibana's sizing (autosize fit,
// width and height of the container, here "width" x "height"). Not repeated: Kibana's default colours and theme.
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
          text: it.text ?? null, tooltip: it.tooltip ?? null,
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
  const out = {svg: "", vega: null, warnings, errors, marks: [], axes: [], missing_fields: []};
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
    let vegaSpec = spec;
    if (isVegaLite) {
      const normalized = vegaLite.compile(structuredClone(spec), {logger: collectingLogger([], [])}).normalized;
      // a single view (a mark or layers) fills the panel: Kibana's autosize fit, width and height "container"
      if ("mark" in normalized || "layer" in normalized) kibanaAutosize(spec, warnings);
      vegaSpec = vegaLite.compile(spec, {logger}).spec;
    } else {
      kibanaAutosize(spec, warnings);
    }
    out.vega = vegaSpec;

    const view = new vega.View(vega.parse(vegaSpec, null, {logger}), {renderer: "none", logger});
    view.logLevel(vega.Warn);
    await view.runAsync();
    // the panel's size, as Kibana's view sets it from its container (after the first run, which sizes to the default)
    if (useResize(spec)) {
      view.width(input.width ?? 400).height(input.height ?? 300);
      await view.runAsync();
    }
    out.svg = await view.toSVG();
    Object.assign(out, describe(view.scenegraph().root));

    // a field the encoding names that no row of the data has: a wrong field name draws nothing, or NaN, silently
    // (rows: every dataset of the view after its transforms; none at all, e.g. nothing rose, is nothing to check)
    const rows = (vegaSpec.data ?? []).flatMap((d) => view.data(d.name) ?? []);
    if (rows.length) {
      for (const f of encodingFields(input.spec)) {
        const get = vega.field(f);
        const has = rows.some((row) => {
          try {
            return get(row) !== undefined;
          } catch {
            return false;
          }
        });
        if (!has) out.missing_fields.push(`no row of the data has the field ${JSON.stringify(f)}`);
      }
    }
  } catch (e) {
    errors.push(e && e.message ? e.message : String(e));
  }
  process.stdout.write(JSON.stringify(out));
}

main();
