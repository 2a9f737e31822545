"""Remake docs/gallery.png against a running `make web` (trained, so the campaign ranks):

python -m tests.web.capture_gallery http://127.0.0.1:8080 docs/gallery.png
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from tests.api import images
from tests.web.conftest import CHROMEDRIVER, CHROMIUM, CHROMIUM_FLAGS, wait_for

LOADED = "return [...document.querySelectorAll('#grid img')].filter(i => i.naturalWidth).length"


def capture(url: str, out: Path) -> None:
    os.environ.setdefault("SE_OFFLINE", "true")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={tempfile.mkdtemp()}", "--hide-scrollbars"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    try:
        size = {"width": 1200, "height": 800, "deviceScaleFactor": 1, "mobile": False}
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", size)
        photo = Path(tempfile.mkdtemp()) / "astronaut.jpg"
        photo.write_bytes(images.astronaut())
        driver.get(url + "/")
        driver.find_element(By.ID, "photo-file").send_keys(str(photo))
        driver.find_element(By.CSS_SELECTOR, "#upload-form button[type=submit]").click()
        wait_for(lambda: driver.execute_script(LOADED) >= 8, "eight pictures")
        like = driver.find_elements(By.CSS_SELECTOR, "#grid .like")[2]
        like.click()
        wait_for(lambda: like.get_attribute("aria-pressed") == "true", "the like")
        driver.execute_script(
            "document.activeElement.blur();"
            "document.getElementById('emotion-panel').scrollIntoView({block: 'start'});"
            "window.scrollBy(0, -12);"
        )
        mouse_away = {"type": "mouseMoved", "x": 5, "y": 5}
        driver.execute_cdp_cmd("Input.dispatchMouseEvent", mouse_away)
        driver.save_screenshot(str(out))
    finally:
        driver.quit()


if __name__ == "__main__":
    capture(sys.argv[1], Path(sys.argv[2]))
