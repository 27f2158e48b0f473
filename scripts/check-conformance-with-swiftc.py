#!/usr/bin/env python3
"""Checks the conformance snippets against real Swift.

Every snippet that overlaps Swift (not marked `// ours`) is compiled with swiftc (with
`import Foundation` prepended, cells concatenated) and run; its stdout must equal the
snippet's `// expect:` lines. Snippets that expect an error must be rejected by swiftc or
trap at run time. Results are cached by snippet text, so re-runs only compile what changed.

Usage: scripts/check-conformance-with-swiftc.py [--jobs N] [--show-actual] [FILE...]
Exit code 1 if any snippet disagrees with swiftc.
"""
import argparse
import concurrent.futures
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONFORMANCE = os.path.join(ROOT, "Tests", "RuntimeTests", "Conformance")
CACHE = os.path.join(os.environ.get("TMPDIR", "/tmp"), "swiftgrpo-swiftc-conformance-cache")
DIRECTIVE = re.compile(r"(?:^|\s)//\s?(expect(?:-[a-z]+)*|input|ours)(?::(.*))?$")


def directive(line):
    """(name, value) for a directive comment on this line, or None."""
    m = DIRECTIVE.search(line)
    if not m:
        return None
    value = m.group(2)
    if value is None:
        value = ""
    elif value.startswith(" "):
        value = value[1:]
    return m.group(1), value


def snippets(path):
    """Yields dicts: file, line (1-based first line), code, expects, ours, errors."""
    lines = open(path, encoding="utf-8").read().split("\n")
    start, block = 1, []
    for number, line in enumerate(lines + ["// ---"], start=1):
        if line.strip() == "// ---":
            if any(l.strip() for l in block):
                yield parse(path, start, block)
            start, block = number + 1, []
        else:
            block.append(line)


def parse(path, start, block):
    snippet = {"file": os.path.basename(path), "line": start, "expects": [], "ours": False,
               "errors": False}
    code = []
    for line in block:
        if line.strip() == "// cell":
            continue
        d = directive(line)
        if d:
            name, value = d
            if name == "expect":
                snippet["expects"].append(value)
            elif name == "ours" or name == "input" or name.startswith("expect-result") \
                    or name in ("expect-stderr", "expect-display", "expect-prompt", "expect-no-result"):
                snippet["ours"] |= name in ("ours", "input")
            if name.startswith("expect-error"):
                snippet["errors"] = True
        code.append(line)
    snippet["code"] = "\n".join(code)
    return snippet


def run_swift(code):
    """(compiled, exit_code, stdout, stderr), cached by source text."""
    source = "import Foundation\n" + code + "\n"
    key = hashlib.sha256(source.encode()).hexdigest()
    cached = os.path.join(CACHE, key + ".json")
    if os.path.exists(cached):
        return tuple(json.load(open(cached)))
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "main.swift")
        exe = os.path.join(tmp, "snippet")
        open(src, "w", encoding="utf-8").write(source)
        build = subprocess.run(["swiftc", "-module-name", "main", "-Onone", src, "-o", exe],
                               capture_output=True, text=True)
        if build.returncode != 0:
            result = (False, build.returncode, "", build.stderr)
        else:
            try:
                run = subprocess.run([exe], capture_output=True, text=True, timeout=30,
                                     stdin=subprocess.DEVNULL)
                result = (True, run.returncode, run.stdout, run.stderr[-2000:])
            except subprocess.TimeoutExpired:
                result = (True, -999, "", "timeout")
    os.makedirs(CACHE, exist_ok=True)
    json.dump(result, open(cached, "w"))
    return result


def check(snippet, show_actual):
    """A failure message, or None when swiftc agrees."""
    compiled, status, stdout, stderr = run_swift(snippet["code"])
    where = f"{snippet['file']}:{snippet['line']}"
    if snippet["errors"]:
        if compiled and status == 0:
            return f"{where}: expects an error but swiftc's build runs cleanly:\n{stdout}"
        return None
    if not compiled:
        first = "\n".join([l for l in stderr.splitlines() if "error:" in l][:3])
        return f"{where}: swiftc rejects the snippet:\n{first}"
    if status != 0:
        return f"{where}: swiftc's build exits with {status}:\n{stderr[-500:]}"
    actual = stdout.split("\n")
    if actual and actual[-1] == "":
        actual.pop()
    if actual != snippet["expects"]:
        message = f"{where}: output differs from swiftc"
        if show_actual:
            message += "\n  expected: " + json.dumps(snippet["expects"]) + "\n  swiftc:   " + json.dumps(actual)
        return message
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--show-actual", action="store_true")
    args = parser.parse_args()
    files = args.files or sorted(os.path.join(CONFORMANCE, f) for f in os.listdir(CONFORMANCE)
                                 if f.endswith(".swift") and f != "known_failures.swift")
    todo = [s for f in files for s in snippets(f) if not s["ours"]]
    failures = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for message in pool.map(lambda s: check(s, args.show_actual), todo):
            if message:
                failures.append(message)
                print(message, flush=True)
    print(f"{len(todo) - len(failures)} of {len(todo)} snippets agree with swiftc")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
