"""Executes notebooks with nbclient against the kernel "vwb" and fails on any error output.

Usage: python3 run_notebooks.py NOTEBOOK...   (JUPYTER_PATH must hold kernels/vwb/kernel.json)
Prints one JSON object per notebook: {"notebook", "cells", "outputs", "errors", "html"}.
With VWB_EXECUTED_DIR set, also writes each executed notebook there (for the rendering check).
"""
import json
import os
import sys

import nbformat
from nbclient import NotebookClient

MAX_OUTPUT = 100_000


def run(path):
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, kernel_name="vwb", timeout=120, startup_timeout=120, allow_errors=True).execute()
    saved = os.environ.get("VWB_EXECUTED_DIR")
    if saved:
        nbformat.write(nb, os.path.join(saved, os.path.basename(path)))
    errors, outputs, html = [], 0, 0
    for i, cell in enumerate(nb.cells):
        # A runaway (a guest looping on an empty bus, a print in a loop) is a failure too, not a page of noise.
        size = sum(len(out.get("text", "")) + sum(len(v) for v in out.get("data", {}).values() if isinstance(v, str))
                   for out in cell.get("outputs", []))
        if size > MAX_OUTPUT:
            errors.append({"cell": i, "source": cell.source, "error": "the cell's output is %d characters (at most %d)" % (size, MAX_OUTPUT)})
        for out in cell.get("outputs", []):
            outputs += 1
            if out.get("output_type") == "error":
                errors.append({"cell": i, "source": cell.source, "error": out.get("evalue", "")})
            if "text/html" in out.get("data", {}):
                html += 1
    return {"notebook": path, "cells": len(nb.cells), "outputs": outputs, "errors": errors, "html": html}


def main():
    for path in sys.argv[1:]:
        print(json.dumps(run(path)), flush=True)


if __name__ == "__main__":
    main()
