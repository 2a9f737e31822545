// The enabler: browse GET /items of one emotion page by page, like images for a segment user.

import { callApi, describeError, showApiBase } from "./api.js";
import { imageCard, setStatus } from "./tiles.js";

const PAGE_SIZE = 12;

const $ = (id) => document.getElementById(id);
const form = $("browse-form");
const status = $("status");
const grid = $("grid");
const likeStatus = $("like-status");

// tokens[i] is the nextToken that fetches page i (page 0 needs none).
let browsing = { emotion: null, userId: null, tokens: [null], page: 0, ids: [] };

// aria-disabled, not `disabled`: disabling the focused page button would drop keyboard focus.
function allow(id, allowed) {
  $(id).setAttribute("aria-disabled", String(!allowed));
}

function allowed(id) {
  return $(id).getAttribute("aria-disabled") !== "true";
}

function say(state, text) {
  status.dataset.state = state;
  setStatus(status, text, { problem: state === "error", busy: state === "loading" });
}

async function showPage(page) {
  allow("previous", false);
  allow("next", false);
  say("loading", `Loading ${browsing.emotion.toLowerCase()} images…`);
  try {
    const answer = await callApi("/items", {
      query: { emotion: browsing.emotion, limit: PAGE_SIZE, nextToken: browsing.tokens[page] },
    });
    browsing.page = page;
    browsing.tokens[page + 1] = answer.nextToken ?? null;
    browsing.ids = answer.items.map((item) => item.itemId);
    grid.replaceChildren(...answer.items.map((item) => imageCard(item, {
      context: () => ({ userId: browsing.userId, impression: browsing.ids }),
      announce: (text, problem = false) => setStatus(likeStatus, text, { problem }),
    })));
    $("results").hidden = false;
    $("results-heading").textContent = `${answer.emotion.charAt(0)}` +
      `${answer.emotion.slice(1).toLowerCase()} images`;
    $("user-note").textContent = `Likes are recorded for ${browsing.userId}.`;
    $("page-number").textContent = `Page ${page + 1}`;
    allow("previous", page > 0);
    allow("next", Boolean(answer.nextToken));
    say(answer.items.length ? "ready" : "empty", answer.items.length
      ? `Page ${page + 1}: ${answer.items.length} ${answer.emotion.toLowerCase()} images.`
      : `The catalogue has no ${answer.emotion.toLowerCase()} images yet.`);
  } catch (error) {
    allow("previous", browsing.page > 0);
    say("error", `The images could not be loaded: ${describeError(error)}`);
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const data = new FormData(form);
  const emotion = data.get("emotion");
  browsing = {
    emotion,
    userId: `${data.get("gender")}/${emotion.toLowerCase()}`,
    tokens: [null],
    page: 0,
    ids: [],
  };
  setStatus(likeStatus, "");
  showPage(0);
});

$("previous").addEventListener("click", () => {
  if (allowed("previous")) showPage(Math.max(0, browsing.page - 1));
});
$("next").addEventListener("click", () => {
  if (allowed("next")) showPage(browsing.page + 1);
});

showApiBase();
