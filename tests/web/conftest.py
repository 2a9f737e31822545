"""The web pages in headless Chromium against the offline stack, served by the HTTP API twin.

Chromium comes from the OS packages (`apt-get install chromium chromium-driver`), driven by
Selenium through the chromedriver of the same package, so nothing is downloaded at test time.
Without them, every test here is skipped with that hint.

The stack runs in moto's server mode so the API's presigned image URLs point at a real
loopback S3 endpoint the browser can load; each catalogue item has a placeholder picture there.
Screenshots go to build/screenshots/ (test artifacts; a failing test leaves one too).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests

from local.api import start_gateway
from local.api.placeholders import catalogue_rows, store_placeholder_images
from local.stack.deploy import REPO_ROOT
from local.stack.offline import OfflineStack, offline_stack
from tests.api import images

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
SCREENSHOTS = REPO_ROOT / "build" / "screenshots"
SITE = REPO_ROOT / "web"
WAIT_SECONDS = 15
# Chromium must not try the network: no sync, no updates, no background fetches.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1200,800",
)
ENABLE_HINT = (
    "the browser tests need Chromium and its driver from the OS packages: "
    "apt-get install chromium chromium-driver"
)


def browser_available() -> str | None:
    """None when the browser tests can run, otherwise why not."""
    for binary in (CHROMIUM, CHROMEDRIVER):
        if not (binary.is_file() and os.access(binary, os.X_OK)):
            return f"{binary} is missing; {ENABLE_HINT}"
    return None


@dataclass
class Site:
    """The offline stack with the pages on the API's origin."""

    offline: OfflineStack
    url: str

    def interactions(self, user_id: str) -> list[dict[str, Any]]:
        """The user's entries in the interactions log (DynamoDB), as plain values."""
        items = boto3.client("dynamodb").query(
            TableName=self.offline.outputs["InteractionsTableName"],
            KeyConditionExpression="userId = :u",
            ExpressionAttributeValues={":u": {"S": user_id}},
        )["Items"]
        return [{k: _plain(v) for k, v in item.items()} for item in items]


def _plain(value: dict[str, Any]) -> Any:
    kind, inner = next(iter(value.items()))
    if kind == "L":
        return [_plain(v) for v in inner]
    if kind == "M":
        return {k: _plain(v) for k, v in inner.items()}
    return inner


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    reason = browser_available()
    if reason:
        pytest.skip(reason)
    with offline_stack("server") as offline:
        outputs = offline.outputs
        store_placeholder_images(
            outputs["DataBucketName"], catalogue_rows(outputs["ItemsTableName"])
        )
        try:
            with start_gateway(offline, site=SITE) as gateway:
                yield Site(offline, gateway.url)
        finally:
            # moto's server keeps its state in this process's backends; forget this stack so
            # the next module's stack (same name) starts empty.
            requests.post(f"{offline.services.moto_url}/moto-api/reset", timeout=10)


@pytest.fixture(scope="module")
def browser(site: Site) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    # Selenium must use the given chromedriver, never fetch one.
    os.environ.setdefault("SE_OFFLINE", "true")
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    driver.set_page_load_timeout(WAIT_SECONDS)
    driver.set_script_timeout(WAIT_SECONDS)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(browser: Any, site: Site, request: pytest.FixtureRequest) -> Iterator[Any]:
    """The browser, on a fresh tab state; screenshot on failure."""
    browser.delete_all_cookies()
    yield browser
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        shoot(browser, f"FAILED-{request.node.name}")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    report = yield
    if report.when == "call":
        item.rep_call = report  # type: ignore[attr-defined]
    return report


def shoot(driver: Any, name: str) -> Path:
    """Save a screenshot of the whole window under build/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    driver.save_screenshot(str(path))
    return path


def wait_for(condition: Callable[[], Any], what: str, timeout: float = WAIT_SECONDS) -> Any:
    """Poll ``condition`` until it returns something truthy; fail naming ``what``."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = condition()
        except Exception:  # elements come and go while the page works; retry until the deadline
            result = None
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)


@pytest.fixture(scope="module")
def photos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Photo files to upload: the astronaut (a smiling face), coffee (no face), a broken PNG."""
    folder = tmp_path_factory.mktemp("photos")
    files = {
        "astronaut": ("astronaut.jpg", images.astronaut()),
        "coffee": ("coffee.png", images.coffee()),
        "broken": ("broken.png", b"\x89PNG\r\n\x1a\n" + b"not really a picture" * 8),
    }
    paths = {}
    for key, (name, data) in files.items():
        paths[key] = folder / name
        paths[key].write_bytes(data)
    return paths
