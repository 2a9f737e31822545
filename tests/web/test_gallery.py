"""The gallery page: a photo in, an emotion and recommended images out, likes logged."""

from __future__ import annotations

import json
from typing import Any

from selenium.webdriver.common.by import By

from tests.web.conftest import Site, shoot, wait_for


def upload(page: Any, site: Site, photo: Any) -> None:
    page.get(site.url + "/")
    page.find_element(By.ID, "photo-file").send_keys(str(photo))
    page.find_element(By.CSS_SELECTOR, "#upload-form button[type=submit]").click()


def loaded_pictures(page: Any) -> list[Any]:
    return page.execute_script(
        "return [...document.querySelectorAll('#grid .tile img')]"
        ".filter(img => img.complete && img.naturalWidth > 0)"
    )


def test_astronaut_gets_an_emotion_images_and_a_logged_like(page, site, photos):
    # GIVEN the gallery WHEN the astronaut photo is uploaded
    upload(page, site, photos["astronaut"])

    # THEN the emotion shows with its confidence, and a grid of loaded images follows
    emotion = wait_for(lambda: page.find_element(By.ID, "emotion-name").text, "an emotion")
    assert emotion == "HAPPY"
    confidence = page.find_element(By.ID, "emotion-confidence").text
    assert confidence.endswith("% confidence"), confidence
    wait_for(lambda: len(loaded_pictures(page)) >= 6, "six loaded pictures")
    tiles = page.find_elements(By.CSS_SELECTOR, "#grid .tile")
    shown = [tile.get_attribute("data-item-id") for tile in tiles]
    assert all(item.startswith("happy-") for item in shown), shown
    # No campaign in this stack: the page says it is not trained and names the source.
    note = page.find_element(By.ID, "source-note")
    assert note.is_displayed() and "source: catalogue" in note.text
    shoot(page, "gallery-recommendations")

    # WHEN the second image is liked
    like = tiles[1].find_element(By.CSS_SELECTOR, "button.like")
    like.click()
    wait_for(lambda: like.get_attribute("aria-pressed") == "true", "the like to be recorded")
    assert "You liked" in page.find_element(By.ID, "like-status").text
    shoot(page, "gallery-liked")

    # THEN the interactions log holds it, with the ids shown and this tab's session
    session = page.execute_script("return sessionStorage.getItem('recommender.sessionId')")
    entries = wait_for(
        lambda: [
            e
            for user in ("female/happy", "male/happy")
            for e in site.interactions(user)
            if e.get("itemId") == shown[1]
        ],
        "the like in the interactions log",
    )
    assert len(entries) == 1
    logged = entries[0]
    assert logged["eventType"] == "like" and logged["sessionId"] == session
    assert set(_impression(logged)) == set(shown)


def _impression(entry: dict[str, Any]) -> list[str]:
    """The impression list of a logged event (the PutEvents event, kept as JSON text)."""
    return json.loads(entry["event"])["impression"]


def test_more_appends_new_images(page, site, photos):
    upload(page, site, photos["astronaut"])
    wait_for(lambda: len(page.find_elements(By.CSS_SELECTOR, "#grid .tile")) >= 12, "a page")
    first = [
        t.get_attribute("data-item-id") for t in page.find_elements(By.CSS_SELECTOR, "#grid .tile")
    ]
    page.find_element(By.ID, "more").click()
    wait_for(lambda: len(page.find_elements(By.CSS_SELECTOR, "#grid .tile")) > len(first), "more")
    after = [
        t.get_attribute("data-item-id") for t in page.find_elements(By.CSS_SELECTOR, "#grid .tile")
    ]
    assert after[: len(first)] == first and len(set(after)) == len(after)


def test_coffee_shows_the_no_face_state(page, site, photos):
    upload(page, site, photos["coffee"])
    status = page.find_element(By.ID, "status")
    wait_for(lambda: status.get_attribute("data-state") == "no-face", "the no-face state")
    assert "No face found" in status.text
    assert not page.find_element(By.ID, "results").is_displayed()
    shoot(page, "gallery-no-face")


def test_an_api_error_is_shown_with_its_message(page, site, photos):
    upload(page, site, photos["broken"])
    status = page.find_element(By.ID, "status")
    wait_for(lambda: status.get_attribute("data-state") == "error", "the error state")
    # The API's own message, not a generic one.
    assert "The photo could not be read: body:" in status.text, status.text
    shoot(page, "gallery-error")
