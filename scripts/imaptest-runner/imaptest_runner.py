#!/usr/bin/env python3
"""Runs imaptest-format scripted tests (see README.md) against an IMAP server.

Usage: imaptest_runner.py --port 1143 --user alice --password secret TESTDIR_OR_FILES...

Per test it prints pass / FAIL / skipped (the script needs a capability the server does not
advertise) / unsupported (the script uses a feature of the format this runner does not implement)
/ error (the script could not be read), then totals in the suite's own terms: test groups failed,
and individual command groups failed for the base protocol and for extensions.
"""

from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from executor import Execution, Result  # noqa: E402
from scriptfile import ScriptError, read_script  # noqa: E402


def collect(paths: list[str]) -> tuple[list[str], dict[str, str]]:
    files = []
    default_mbox = {}
    for path in paths:
        if os.path.isdir(path):
            for name in sorted(os.listdir(path)):
                if name.startswith(".") or name.endswith(".mbox") or name.startswith("Makefile") or name == "README":
                    continue
                full = os.path.join(path, name)
                if os.path.isfile(full):
                    files.append(full)
                    default_mbox[full] = os.path.join(path, "default.mbox")
        else:
            files.append(path)
            default_mbox[path] = os.path.join(os.path.dirname(path) or ".", "default.mbox")
    return files, default_mbox


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("tests", nargs="+", help="test script files or directories of them")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=143)
    p.add_argument("--user", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--mailbox", default="imaptest", help="the test mailbox ($mailbox); removed and re-created per test")
    p.add_argument("--timeout", type=float, default=15.0, help="seconds to wait for any one response")
    p.add_argument("--verbose", "-v", action="store_true", help="print every failure message")
    args = p.parse_args(argv)

    files, default_mbox = collect(args.tests)
    results: list[Result] = []
    for path in files:
        try:
            script = read_script(path, default_mbox[path])
        except (ScriptError, OSError, ValueError) as e:
            results.append(Result(os.path.basename(path), "error", messages=[str(e)]))
            print(f"{os.path.basename(path):40s} error: {e}")
            continue
        try:
            result = Execution(script, args.host, args.port, args.user, args.password,
                               args.mailbox, args.timeout, args.verbose).run()
        except (OSError, ValueError) as e:
            result = Result(script.name, "error", messages=[str(e)])
        results.append(result)
        label = {"pass": "pass", "fail": "FAIL"}.get(result.status, result.status)
        detail = f" ({result.failed_groups}/{result.groups} command groups failed)" if result.status == "fail" else ""
        print(f"{result.name:40s} {label}{detail}")
        if result.status != "pass":
            shown = result.messages if args.verbose else result.messages[:1]
            for message in shown:
                print("    " + message.replace("\n", "\n    "))

    counts = {s: sum(1 for r in results if r.status == s) for s in ("pass", "fail", "skipped", "unsupported", "error")}
    base = [r for r in results if not r.extension and r.status in ("pass", "fail")]
    ext = [r for r in results if r.extension and r.status in ("pass", "fail")]
    print()
    print(f"{len(results)} tests: {counts['pass']} passed, {counts['fail']} failed, {counts['skipped']} skipped "
          f"(missing capabilities), {counts['unsupported']} unsupported by this runner, {counts['error']} errors")
    print(f"base protocol: {sum(r.failed_groups for r in base)}/{sum(r.groups for r in base)} command groups failed")
    print(f"extensions: {sum(r.failed_groups for r in ext)}/{sum(r.groups for r in ext)} command groups failed")
    return 1 if counts["fail"] or counts["error"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
