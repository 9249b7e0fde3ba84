"""A real Label Studio server and a headless Chromium for the integration test.

Label Studio pins packages the project needs newer (numpy, pyarrow), so it lives in a virtualenv
of its own, made on first use under the user's cache folder (or NEWSBENCH_LABEL_STUDIO_VENV) from
the version the project's `annotate` extra pins. The server binds 127.0.0.1 on a free port, keeps
its sqlite database in a temporary folder, and is stopped by the test.
"""
from __future__ import annotations

import base64
import http.cookiejar
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def pinned_version() -> str:
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"]["annotate"]
    return next(re.fullmatch(r"label-studio==(\S+)", x).group(1) for x in extra if x.startswith("label-studio=="))


def venv() -> Path:
    """The Label Studio virtualenv, created and installed the first time."""
    version = pinned_version()
    home = Path(os.environ.get("NEWSBENCH_LABEL_STUDIO_VENV")
                or Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "newsbench"
                / f"label-studio-{version}")
    exe = home / "bin" / "label-studio"
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "venv", str(home)], check=True)
        subprocess.run([str(home / "bin" / "pip"), "install", "-q", f"label-studio=={version}"], check=True,
                       timeout=1800)
    return home


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    base: str
    token: str
    email: str
    password: str
    process: subprocess.Popen

    def api(self, method: str, path: str, body=None):
        data = None if body is None else json.dumps(body).encode("utf-8")
        req = urllib.request.Request(self.base + path, data=data, method=method, headers={
            "Authorization": f"Token {self.token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=120) as resp:
            return json.loads(resp.read().decode("utf-8"))

    def session_cookie(self) -> str:
        """Log in through the web form as a person would; the Django session id."""
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        opener.open(self.base + "/user/login/", timeout=60).read()
        csrf = next(c.value for c in jar if c.name == "csrftoken")
        form = urllib.parse.urlencode({"email": self.email, "password": self.password,
                                       "csrfmiddlewaretoken": csrf}).encode()
        req = urllib.request.Request(self.base + "/user/login/", data=form,
                                     headers={"Referer": self.base + "/user/login/"})
        opener.open(req, timeout=60).read()
        return next(c.value for c in jar if c.name == "sessionid")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def start(data_dir: Path, timeout: float = 600) -> Server:
    port, token = free_port(), secrets.token_hex(20)
    email, password = "annotator@example.org", secrets.token_hex(8)
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))},
           "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir), "DJANGO_DB": "sqlite",
           "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true"}
    log = open(data_dir / "server.log", "wb")
    process = subprocess.Popen(
        [str(venv() / "bin" / "label-studio"), "start", "--no-browser", "--port", str(port),
         "--internal-host", "127.0.0.1", "--host", f"http://127.0.0.1:{port}", "--username", email,
         "--password", password, "--user-token", token, "--enable-legacy-api-token"],
        cwd=data_dir, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    server = Server(f"http://127.0.0.1:{port}", token, email, password, process)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Label Studio exited with {process.returncode}; see {data_dir / 'server.log'}")
        try:
            with urllib.request.urlopen(server.base + "/health", timeout=5) as resp:
                if resp.status == 200:
                    server.api("GET", "/api/projects")  # the token works: the user exists
                    return server
        except OSError:
            pass
        time.sleep(2)
    server.stop()
    raise RuntimeError(f"Label Studio did not answer within {timeout:.0f} s; see {data_dir / 'server.log'}")


class Browser:
    """Headless Chromium driven over the DevTools protocol (Debian's chromium package)."""

    def __init__(self, profile: Path):
        import websocket  # websocket-client, a dev dependency

        self.process = subprocess.Popen(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
             "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--window-size=1400,1800",
             "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not port_file.exists() or not port_file.read_text().strip():
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.close()
                raise RuntimeError("headless Chromium did not start")
            time.sleep(0.2)
        port = port_file.read_text().split()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=30) as resp:
            page = next(t for t in json.loads(resp.read()) if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60, suppress_origin=True)
        self.next_id = 0

    def call(self, method: str, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def text(self) -> str:
        result = self.call("Runtime.evaluate", expression="document.body ? document.body.innerText : ''",
                           returnByValue=True)
        return result["result"].get("value", "")

    def open(self, url: str, cookie: tuple[str, str], until: list[str], timeout: float = 120) -> str:
        """Navigate with a session cookie and wait until every string in `until` is on the page."""
        self.call("Network.enable")
        self.call("Network.setCookie", name=cookie[0], value=cookie[1], url=url)
        self.call("Page.navigate", url=url)
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            text = self.text()
            if all(s in text for s in until):
                time.sleep(3)  # let the editor finish drawing the regions before a screenshot
                return text
            time.sleep(1)
        return text

    def screenshot(self, path: Path) -> None:
        data = self.call("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        if getattr(self, "ws", None) is not None:
            self.ws.close()
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
