/*
 * Posts, the feed and walls: progressive enhancement. Every page works without this file;
 * it only adds:
 *  - the composer (`form[data-composer]`) sends through the API with a progress bar, so a
 *    large video shows how far the upload is, and shows the error beside the form;
 *  - like buttons (`form[data-like]`) like and unlike in place through the API;
 *  - "Load more" (`a[data-load-more]`) fetches the next page's posts (`partial=1`) and
 *    appends them in place.
 */
(function () {
  "use strict";

  const site = window.IntranetSocial;

  // ---- composer -----------------------------------------------------------------------

  function composerData(form) {
    const data = new FormData();
    const fields = form.elements;
    data.append("body", fields.body.value);
    if (fields.space && fields.space.value) {
      data.append("audience", "space");
      data.append("space", fields.space.value);
    } else {
      data.append("audience", fields.audience.value);
    }
    if (fields.wall.value) {
      data.append("wall", fields.wall.value);
    }
    if (fields.must_read && fields.must_read.checked) {
      data.append("must_read", "true");
    }
    for (const name of ["photos", "video"]) {
      for (const file of fields[name].files) {
        data.append("files", file);
      }
    }
    return data;
  }

  function errorMessage(xhr) {
    try {
      const payload = JSON.parse(xhr.responseText);
      if (payload && payload.error && payload.error.message) {
        return payload.error.message;
      }
    } catch (ignored) {
      // not JSON: a proxy's error page, say
    }
    if (xhr.status === 413) {
      return "The upload is larger than this site accepts.";
    }
    return "The post could not be sent (status " + xhr.status + "). Try again.";
  }

  function sendComposer(event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-composer")) {
      return;
    }
    event.preventDefault();
    const progress = form.querySelector("[data-progress]");
    const bar = progress.querySelector("progress");
    const label = progress.querySelector("[data-progress-text]");
    const error = form.querySelector("[data-composer-error]");
    const button = form.querySelector('button[type="submit"]');
    error.hidden = true;
    progress.hidden = false;
    bar.value = 0;
    label.textContent = "0%";
    button.disabled = true;

    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/v1/posts");
    xhr.setRequestHeader("X-CSRFToken", site.csrfToken());
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", (progressEvent) => {
      if (progressEvent.lengthComputable) {
        const percent = Math.round((progressEvent.loaded / progressEvent.total) * 100);
        bar.value = percent;
        label.textContent = percent + "%";
      }
    });
    xhr.addEventListener("load", () => {
      if (xhr.status === 201) {
        const next = form.elements.next.value || window.location.pathname;
        window.location.assign(next);
        return;
      }
      progress.hidden = true;
      button.disabled = false;
      error.textContent = errorMessage(xhr);
      error.hidden = false;
    });
    xhr.addEventListener("error", () => {
      progress.hidden = true;
      button.disabled = false;
      error.textContent = "The server could not be reached. Check the connection and try again.";
      error.hidden = false;
    });
    xhr.send(composerData(form));
  }

  // ---- likes --------------------------------------------------------------------------

  function likesText(count) {
    return count + (count === 1 ? " like" : " likes");
  }

  async function sendLike(event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-like")) {
      return;
    }
    event.preventDefault();
    const button = form.querySelector("button");
    const liked = button.getAttribute("aria-pressed") === "true";
    button.disabled = true;
    try {
      const state = await site.api(form.dataset.api, { method: liked ? "DELETE" : "POST" });
      button.setAttribute("aria-pressed", state.liked ? "true" : "false");
      form.action = state.liked ? form.dataset.unlikeUrl : form.dataset.likeUrl;
      form.querySelector("[data-like-count]").textContent = likesText(state.like_count);
    } catch (error) {
      window.alert(error.message);
    } finally {
      button.disabled = false;
    }
  }

  // ---- load more ----------------------------------------------------------------------

  async function loadMore(event) {
    const link = event.target.closest("a[data-load-more]");
    if (!link) {
      return;
    }
    event.preventDefault();
    const holder = link.closest(".feed__more");
    link.setAttribute("aria-busy", "true");
    const url = new URL(link.href, window.location.href);
    url.searchParams.set("partial", "1");
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      if (!response.ok) {
        throw new Error("status " + response.status);
      }
      const template = document.createElement("template");
      template.innerHTML = await response.text();
      const firstNew = template.content.querySelector("article");
      holder.replaceWith(template.content);
      if (firstNew) {
        firstNew.setAttribute("tabindex", "-1");
        firstNew.focus({ preventScroll: true });
      }
    } catch (error) {
      // Fall back to the plain link: the next page, loaded as a page.
      window.location.assign(link.href);
    }
  }

  document.addEventListener("submit", sendComposer);
  document.addEventListener("submit", sendLike);
  document.addEventListener("click", loadMore);
})();
