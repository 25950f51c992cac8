"""Runs a `pip install` and shows how far it has got: one line per package pip collects
(`[12/~85] collecting httpx`), then a line as it installs them. pip's own output goes to a log
file, shown in full only if pip fails; the exit status is pip's.

Usage (the Makefile's first install): python3 tools/pip-progress.py LOG EXPECTED -- PIP ARGS...
EXPECTED is roughly how many packages will be collected (the pins of requirements.lock).
"""

from __future__ import annotations

import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    log_path, expected, separator, *command = argv
    if separator != "--" or not command:
        print(__doc__, file=sys.stderr)
        return 2
    started = time.monotonic()
    collected = 0
    with open(log_path, "w", encoding="utf-8") as log:
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
        )
        assert process.stdout is not None
        for line in process.stdout:
            log.write(line)
            if line.startswith("Collecting "):
                collected += 1
                name = line.split()[1]
                print(f"  [{collected}/~{expected}] collecting {name}", flush=True)
            elif line.startswith("Installing collected packages"):
                count = line.count(",") + 1
                print(f"  installing {count} packages (unpacking, compiling)…", flush=True)
        status = process.wait()
    seconds = time.monotonic() - started
    if status != 0:
        with open(log_path, encoding="utf-8") as log:
            sys.stderr.write(log.read())
        print(f"  pip failed after {seconds:.0f} s (exit {status}); log: {log_path}", flush=True)
    else:
        print(f"  done in {seconds:.0f} s (pip's log: {log_path})", flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
