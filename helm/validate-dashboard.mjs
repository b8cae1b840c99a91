// Offline check of a Grafana dashboard JSON: the layout is sound (unique panel ids, panels
// inside the 24-column grid, no overlaps), every query parses as PromQL (Prometheus' own
// lezer grammar) and names only metrics from the expected set. Exits 1 on any problem.
import { readFileSync } from 'node:fs';
import { parser } from '@prometheus-io/lezer-promql';

const [file, ...expected] = process.argv.slice(2);
const dashboard = JSON.parse(readFileSync(file, 'utf8'));
const problems = [];
const ids = new Set();
const cells = new Map();
const seenMetrics = new Set();

// Grafana expands these before Prometheus sees the query.
const expand = expr => expr
  .replaceAll('$__rate_interval', '5m').replaceAll('$__interval', '1m').replace(/\$\w+/g, '.*');

function promqlError(expr) {
  let at = -1;
  parser.parse(expr).iterate({ enter: n => { if (n.type.isError && at < 0) at = n.from; } });
  return at;
}

function metricNames(expr) {
  const names = [];
  const tree = parser.parse(expr);
  tree.iterate({ enter: n => { if (n.name === 'Identifier' && n.node.parent?.name === 'VectorSelector') names.push(expr.slice(n.from, n.to)); } });
  return names;
}

for (const panel of dashboard.panels ?? []) {
  const name = `panel ${panel.id} "${panel.title}"`;
  if (ids.has(panel.id)) problems.push(`${name}: duplicate id`);
  ids.add(panel.id);
  const { x, y, w, h } = panel.gridPos ?? {};
  if (![x, y, w, h].every(Number.isInteger) || x < 0 || w < 1 || x + w > 24 || h < 1) {
    problems.push(`${name}: gridPos outside the 24-column grid`);
  } else {
    for (let r = y; r < y + h; r++) for (let c = x; c < x + w; c++) {
      const key = `${r},${c}`;
      if (cells.has(key)) problems.push(`${name}: overlaps panel ${cells.get(key)}`);
      cells.set(key, panel.id);
    }
  }
  if (panel.type === 'row') continue;
  if (!panel.targets?.length) problems.push(`${name}: no query`);
  for (const target of panel.targets ?? []) {
    const expr = expand(target.expr ?? '');
    const at = promqlError(expr);
    if (at >= 0) problems.push(`${name}: PromQL error at ${at}: ${target.expr}`);
    for (const metric of metricNames(expr)) {
      const base = metric.replace(/_(bucket|sum|count)$/, '');
      if (!expected.includes(metric) && !expected.includes(base)) problems.push(`${name}: unexpected metric ${metric}`);
      seenMetrics.add(expected.includes(metric) ? metric : base);
    }
  }
}
for (const metric of expected) if (!seenMetrics.has(metric)) problems.push(`no panel shows ${metric}`);

problems.forEach(p => console.log(`FAIL ${p}`));
console.log(`${dashboard.panels?.length ?? 0} panels, ${seenMetrics.size} metrics, ${problems.length} problems`);
process.exit(problems.length ? 1 : 0);
