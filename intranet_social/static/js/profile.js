/*
 * The profile page: photo uploads with a progress bar.
 * Without this file each upload form posts normally and the page comes back. With it, the
 * chosen photo goes to the JSON API (PUT /api/v1/me/avatar or /me/cover, the form's
 * `data-upload`), a progress bar shows how far the upload is, the preview changes in place,
 * and an error appears beside the file field.
 */
(function () {
  "use strict";

  function fieldOf(input) {
    return input.closest(".field");
  }

  function clearError(input) {
    const field = fieldOf(input);
    const old = document.getElementById(input.id + "-error");
    if (old) {
      old.remove();
    }
    field.classList.remove("field--error");
    input.removeAttribute("aria-invalid");
    const rest = (input.getAttribute("aria-describedby") || "")
      .split(" ")
      .filter((id) => id && id !== input.id + "-error");
    if (rest.length) {
      input.setAttribute("aria-describedby", rest.join(" "));
    } else {
      input.removeAttribute("aria-describedby");
    }
  }

  function showError(input, message) {
    clearError(input);
    const error = document.createElement("p");
    error.className = "field__error";
    error.id = input.id + "-error";
    error.textContent = message;
    fieldOf(input).append(error);
    fieldOf(input).classList.add("field--error");
    input.setAttribute("aria-invalid", "true");
    const described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    input.setAttribute("aria-describedby", described.concat(error.id).join(" "));
  }

  function errorMessage(xhr) {
    const answer = xhr.response;
    if (answer && answer.error && answer.error.message) {
      return answer.error.message;
    }
    if (xhr.status === 0) {
      return "The server could not be reached. Check the connection and try again.";
    }
    return "The upload failed (the server answered " + xhr.status + "). Try again.";
  }

  function showUploaded(form, answer) {
    const kind = form.dataset.uploadField;
    const url = kind === "avatar" ? answer.avatar_url : answer.cover_url;
    const preview = document.querySelector('[data-upload-preview="' + kind + '"]');
    if (!preview || !url) {
      window.location.reload();
      return;
    }
    preview.src = url;
  }

  function upload(event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.upload) {
      return;
    }
    const input = form.querySelector('input[type="file"]');
    if (!input || !input.files || input.files.length === 0 || !window.FormData) {
      return; // the page answers "choose a picture" itself
    }
    event.preventDefault();
    const progress = form.querySelector("progress");
    const status = form.querySelector('[role="status"]');
    const button = form.querySelector('button[type="submit"]');
    const data = new FormData();
    data.append("file", input.files[0]);

    const xhr = new XMLHttpRequest();
    xhr.open("PUT", "/api/v1" + form.dataset.upload);
    xhr.setRequestHeader("X-CSRFToken", window.IntranetSocial.csrfToken());
    xhr.setRequestHeader("Accept", "application/json");
    xhr.responseType = "json";
    xhr.upload.addEventListener("progress", (progressEvent) => {
      if (progressEvent.lengthComputable) {
        progress.value = Math.round((progressEvent.loaded / progressEvent.total) * 100);
      }
    });
    xhr.addEventListener("loadend", () => {
      progress.hidden = true;
      button.disabled = false;
      button.removeAttribute("aria-busy");
      if (xhr.status === 200 && xhr.response) {
        input.value = "";
        status.textContent = "Your photo is uploaded.";
        showUploaded(form, xhr.response);
      } else {
        const message = errorMessage(xhr);
        status.textContent = "";
        showError(input, message);
        input.focus();
      }
    });

    clearError(input);
    progress.value = 0;
    progress.hidden = false;
    status.textContent = "Uploading…";
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    xhr.send(data);
  }

  document.addEventListener("submit", upload);
})();
