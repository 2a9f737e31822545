// The gallery: a photo (file or camera) -> POST /emotion -> GET /recommendations -> likes.

import { callApi, describeError, showApiBase } from "./api.js";
import { imageCard, setStatus } from "./tiles.js";

const PAGE_SIZE = 12;
const MAX_RESULTS = 500;

const $ = (id) => document.getElementById(id);
const status = $("status");
const grid = $("grid");
const more = $("more");
const likeStatus = $("like-status");

// What the grid shows: one batch of ids per page, so a like carries the ids seen with it.
let shown = { userId: null, emotion: null, recommendationId: "", batches: [] };
let stream = null;

function say(state, text) {
  status.dataset.state = state;
  setStatus(status, text, { problem: state === "error" || state === "no-face",
    busy: state === "loading" });
}

function percent(value) {
  return `${Number(value).toFixed(1)}%`;
}

function showEmotion(answer) {
  $("emotion-name").textContent = answer.emotion;
  $("emotion-confidence").textContent = `${percent(answer.confidence)} confidence`;
  const scores = $("emotion-scores");
  scores.replaceChildren(...Object.entries(answer.emotions).map(([name, value]) => {
    const row = document.createElement("li");
    const meter = document.createElement("meter");
    meter.min = 0;
    meter.max = 100;
    meter.value = value;
    meter.setAttribute("aria-label", `${name} confidence`);
    row.append(`${name} ${percent(value)} `, meter);
    return row;
  }));
  $("emotion-panel").hidden = false;
}

function batchOf(itemId) {
  return shown.batches.find((ids) => ids.includes(itemId)) ?? [itemId];
}

function showSource(answer) {
  const note = $("source-note");
  if (answer.source === "personalize") {
    note.hidden = true;
    return;
  }
  // The API's reason is for developers: keep it in the tooltip, tell visitors what it means.
  const untrained = /NONE/.test(answer.fallbackReason ?? "");
  const why = untrained
    ? "The recommender is not trained yet"
    : "Personalized ranking is unavailable right now";
  note.textContent = `${why}, so these are the newest catalogue images of this emotion ` +
    `(source: ${answer.source}). Your likes help train it.`;
  note.title = answer.fallbackReason ?? "";
  note.dataset.source = answer.source;
  note.hidden = false;
}

// What the API takes inline (see README: it must fit Lambda's payload once base64-encoded).
const MAX_PHOTO_BYTES = 4 * 1024 * 1024;

let loading = false;

async function loadRecommendations({ append }) {
  // A guard, not `disabled`: disabling the focused "Show more" would drop keyboard focus.
  if (loading) return;
  loading = true;
  const count = Math.min(MAX_RESULTS, (append ? shownCount() : 0) + PAGE_SIZE);
  say("loading", append ? "Loading more images…" : "Finding images for you…");
  try {
    const answer = await callApi("/recommendations", {
      query: { userId: shown.userId, emotion: shown.emotion, numResults: count },
    });
    const seen = new Set(shown.batches.flat());
    const fresh = answer.items.filter((item) => !seen.has(item.itemId));
    if (!append) grid.replaceChildren();
    shown.recommendationId = answer.recommendationId || "";
    shown.batches.push(fresh.map((item) => item.itemId));
    grid.append(...fresh.map((item) => imageCard(item, {
      context: () => ({
        userId: shown.userId,
        impression: batchOf(item.itemId),
        recommendationId: shown.recommendationId,
      }),
      announce: (text, problem = false) => setStatus(likeStatus, text, { problem }),
    })));
    showSource(answer);
    $("results").hidden = false;
    const exhausted = fresh.length === 0 || answer.items.length < count || count >= MAX_RESULTS;
    more.hidden = exhausted;
    say("ready", fresh.length
      ? `${shownCount()} images for ${shown.emotion.toLowerCase()} (user ${shown.userId}).`
      : "No more images for this emotion.");
  } catch (error) {
    say("error", `Recommendations failed: ${describeError(error)}`);
  } finally {
    loading = false;
  }
}

function shownCount() {
  return shown.batches.reduce((total, ids) => total + ids.length, 0);
}

async function analyse(blob) {
  const preview = $("preview-image");
  if (preview.src) URL.revokeObjectURL(preview.src);
  preview.src = URL.createObjectURL(blob);
  $("preview").hidden = false;
  $("emotion-panel").hidden = true;
  $("results").hidden = true;
  setStatus(likeStatus, "");
  say("loading", "Reading the emotion on your face…");
  let answer;
  try {
    answer = await callApi("/emotion", {
      method: "POST", body: blob, contentType: blob.type || "image/jpeg",
    });
  } catch (error) {
    if (error.status === 404) {
      say("no-face", "No face found in this photo. Try one where a single face is clearly " +
        "visible, facing the camera and well lit.");
    } else {
      say("error", `The photo could not be read: ${describeError(error)}`);
    }
    return;
  }
  showEmotion(answer);
  shown = { userId: answer.userId, emotion: answer.emotion, recommendationId: "", batches: [] };
  await loadRecommendations({ append: false });
}

$("upload-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const file = $("photo-file").files[0];
  if (!file) {
    say("error", "Choose a photo first.");
    return;
  }
  if (!["image/jpeg", "image/png"].includes(file.type)) {
    say("error", `${file.name} is not a JPEG or PNG photo.`);
    return;
  }
  if (file.size > MAX_PHOTO_BYTES) {
    say("error", `${file.name} is larger than 4 MB: please choose a smaller photo.`);
    return;
  }
  analyse(file);
});

more.addEventListener("click", () => loadRecommendations({ append: true }));

function stopCamera() {
  stream?.getTracks().forEach((track) => track.stop());
  stream = null;
  $("camera-area").hidden = true;
  $("camera-start").hidden = false;
}

$("camera-start").addEventListener("click", async () => {
  if (!navigator.mediaDevices?.getUserMedia) {
    say("error", "This browser cannot use a camera here (it needs HTTPS or localhost). " +
      "Choose a photo instead.");
    return;
  }
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "user" } });
  } catch (error) {
    say("error", `The camera could not be started (${error.message}). Choose a photo instead.`);
    return;
  }
  $("camera-video").srcObject = stream;
  $("camera-area").hidden = false;
  $("camera-start").hidden = true;
  $("camera-capture").focus();
});

$("camera-capture").addEventListener("click", () => {
  const video = $("camera-video");
  if (!video.videoWidth) {
    say("error", "The camera has no picture yet; try again in a moment.");
    return;
  }
  const canvas = document.createElement("canvas");
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext("2d").drawImage(video, 0, 0);
  canvas.toBlob((blob) => {
    stopCamera();
    if (blob) analyse(blob);
    else say("error", "The camera picture could not be captured.");
  }, "image/jpeg", 0.9);
});

$("camera-stop").addEventListener("click", stopCamera);

showApiBase();
