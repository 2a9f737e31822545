"""The enabler page: the catalogue's images of a chosen emotion, page by page, and likes."""

from __future__ import annotations

from typing import Any

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from tests.web.conftest import shoot, wait_for


def shown_ids(page: Any) -> list[str]:
    tiles = page.find_elements(By.CSS_SELECTOR, "#grid .tile")
    return [tile.get_attribute("data-item-id") for tile in tiles]


def browse(page: Any, url: str, emotion: str, gender: str = "female") -> None:
    page.get(url + "/enabler.html")
    page.find_element(By.CSS_SELECTOR, f"input[name=gender][value={gender}]").click()
    Select(page.find_element(By.ID, "emotion")).select_by_value(emotion)
    page.find_element(By.CSS_SELECTOR, "#browse-form button[type=submit]").click()


def test_lists_items_of_the_chosen_emotion_page_by_page(page, site):
    # GIVEN the enabler WHEN SAD is chosen
    browse(page, site.url, "SAD")

    # THEN a page of sad images shows, and the next page holds other sad images
    first = wait_for(lambda: shown_ids(page), "the first page")
    assert len(first) == 12 and all(i.startswith("sad-") for i in first), first
    tags = {t.text for t in page.find_elements(By.CSS_SELECTOR, "#grid .tag")}
    assert tags == {"Sad"}
    assert page.find_element(By.ID, "previous").get_attribute("aria-disabled") == "true"
    shoot(page, "enabler-sad")
    page.find_element(By.ID, "next").click()
    second = wait_for(lambda: (ids := shown_ids(page)) != first and ids, "the second page")
    assert all(i.startswith("sad-") for i in second) and not set(first) & set(second)
    assert "Page 2" in page.find_element(By.ID, "page-number").text
    page.find_element(By.ID, "previous").click()
    wait_for(lambda: shown_ids(page) == first, "the first page again")


def test_a_like_by_keyboard_reaches_the_log_for_the_segment_user(page, site):
    browse(page, site.url, "CALM", gender="male")
    ids = wait_for(lambda: shown_ids(page), "calm images")

    # The first like button is reachable with Tab and pressed with Enter.
    page.find_element(By.ID, "results-heading").click()
    button = page.find_element(By.CSS_SELECTOR, "#grid .tile button.like")
    page.execute_script("arguments[0].previousElementSibling.tabIndex = -1", button)
    page.switch_to.active_element.send_keys(Keys.TAB)
    wait_for(lambda: page.switch_to.active_element == button, "focus on the first like")
    page.switch_to.active_element.send_keys(Keys.ENTER)
    wait_for(lambda: button.get_attribute("aria-pressed") == "true", "the like to be recorded")
    assert page.switch_to.active_element == button, "focus stays on the button"
    shoot(page, "enabler-liked")

    logged = wait_for(
        lambda: [e for e in site.interactions("male/calm") if "itemId" in e], "the like in the log"
    )
    assert [e["itemId"] for e in logged] == [ids[0]]
    assert logged[0]["eventType"] == "like"


def test_the_pages_read_the_api_base_from_config(page, site):
    page.get(site.url + "/enabler.html")
    label = page.find_element(By.ID, "api-base")
    wait_for(lambda: label.text.startswith("http://127.0.0.1:"), "the API base in the footer")
    assert label.text == site.url + "/"


def test_paging_by_keyboard_keeps_focus_on_the_page_button(page, site):
    browse(page, site.url, "HAPPY")
    first = wait_for(lambda: shown_ids(page), "the first page")
    following = page.find_element(By.ID, "next")

    page.execute_script("arguments[0].focus()", following)
    following.send_keys(Keys.ENTER)
    wait_for(lambda: (ids := shown_ids(page)) != first and ids, "the second page")

    assert page.switch_to.active_element == following
    # On the first page, "Previous" is marked unavailable and pressing it changes nothing.
    page.find_element(By.ID, "previous").send_keys(Keys.ENTER)
    wait_for(lambda: shown_ids(page) == first, "the first page again")
    page.find_element(By.ID, "previous").send_keys(Keys.ENTER)
    assert shown_ids(page) == first
