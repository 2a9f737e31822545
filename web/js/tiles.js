// The image cards both pages show: picture, title, emotion and a like button.

import { describeError, sendLike } from "./api.js";

function titleOf(item) {
  return item.title || item.itemId;
}

function emotionLabel(emotion) {
  return emotion ? emotion.charAt(0) + emotion.slice(1).toLowerCase() : "";
}

function missingPicture(item) {
  const box = document.createElement("div");
  box.className = "tile-missing";
  box.textContent = `${titleOf(item)}: no picture available`;
  return box;
}

/**
 * One <li> card. `context()` answers { userId, impression, recommendationId } at the moment
 * of the like; `announce(text)` reports the outcome to a live region.
 */
export function imageCard(item, { context, announce }) {
  const card = document.createElement("li");
  card.className = "tile";
  card.dataset.itemId = item.itemId;

  const figure = document.createElement("figure");
  if (item.imageUrl) {
    const picture = document.createElement("img");
    picture.src = item.imageUrl;
    picture.alt = `${titleOf(item)} (${emotionLabel(item.emotion)})`;
    picture.width = 320;
    picture.height = 240;
    picture.loading = "lazy";
    picture.decoding = "async";
    picture.addEventListener("error", () => picture.replaceWith(missingPicture(item)),
      { once: true });
    figure.append(picture);
  } else {
    figure.append(missingPicture(item));
  }
  const caption = document.createElement("figcaption");
  const name = document.createElement("span");
  name.className = "tile-title";
  name.textContent = titleOf(item);
  const tag = document.createElement("span");
  tag.className = "tag";
  tag.textContent = emotionLabel(item.emotion);
  caption.append(name, tag);
  figure.append(caption);

  const like = document.createElement("button");
  like.type = "button";
  like.className = "like";
  like.setAttribute("aria-pressed", "false");
  like.setAttribute("aria-label", `Like ${titleOf(item)}`);
  like.innerHTML = '<span aria-hidden="true">♥</span> Like';
  like.addEventListener("click", async () => {
    // Not `disabled` while sending: that would throw keyboard focus off the button.
    if (like.getAttribute("aria-pressed") === "true" || like.classList.contains("sending")) return;
    like.classList.add("sending");
    like.setAttribute("aria-busy", "true");
    try {
      const answer = await sendLike({ itemId: item.itemId, ...context() });
      like.setAttribute("aria-pressed", "true");
      like.innerHTML = '<span aria-hidden="true">♥</span> Liked';
      const later = answer.pending ? " (it reaches Personalize with the next replay)" : "";
      announce(`You liked ${titleOf(item)}${later}.`);
    } catch (error) {
      announce(`Your like of ${titleOf(item)} was not recorded: ${describeError(error)}`, true);
    } finally {
      like.classList.remove("sending");
      like.removeAttribute("aria-busy");
    }
  });
  card.append(figure, like);
  return card;
}

/** Put `text` in a status element; `problem` styles it as an error. */
export function setStatus(element, text, { problem = false, busy = false } = {}) {
  element.textContent = text;
  element.classList.toggle("problem", problem);
  element.classList.toggle("busy", busy);
  element.closest("main")?.setAttribute("aria-busy", String(busy));
}
