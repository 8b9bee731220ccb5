"""Every shell block of the README and docs/ runs verbatim on a fresh copy with `make run` serving.

A new colleague has only the README and the docs. This test is that colleague:
it copies the checkout, starts `make run` exactly as the README says (the laptop
default: SQLite and the embedded broker, no configuration), then runs every
```sh block of each document in order, in one bash per document with
`set -euo pipefail`. The only change made to a block is the port: the docs say
127.0.0.1:8000, the test's server listens on a free one. A block that cannot
run here starts with `# not run by the docs test: <reason>`.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.system

REPO = Path(__file__).resolve().parents[2]
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
NOT_RUN = "# not run by the docs test:"
FENCE = re.compile(r"^```([\w-]*)[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
# Tags that hold commands: only `sh` is allowed, so none escapes this test under another name.
COMMAND_TAGS = {"sh", "bash", "shell", "console", "shell-session", "zsh"}


def blocks(doc: Path) -> list[tuple[int, str, str]]:
    text = doc.read_text()
    return [(text.count("\n", 0, m.start()) + 1, m.group(1), m.group(2)) for m in FENCE.finditer(text)]


def runnable(doc: Path) -> list[str]:
    return [body for _, tag, body in blocks(doc) if tag == "sh" and not body.startswith(NOT_RUN)]


def test_command_blocks_are_sh_and_every_skip_gives_its_reason():
    wrong = [
        f"{doc.name}:{line} is tagged {tag!r}; command blocks are `sh`"
        for doc in DOCS
        for line, tag, _ in blocks(doc)
        if tag in COMMAND_TAGS - {"sh"}
    ]
    unexplained = [
        f"{doc.name}:{line}"
        for doc in DOCS
        for line, tag, body in blocks(doc)
        if tag == "sh" and body.startswith(NOT_RUN) and not body.splitlines()[0][len(NOT_RUN) :].strip()
    ]
    assert not wrong and not unexplained, wrong + unexplained
    assert runnable(REPO / "docs" / "api.md"), "the API walkthrough must be run by this test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _copy_checkout(target: Path) -> None:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    # The suite's own environment, not a second install: the runtime-lock install is checked by CI on its own.
    venv = (REPO / ".venv").resolve()
    (target / ".venv").symlink_to(venv)
    # ...which make must take as up to date (it is: the suite runs in it).
    installed = (venv / "bin" / "activate").stat().st_mtime
    for lock in target.glob("requirements*.txt"):
        os.utime(lock, (installed - 1, installed - 1))


def _clean_env(**extra: str) -> dict[str, str]:
    """What a new colleague's shell has: no database, broker or test settings."""
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "TERM", "USER"}
    return {**{k: v for k, v in os.environ.items() if k in keep}, **extra}


@pytest.fixture(scope="module")
def served_checkout(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, int]]:
    checkout = tmp_path_factory.mktemp("fresh-checkout")
    _copy_checkout(checkout)
    port = _free_port()
    log = (checkout / "make-run.log").open("w")
    process = subprocess.Popen(
        ["make", "run"], cwd=checkout, env=_clean_env(PORT=str(port)), stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"make run did not serve /healthz:\n{(checkout / 'make-run.log').read_text()[-4000:]}")
            time.sleep(0.5)
        yield checkout, port
    finally:
        _stop(process)
        log.close()


def _stop(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


@pytest.mark.parametrize("doc", [d for d in DOCS if runnable(d)], ids=lambda d: d.name)
def test_every_command_in_the_docs_runs_verbatim(doc: Path, served_checkout: tuple[Path, int]):
    checkout, port = served_checkout
    script = "set -euo pipefail\n" + "\n".join(runnable(doc)).replace("127.0.0.1:8000", f"127.0.0.1:{port}")
    result = subprocess.run(
        ["bash", "-c", script], cwd=checkout, env=_clean_env(), capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, (
        f"{doc.name}: a command failed (exit {result.returncode})\n--- stdout\n{result.stdout[-4000:]}"
        f"\n--- stderr\n{result.stderr[-4000:]}"
    )
