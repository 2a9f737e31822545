// Talking to the HTTP API: where it is (config.json), requests with a time limit, and the
// API's error answers turned into ApiError with its message.

const REQUEST_TIMEOUT_MS = 30000;
let configured;

/** The deployment's settings from config.json next to the pages ({ apiBaseUrl }). */
export function loadConfig() {
  configured ??= fetch("config.json", { cache: "no-store" }).then(async (response) => {
    if (!response.ok) {
      throw new ApiError(response.status, "ConfigMissing",
        `config.json could not be loaded (HTTP ${response.status}); the deploy step writes it`);
    }
    return response.json();
  });
  return configured;
}

/** Base URL of the API, ending in "/"; an empty apiBaseUrl means this page's own origin. */
export async function apiBase() {
  const { apiBaseUrl } = await loadConfig();
  const base = apiBaseUrl ? new URL(apiBaseUrl, location.href) : new URL("/", location.href);
  return base.href.endsWith("/") ? base.href : `${base.href}/`;
}

export class ApiError extends Error {
  constructor(status, kind, message, correlationId) {
    super(message);
    this.status = status;
    this.kind = kind;
    this.correlationId = correlationId;
  }
}

/** Call the API; resolves to the parsed JSON body, rejects with ApiError. */
export async function callApi(path, { method = "GET", query, body, contentType } = {}) {
  const url = new URL(path.replace(/^\//, ""), await apiBase());
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(key, value);
  }
  const headers = {};
  if (contentType) headers["content-type"] = contentType;
  let response;
  try {
    response = await fetch(url, {
      method, headers, body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    const timedOut = error.name === "TimeoutError";
    throw new ApiError(0, timedOut ? "Timeout" : "NetworkError", timedOut
      ? "The API did not answer in time; please try again."
      : `The API could not be reached (${error.message}).`);
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const message = data?.message || text || `HTTP ${response.status}`;
    throw new ApiError(response.status, data?.error ?? `HTTP${response.status}`, message,
      data?.correlationId);
  }
  return data;
}

/** The message to show for a failed call, with the correlation id support would ask for. */
export function describeError(error) {
  if (!(error instanceof ApiError)) return `Something went wrong: ${error.message}`;
  const reference = error.correlationId ? ` (reference ${error.correlationId})` : "";
  return `${error.message}${reference}`;
}

/** One id per browser tab, as Personalize's sessionId. */
export function sessionId() {
  let id = sessionStorage.getItem("recommender.sessionId");
  if (!id) {
    id = crypto.randomUUID();
    sessionStorage.setItem("recommender.sessionId", id);
  }
  return id;
}

/** Record one like with the ids that were on screen next to it. */
export function sendLike({ userId, itemId, impression, recommendationId }) {
  const event = { eventType: "like", itemId, impression: impression.slice(0, 25) };
  if (recommendationId) event.recommendationId = recommendationId;
  return callApi("/events", {
    method: "POST",
    contentType: "application/json",
    body: JSON.stringify({ userId, sessionId: sessionId(), events: [event] }),
  });
}

/** Show where the API is and link its documentation (footer of every page). */
export async function showApiBase() {
  const label = document.getElementById("api-base");
  const docs = document.getElementById("api-docs");
  try {
    const base = await apiBase();
    if (label) label.textContent = base;
    if (docs) docs.href = new URL("swagger", base).href;
  } catch (error) {
    if (label) label.textContent = describeError(error);
  }
}
