"""/admin/ in the built site, and `invoke cms`: decap-server and the live preview together."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
from pathlib import Path

import pytest

from tests.support import FIXTURE_CONTENT, ROOT, build, pelican_effects_undone


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rpartition(")")[2].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def descendants(pid: int) -> list[int]:
    found = children(pid)
    return found + [below for child in found for below in descendants(child)]


def signal_masks(pid: int) -> str:
    """The signals a process blocks, ignores, catches and has pending (/proc)."""
    lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    return " ".join(line.replace("\t", "") for line in lines if line.startswith(("Sig", "ShdPnd")))


@contextlib.contextmanager
def ctrl_c_as_in_a_terminal():
    """Let the command started meanwhile get Ctrl-C's default, as in a terminal. A test run
    started in the background of a shell script (`make test &`) ignores SIGINT, and a process
    inherits that, so Python's Ctrl-C would not reach the command."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def answers(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_invoke_cms_serves_both_and_ctrl_c_stops_both():
    cms_port, site_port = free_port(), free_port()
    with ctrl_c_as_in_a_terminal():
        process = subprocess.Popen(
            [sys.executable, "-m", "invoke", "cms", "--port", str(cms_port), "--site-port", str(site_port)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONFAULTHANDLER": "1"},
        )
    decap: list[int] = []
    try:
        deadline = time.monotonic() + 240
        while not (answers(cms_port) and answers(site_port)):
            assert process.poll() is None, process.stdout.read()
            assert time.monotonic() < deadline, "invoke cms did not open both ports"
            time.sleep(0.2)
        decap = children(process.pid)
        assert decap, "decap-server is not a child of invoke cms"
        config = json.loads((ROOT / "output" / "admin" / "config.yml").read_text(encoding="utf-8"))
        assert config["local_backend"]["url"] == f"http://127.0.0.1:{cms_port}/api/v1"
        process.send_signal(signal.SIGINT)
        try:
            out, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:  # where each of its threads waits, from faulthandler
            masks = signal_masks(process.pid)
            left = descendants(process.pid)
            process.send_signal(signal.SIGABRT)
            process.wait(timeout=30)
            for pid in left:  # they would hold its output open
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            pytest.fail(f"invoke cms still runs 30 s after Ctrl-C ({masks}):\n" + process.communicate(timeout=30)[0])
    finally:
        if process.poll() is None:  # the test failed: leave no decap-server behind, holding its port
            process.kill()
            process.wait()
            for pid in decap:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
    assert f"Rédaction : http://127.0.0.1:{site_port}/admin/" in out
    assert f"Site : http://127.0.0.1:{site_port}/" in out
    assert not answers(cms_port) and not answers(site_port)
    for pid in decap:
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]


def decap_post(port: int, origin: str, action: dict, host: str = "") -> tuple[dict, str | None]:
    """decap-server's answer to `action` asked by a page of `origin` (through `host`, by default
    127.0.0.1:`port`), and the origin its CORS allows."""
    import urllib.request

    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1", data=json.dumps(action).encode(),
                                     headers={"Content-Type": "application/json", "Origin": origin,
                                              "Host": host or f"127.0.0.1:{port}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read()), response.headers.get("Access-Control-Allow-Origin")


@pytest.mark.slow
def test_invoke_cms_saves_into_this_project_whatever_the_shell_holds(tmp_path):
    """GIT_REPO_DIRECTORY and ORIGIN left in the shell (another Decap project's) made decap-server
    save into that folder, while the terminal named this one, and let any site call it."""
    cms_port, site_port = free_port(), free_port()
    with ctrl_c_as_in_a_terminal():
        process = subprocess.Popen(
            [sys.executable, "-m", "invoke", "cms", "--port", str(cms_port), "--site-port", str(site_port)],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ, "GIT_REPO_DIRECTORY": str(tmp_path), "ORIGIN": "*"})
    decap: list[int] = []
    try:
        deadline = time.monotonic() + 240
        while not answers(cms_port):
            assert process.poll() is None and time.monotonic() < deadline, "decap-server never answered"
            time.sleep(0.2)
        decap = children(process.pid)
        info = {"action": "info", "params": {"branch": "main"}}
        answer, allowed = decap_post(cms_port, f"http://127.0.0.1:{site_port}", info)
        assert answer["repo"] == ROOT.name and allowed == f"http://127.0.0.1:{site_port}"
        # decap-server's own port, asked directly: refused, nothing written (backend_lock.cjs).
        backends = {port for pid in decap for port in listening_ports(pid)} - {cms_port, site_port}
        assert len(backends) == 1
        assert persist(backends.pop(), "content/pirate.md") == 403
        assert not (ROOT / "content" / "pirate.md").exists()
        # Another site, a page of another local port, a site whose name was rebound to 127.0.0.1:
        # refused before decap-server (transfo_admin.guard).
        for origin, host in (("https://pirate.example", ""), ("http://localhost:3000", ""),
                             (f"http://pirate.example:{cms_port}", f"pirate.example:{cms_port}")):
            with pytest.raises(urllib.error.HTTPError) as refused:
                decap_post(cms_port, origin, info, host)
            assert refused.value.code == 403, (origin, host)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        finally:
            for pid in [*decap, process.pid]:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


def listening_ports(pid: int) -> set[int]:
    """The TCP ports of 127.0.0.1 that process `pid` listens on (/proc)."""
    sockets = set()
    for descriptor in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            target = os.readlink(descriptor)
            if target.startswith("socket:["):
                sockets.add(target[len("socket:["):-1])
    ports = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        address, state, inode = fields[1], fields[3], fields[9]
        if state == "0A" and inode in sockets and address.startswith("0100007F:"):  # LISTEN on 127.0.0.1
            ports.add(int(address.partition(":")[2], 16))
    return ports


def persist(port: int, path: str, headers: dict[str, str] | None = None) -> int:
    """The status decap-server (on 127.0.0.1:`port`, not through the guard) answers a request to
    save `path`."""
    import urllib.request

    action = {"action": "persistEntry", "params": {
        "branch": "main", "entry": {"slug": "x", "path": path, "raw": "Title: x\n"}, "assets": [],
        "options": {"commitMessage": "x", "useWorkflow": False, "status": "draft"}}}
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1", data=json.dumps(action).encode(),
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_decap_server_answers_only_requests_with_the_run_s_secret(tmp_path):
    """decap-server's own port, found by trying them all, opens nothing: without the secret that
    `invoke cms` gives the guard (backend_lock.cjs), a request neither reads nor writes a file."""
    from transfo_admin.guard import TOKEN_HEADER, locked_command, new_token

    port, token = free_port(), new_token()
    command, secret = locked_command(ROOT / "node_modules" / "decap-server" / "dist" / "index.js", token)
    environment = {**os.environ, "GIT_REPO_DIRECTORY": str(tmp_path), "PORT": str(port), "BIND_HOST": "127.0.0.1",
                   "MODE": "fs", "LOG_LEVEL": "warn"}
    process = subprocess.Popen(command, cwd=tmp_path, env={**environment, **secret},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not answers(port):
            assert process.poll() is None and time.monotonic() < deadline, "decap-server never listened"
            time.sleep(0.1)
        assert persist(port, "sans-secret.md") == 403
        assert persist(port, "secret-devine.md", {TOKEN_HEADER: new_token()}) == 403
        assert persist(port, "secret-tronque.md", {TOKEN_HEADER: token[:-1]}) == 403
        assert not list(tmp_path.iterdir())
        assert persist(port, "avec-secret.md", {TOKEN_HEADER: token}) == 200
        assert (tmp_path / "avec-secret.md").read_text() == "Title: x\n"
    finally:
        process.kill()
        process.wait()
    # Started without the secret (not by `invoke cms`), it stops at once instead of opening the files.
    alone = subprocess.run(command, cwd=tmp_path, env=environment,
                           capture_output=True, text=True, timeout=60)
    assert alone.returncode == 2 and "secret du garde absent" in alone.stderr


@pytest.mark.parametrize(("option", "value"), [("--port", "huit"), ("--port", "99999"), ("--site-port", "0")])
def test_invoke_cms_names_a_port_that_is_no_port(option, value):
    """`--port huit` ended in a ValueError traceback from pelicanconf.py, `--port 99999` in one
    from the admin's settings."""
    result = subprocess.run([sys.executable, "-m", "invoke", "cms", option, value], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip() == f"{option} : « {value} » ; attendu : un numéro de port (ex. 8001)"


def test_invoke_cms_stops_when_a_port_is_taken():
    """A decap-server left running (maybe another copy's) kept the port: the new one died with a
    Node traceback while the site ran on, and the editor's saves went to the old one's folder."""
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        taken = other.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "invoke", "cms", "--port", str(taken), "--site-port", str(free_port())],
            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and result.stdout == ""
    [line] = result.stderr.splitlines()  # one line, in French, and no Node traceback
    assert line.startswith(f"--port {taken} : port déjà pris (")
    assert line.endswith("un autre « invoke cms » tourne-t-il encore ?) ; attendu : un port libre "
                         f"(--port {taken + 1})")


def test_admin_is_built_without_cdn_and_left_out_of_sitemap_and_search(fixture_site: Path):
    admin = fixture_site / "admin"
    index = (admin / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fr">' in index and 'content="noindex, nofollow"' in index
    for script in ("transfo-setup.js", "decap-cms.js", "pelican-format.js", "transfo-cms.js"):
        assert f'<script src="{script}"></script>' in index
        assert (admin / script).is_file()
    assert "http" not in index  # no CDN, no absolute address
    chunks = list(admin.glob("*.decap-cms.js"))
    assert len(chunks) > 50 and list(admin.glob("*.wasm"))
    assert not list(admin.glob("*.map"))
    assert "/admin/" not in (fixture_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "data-pagefind-body" not in index  # not a search result
    config = json.loads((admin / "config.yml").read_text(encoding="utf-8"))
    assert config["locale"] == "fr" and config["collections"]


@pytest.mark.slow
def test_unchanged_build_copies_nothing_again(tmp_path):
    output = tmp_path / "site"
    build(output, now="2019-11-30")
    bundle = output / "admin" / "decap-cms.js"
    first = bundle.stat().st_mtime_ns
    (output / "index.html").unlink()  # something to do for the second build
    build(output, now="2019-11-30")
    assert bundle.stat().st_mtime_ns == first


def pelican_build(tmp_path: Path, **settings) -> Path:
    from pelican import Pelican
    from pelican.settings import read_settings

    output = tmp_path / "site"
    with pelican_effects_undone():
        Pelican(read_settings(str(ROOT / "pelicanconf.py"), override={
            "PATH": str(FIXTURE_CONTENT), "OUTPUT_PATH": str(output), "TRANSFO_NOW": "2019-11-30",
            "CACHE_PATH": str(tmp_path / "cache"), **settings})).run()
    return output


def test_without_decap_a_dev_build_warns_and_a_publish_build_stops(tmp_path, caplog):
    from transfo_admin.plugin import AdminMissing

    missing = tmp_path / "no-decap"
    missing.mkdir()
    output = pelican_build(tmp_path / "dev", TRANSFO_ADMIN_DECAP_DIST=str(missing))
    assert (output / "index.html").is_file() and not (output / "admin").exists()
    assert any("npm ci --omit=dev" in record.getMessage() for record in caplog.records)
    with pytest.raises(AdminMissing, match=r"Decap CMS absent .* lancez « npm ci --omit=dev »"):
        pelican_build(tmp_path / "publish", TRANSFO_ADMIN_DECAP_DIST=str(missing), TRANSFO_ADMIN_REQUIRED=True)


@pytest.mark.slow
def test_quality_gate_validates_the_admin_page_but_weighs_only_the_magazine(fixture_site: Path):
    from transfo_quality.checks import validate_html
    from transfo_quality.gate import run_gate
    from transfo_quality.pages import tool_pages

    admin_page = fixture_site / "admin" / "index.html"
    assert tool_pages(fixture_site) == [admin_page]
    assert validate_html(fixture_site, [admin_page]) == []  # the Nu HTML Checker
    report = run_gate(fixture_site, ("", "http://127.0.0.1:8000"), validate=False)
    assert report.families and not [page for page in report.families.values() if page.startswith("admin/")]
    assert not [problem for problem in report.problems if "admin/" in problem]


def test_nginx_gives_admin_its_own_csp_and_the_site_keeps_its_strict_one(fixture_site: Path, tmp_path):
    from tests.test_nginx import get, running_nginx

    (tmp_path / "srv").mkdir()
    (tmp_path / "srv" / "current").symlink_to(fixture_site)
    with running_nginx(tmp_path / "srv", tmp_path / "prefix") as origin:
        status, headers, _ = get(f"{origin}/transfo/admin/")
        admin_csp = headers["Content-Security-Policy"]
        assert status == 200 and "'unsafe-eval'" in admin_csp and "https://forge.economiesociale.be" in admin_csp
        assert get(f"{origin}/transfo/admin/config.yml")[0] == 200
        assert get(f"{origin}/transfo/admin/decap-cms.js")[0] == 200
        assert get(f"{origin}/transfo/admin/.env")[0] == 404
        assert get(f"{origin}/transfo/admin/notes.md")[0] == 404
        status, headers, _ = get(f"{origin}/transfo/")
        assert status == 200 and "'unsafe-eval'" not in headers["Content-Security-Policy"]
        assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
