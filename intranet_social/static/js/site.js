/*
 * Intranet Social: progressive enhancement shared by every page.
 * Every page works without this file; it only adds:
 *  - `data-confirm="Question?"` on a form (or its submit button) asks before submitting;
 *  - a submitted form's buttons are disabled until the next page, so nothing is sent twice
 *    (`data-resubmit` on a form opts out, e.g. for downloads that leave the page in place);
 *  - `IntranetSocial.api(path, options)` for page scripts: calls the JSON API with the
 *    session cookie and the CSRF token, and throws `IntranetSocial.ApiError` on an error answer.
 */
(function () {
  "use strict";

  const API_ROOT = "/api/v1";
  const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
  const SUBMIT_BUTTONS = 'button:not([type]), button[type="submit"], input[type="submit"]';

  function csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  class ApiError extends Error {
    constructor(status, payload, fallback) {
      const error = (payload && payload.error) || {};
      super(error.message || fallback || "The server answered with status " + status + ".");
      this.name = "ApiError";
      this.status = status;
      this.code = error.code || (status ? "http_" + status : "network");
      this.field = error.field || null;
    }
  }

  function apiUrl(path) {
    if (typeof path !== "string" || !path.startsWith("/") || path.startsWith("//")) {
      throw new TypeError("IntranetSocial.api takes a path on this site, like '/me'.");
    }
    return path.startsWith(API_ROOT + "/") ? path : API_ROOT + path;
  }

  function encodeBody(body, headers) {
    if (body === undefined || body === null) {
      return undefined;
    }
    if (body instanceof FormData || body instanceof Blob || typeof body === "string") {
      return body;
    }
    headers.set("Content-Type", "application/json");
    return JSON.stringify(body);
  }

  /**
   * Call the JSON API as the signed-in person.
   * `options`: {method, body (object → JSON, or FormData for uploads), headers, signal}.
   * Resolves to the parsed JSON answer (null for an empty one).
   */
  async function api(path, options = {}) {
    const url = apiUrl(path);
    const method = (options.method || (options.body === undefined ? "GET" : "POST")).toUpperCase();
    const headers = new Headers(options.headers || {});
    headers.set("Accept", "application/json");
    if (!SAFE_METHODS.has(method)) {
      headers.set("X-CSRFToken", csrfToken());
    }
    const body = encodeBody(options.body, headers);
    let response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body,
        credentials: "same-origin",
        signal: options.signal,
      });
    } catch (error) {
      if (error.name === "AbortError") {
        throw error;
      }
      throw new ApiError(0, null, "The server could not be reached. Check the connection and try again.");
    }
    const isJson = (response.headers.get("Content-Type") || "").includes("json");
    const payload = response.status === 204 || !isJson ? null : await response.json();
    if (!response.ok) {
      throw new ApiError(response.status, payload);
    }
    return payload;
  }

  function confirmBeforeSubmit(event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) {
      return;
    }
    const submitter = event.submitter;
    const question = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopPropagation();
    }
  }

  function submitButtons(form) {
    return Array.from(form.elements).filter((element) => element.matches(SUBMIT_BUTTONS));
  }

  function preventDoubleSubmit(event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || form.hasAttribute("data-resubmit")) {
      return;
    }
    if (form.hasAttribute("data-submitting")) {
      event.preventDefault();
      return;
    }
    if (event.defaultPrevented || form.target === "_blank") {
      return; // a page script sends this form itself, or the page stays as it is
    }
    form.setAttribute("data-submitting", "");
    const submitter = event.submitter;
    // Disable after the browser has read the form, so the pressed button's value is still sent.
    window.setTimeout(() => {
      for (const button of submitButtons(form)) {
        button.disabled = true;
      }
      if (submitter) {
        submitter.setAttribute("aria-busy", "true");
      }
    }, 0);
  }

  function releaseForms() {
    for (const form of document.querySelectorAll("form[data-submitting]")) {
      form.removeAttribute("data-submitting");
      for (const button of submitButtons(form)) {
        button.disabled = false;
        button.removeAttribute("aria-busy");
      }
    }
  }

  // Capture on the document runs before any page script; bubbling to the window runs after them.
  document.addEventListener("submit", confirmBeforeSubmit, true);
  window.addEventListener("submit", preventDoubleSubmit);
  // Coming back with the Back button shows the page as it was left: make its forms usable again.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) {
      releaseForms();
    }
  });

  window.IntranetSocial = Object.freeze({ api, ApiError, csrfToken });
})();
