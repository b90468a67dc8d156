/*
 * Messaging pages: new messages appear and the unread badge updates without a reload.
 * Every page works without this file (a reload shows everything); it only adds:
 *  - on a conversation, polling `GET /conversations/{id}/messages?after=<last id>` every 3 s
 *    while the tab is visible and every 30 s while hidden (the server answers 204 when
 *    nothing is new), appending what came and marking it read;
 *  - sending a text-only message without leaving the page;
 *  - on the conversation list, refreshing the unread counts the same way.
 */
(function () {
  "use strict";

  const VISIBLE_DELAY = 3000;
  const HIDDEN_DELAY = 30000;
  const LIST_DELAY = 10000;

  function delay(visibleDelay) {
    return document.visibilityState === "visible" ? visibleDelay : HIDDEN_DELAY;
  }

  function setBadge(count) {
    const link = document.querySelector('.nav a.nav__link[href="/messages"]');
    if (!link) {
      return;
    }
    let badge = link.querySelector(".nav__count");
    if (!count) {
      if (badge) {
        badge.remove();
      }
      return;
    }
    if (!badge) {
      badge = document.createElement("span");
      badge.className = "nav__count";
      link.append(badge);
    }
    const hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = " new";
    badge.replaceChildren(count < 100 ? String(count) : "99+", hidden);
  }

  function localTime(iso) {
    const moment = new Date(iso);
    return moment.toLocaleString(undefined, {
      day: "2-digit",
      month: "short",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
    });
  }

  function messageItem(message) {
    const item = document.createElement("li");
    item.className = message.mine ? "message message--mine" : "message";
    item.id = "message-" + message.id;
    item.dataset.messageId = String(message.id);
    const meta = document.createElement("p");
    meta.className = "message__meta";
    if (message.sender) {
      const link = document.createElement("a");
      link.href = "/u/" + encodeURIComponent(message.sender.username);
      link.textContent = message.sender.name;
      meta.append(link);
    } else {
      meta.append("Former member");
    }
    const time = document.createElement("time");
    time.dateTime = message.created_at;
    time.textContent = localTime(message.created_at);
    meta.append(" · ", time);
    item.append(meta);
    if (message.body) {
      const body = document.createElement("div");
      body.className = "message__body";
      body.innerHTML = message.html; // escaped and linked by the server
      item.append(body);
    }
    if (message.photos.length) {
      const photos = document.createElement("div");
      photos.className = "message__photos";
      message.photos.forEach((photo, index) => {
        const link = document.createElement("a");
        link.href = photo.url;
        const image = document.createElement("img");
        image.src = photo.thumb_url;
        image.alt = "Photo " + (index + 1) + " from " + (message.sender ? message.sender.name : "a former member");
        image.loading = "lazy";
        link.append(image);
        photos.append(link);
      });
      item.append(photos);
    }
    return item;
  }

  function watchConversation(list) {
    const id = list.dataset.conversation;
    let latest = Number(list.dataset.latest) || 0;
    let timer = null;
    let busy = false;

    function append(messages) {
      for (const message of messages) {
        if (message.id > latest) {
          latest = message.id;
        }
        if (!document.getElementById("message-" + message.id)) {
          list.append(messageItem(message));
        }
      }
      const empty = document.querySelector("[data-empty]");
      if (empty && list.children.length) {
        empty.remove();
      }
    }

    async function poll() {
      if (busy) {
        return;
      }
      busy = true;
      try {
        const answer = await window.IntranetSocial.api(
          "/conversations/" + id + "/messages?after=" + latest
        );
        if (answer && answer.items.length) {
          append(answer.items);
          if (document.visibilityState === "visible") {
            const unread = await window.IntranetSocial.api("/conversations/" + id + "/read", {
              method: "POST",
            });
            setBadge(unread.messages);
          }
        }
      } catch (error) {
        // A failed poll is retried at the next tick; the page still works with a reload.
      } finally {
        busy = false;
        schedule();
      }
    }

    function schedule() {
      window.clearTimeout(timer);
      timer = window.setTimeout(poll, delay(VISIBLE_DELAY));
    }

    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") {
        poll();
      } else {
        schedule();
      }
    });

    const form = document.querySelector(".message-form");
    if (form) {
      form.addEventListener("submit", async (event) => {
        const photos = form.querySelector('input[type="file"]');
        const text = form.querySelector("textarea");
        if ((photos && photos.files.length) || !text || !text.value.trim()) {
          return; // photos and errors go the plain way: the page answers them
        }
        event.preventDefault();
        try {
          const message = await window.IntranetSocial.api("/conversations/" + id + "/messages", {
            body: { body: text.value },
          });
          append([message]);
          text.value = "";
          text.focus();
        } catch (error) {
          form.submit();
        }
      });
    }

    schedule();
  }

  function watchList() {
    async function refresh() {
      try {
        const answer = await window.IntranetSocial.api("/conversations");
        let total = 0;
        for (const item of answer.items) {
          total += item.unread;
        }
        setBadge(total);
      } catch (error) {
        // Retried at the next tick.
      }
      window.setTimeout(refresh, delay(LIST_DELAY));
    }
    window.setTimeout(refresh, delay(LIST_DELAY));
  }

  document.addEventListener("DOMContentLoaded", () => {
    const conversation = document.querySelector(".messages[data-conversation]");
    if (conversation) {
      watchConversation(conversation);
    } else if (document.querySelector("[data-conversation-list]")) {
      watchList();
    }
  });
})();
