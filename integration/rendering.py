"""Checks that an executed notebook renders the way a reader sees it in Jupyter or on GitHub:
nbconvert turns it into HTML without complaint, no cell shows an error or a traceback, no output
carries raw terminal escape codes, every SVG is well-formed XML with a size, and no single output
is so large that a browser struggles with it."""
import re
import xml.etree.ElementTree as ElementTree

import nbformat
from nbconvert import HTMLExporter

ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL)
LARGEST_OUTPUT = 2_000_000  # characters of one output's richest representation


def output_texts(nb):
    """(cell index, mime type, text) for every output of every code cell."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            if output["output_type"] == "stream":
                yield index, "stream", output["text"]
            elif output["output_type"] == "error":
                yield index, "error", "\n".join(output.get("traceback", [])) or output.get("evalue", "")
            else:
                for mime, data in output.get("data", {}).items():
                    yield index, mime, data if isinstance(data, str) else str(data)


def assert_renders_clean(nb):
    """Fails with the cell and the problem when the executed notebook would render wrong."""
    problems = []
    for index, mime, text in output_texts(nb):
        if mime == "error":
            problems.append(f"cell {index}: error output: {text[:300]}")
        if ANSI_ESCAPE.search(text):
            problems.append(f"cell {index} ({mime}): raw terminal escape codes: {ANSI_ESCAPE.search(text).group()!r}")
        if "Traceback (most recent call last)" in text:
            problems.append(f"cell {index} ({mime}): a traceback")
        if len(text) > LARGEST_OUTPUT:
            problems.append(f"cell {index} ({mime}): {len(text)} characters in one output")
        svgs = [text] if mime == "image/svg+xml" else SVG.findall(text) if mime == "text/html" else []
        for svg in svgs:
            try:
                root = ElementTree.fromstring(svg)
            except ElementTree.ParseError as error:
                problems.append(f"cell {index} ({mime}): an SVG does not parse: {error}")
                continue
            if not (root.get("viewBox") or (root.get("width") and root.get("height"))):
                problems.append(f"cell {index} ({mime}): an SVG has neither a viewBox nor a width and height")
    html, _ = HTMLExporter().from_notebook_node(nbformat.from_dict(nb))
    if ANSI_ESCAPE.search(html):
        problems.append("the HTML has raw terminal escape codes")
    if 'class="jp-OutputArea-output jp-RenderedText" data-mime-type="application/vnd.jupyter.stderr"' in html \
            and "Traceback" in html:
        problems.append("the HTML shows a traceback")
    assert not problems, "the executed notebook does not render clean:\n" + "\n".join(problems)
