"""Screenshots of every page for the README: `make screenshots` (or `python docs/screenshots.py`).

Serves the app on a free loopback port with a throw-away data folder, opens each page in
Debian's Chromium on the sample data, waits until Streamlit has finished and the page's
charts are drawn, and writes ``docs/images/<page>.png``.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "images"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# page path -> (file name, what to wait for)
PAGES = {
    "": ("data", '[data-testid="stMetric"]'),
    "journey_map": ("journey_map", '[data-testid="stGraphVizChart"] svg g.node'),
    "variants": ("variants", '[data-testid="stVegaLiteChart"]'),
    "friction": ("friction", '[data-testid="stVegaLiteChart"]'),
    # the sample's top friction point is spread evenly (nothing stands out): show a fishbone
    "causes?ca_effect=%22friction%3Aunresolved%3ASupport%20call%22": (
        "causes",
        '[data-testid="stVegaLiteChart"]',
    ),
    "satisfaction": ("satisfaction", '[data-testid="stVegaLiteChart"]'),
    "kpis": ("kpis", '[data-testid="stVegaLiteChart"]'),
    "personas": ("personas", '[data-testid="stGraphVizChart"] svg g.node'),
    "report": ("report", '[data-testid="stButton"]'),
}


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    port = _port()
    env = {**os.environ, "WORKBENCH_DATA_DIR": tempfile.mkdtemp(prefix="wb-shots-")}
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    cmd += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    server = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.3)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            for path, (name, ready) in PAGES.items():
                page.goto(f"{url}/{path}", timeout=120_000)
                page.wait_for_selector(ready, timeout=180_000)
                page.wait_for_timeout(500)
                page.wait_for_selector(
                    '[data-testid="stStatusWidget"]', state="detached", timeout=180_000
                )
                page.wait_for_timeout(1500)  # let charts finish their transitions
                page.screenshot(path=str(OUT / f"{name}.png"))
                print(f"docs/images/{name}.png")
            browser.close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
