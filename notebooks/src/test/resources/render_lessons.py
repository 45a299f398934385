"""Renders executed notebooks to HTML (nbconvert's HTML exporter) for the headless-Chromium check.

Usage: python3 render_lessons.py OUT_DIR EXECUTED.ipynb...
Writes OUT_DIR/NAME.html for each, with a script appended that, once the page has loaded, lists
where every SVG picture and table of a cell's output landed on the page (and the page's height)
as JSON in <pre id="vwb-render">, for the test to read from Chromium's --dump-dom; it also counts
outputs that show SVG or table markup as raw text. Prints one line per notebook: the HTML file.
"""
import os
import sys

import nbformat
from nbconvert import HTMLExporter

PROBE = """
<script>
window.addEventListener('load', function () {
  var views = [];
  document.querySelectorAll('.jp-OutputArea-output, .output_subarea').forEach(function (area) {
    area.querySelectorAll('svg, table').forEach(function (el) {
      if (el.tagName.toLowerCase() === 'svg' && el.parentElement.closest('svg')) return;
      var r = el.getBoundingClientRect();
      views.push({kind: el.tagName.toLowerCase(), cls: el.getAttribute('class') || '',
                  changed: el.querySelectorAll('tr.changed, tr.current').length, x: Math.round(r.left + window.scrollX),
                  y: Math.round(r.top + window.scrollY), w: Math.round(r.width), h: Math.round(r.height)});
    });
  });
  var raw = 0;
  document.querySelectorAll('.jp-OutputArea-output pre, .output_subarea pre').forEach(function (pre) {
    if (/<svg|<table/.test(pre.textContent)) raw++;
  });
  var report = document.createElement('pre');
  report.id = 'vwb-render';
  report.style.display = 'none';
  report.textContent = JSON.stringify({height: document.documentElement.scrollHeight, raw: raw, views: views});
  document.body.appendChild(report);
});
</script>
"""


def main():
    out_dir = sys.argv[1]
    for path in sys.argv[2:]:
        nb = nbformat.read(path, as_version=4)
        html, _ = HTMLExporter().from_notebook_node(nb)
        html = html.replace("</body>", PROBE + "</body>", 1)
        name = os.path.splitext(os.path.basename(path))[0] + ".html"
        target = os.path.join(out_dir, name)
        with open(target, "w", encoding="utf-8") as f:
            f.write(html)
        print(target, flush=True)


if __name__ == "__main__":
    main()
