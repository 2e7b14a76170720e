// The sign-in form, shown whenever the API answers 401: it asks for the
// server's access token and keeps it in this tab (sessionStorage) only.
import { token } from "./api.js";
import { h } from "./dom.js";
import { render } from "./router.js";

// A token was sent and refused: the form says so until the next attempt.
let rejected = false;

function tokenInput() {
  return h("input", {
    type: "password",
    id: "token",
    name: "token",
    autocomplete: "current-password",
    required: true,
    spellcheck: "false",
    "aria-describedby": "token-why",
  });
}

export function signIn() {
  // A token was sent and refused: forget it and say so.
  if (token.get()) {
    token.clear();
    rejected = true;
  }
  const input = tokenInput();
  const form = h(
    "form",
    { class: "signin", id: "signin", "aria-labelledby": "signin-title" },
    h("h1", { id: "signin-title" }, "Sign in"),
    h(
      "p",
      { class: "why", id: "token-why" },
      "This server needs its access token: the text in the token file given to ",
      h("code", null, "w2k8 serve --token-file"),
      " (printed once when the server created it). It is kept in this browser tab only.",
    ),
    h("label", { for: "token" }, "Access token"),
    input,
    rejected ? h("p", { class: "alert", role: "alert", id: "signin-error" }, "That token was not accepted. Try again.") : null,
    h("button", { type: "submit", class: "btn" }, "Sign in"),
  );
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const t = input.value.trim();
    if (!t) return;
    token.set(t);
    rejected = false;
    render();
  });
  return { title: "Sign in", node: form, focus: "token" };
}

// Forgets the token and shows the view again (the sign-in form, as the API now answers 401).
export function signOut() {
  token.clear();
  rejected = false;
  render();
}
