// Operators and their roles (owners only; the API refuses others too): create, change role,
// disable, set a password, delete; personal tokens shown once, and revoked.
import {
  Pager, api, changeButton, el, fillTable, formDialog, input, isOwner, problem, ready, say, select,
  showOnce, startPage, text, when
} from "./common.js";

await startPage();
if (!isOwner()) say("Only owners manage operators.");
let chosen = null;

const pager = new Pager("operators", (cursor) =>
  api("GET", "/admin/operators?limit=50" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : "")),
(items) => fillTable(document.getElementById("rows"), items, [
  (o) => o.email,
  (o) => o.name,
  (o) => o.role,
  (o) => (o.disabled ? "disabled" : "active"),
  (o) => when(o.created_at),
  (o) => el("div", { class: "row-actions" },
    el("button", { type: "button", "aria-label": "Tokens of " + o.email, on: { click: () => showTokens(o) } }, "Tokens"),
    changeButton("Edit", () => editOperator(o), true, { "aria-label": "Edit " + o.email }),
    changeButton("Delete", () => deleteOperator(o), true, { "aria-label": "Delete " + o.email, class: "danger" })),
], "No operators yet."));

async function refresh() {
  await pager.show(pager.cursors[pager.cursors.length - 1]);
}

document.getElementById("create").addEventListener("submit", async (event) => {
  event.preventDefault();
  const body = {
    email: document.getElementById("op-email").value,
    name: document.getElementById("op-name").value,
    role: document.getElementById("op-role").value,
  };
  const password = document.getElementById("op-password");
  if (password.value) body.password = password.value;
  password.value = "";
  const reply = await api("POST", "/admin/operators", body);
  if (reply.status === 201) {
    say("Operator " + reply.json.email + " created.", false);
    event.target.reset();
    await refresh();
  } else {
    say(problem(reply));
  }
});

async function editOperator(o) {
  const form = await formDialog("Edit " + o.email, [
    ["e-name", "Name", input({ value: o.name, required: true })],
    ["e-role", "Role", select([["owner", "owner"], ["operator", "operator"], ["auditor", "auditor"]], o.role)],
    ["e-disabled", "Status", select([["false", "active"], ["true", "disabled (signs out now)"]], String(o.disabled))],
    ["e-password", "New password (empty: unchanged)", input({ type: "password", autocomplete: "new-password" })],
  ], "Save operator");
  if (!form) return;
  const body = {
    name: form.querySelector("#e-name").value,
    role: form.querySelector("#e-role").value,
    disabled: form.querySelector("#e-disabled").value === "true",
  };
  const password = form.querySelector("#e-password");
  if (password.value) body.password = password.value;
  password.value = "";
  const reply = await api("PATCH", "/admin/operators/" + encodeURIComponent(o.id), body);
  if (reply.status === 200) {
    say("Operator " + o.email + " saved.", false);
    await refresh();
  } else {
    say(problem(reply));
  }
}

async function deleteOperator(o) {
  if (!window.confirm("Delete operator " + o.email + " with its tokens and sessions?")) return;
  const reply = await api("DELETE", "/admin/operators/" + encodeURIComponent(o.id));
  if (reply.status === 200) {
    say("Operator " + o.email + " deleted.", false);
    await refresh();
  } else {
    say(problem(reply));
  }
}

async function showTokens(o) {
  chosen = o;
  const reply = await api("GET", "/admin/operators/" + encodeURIComponent(o.id) + "/tokens");
  if (reply.status !== 200) {
    say(problem(reply));
    return;
  }
  const section = document.getElementById("tokens-section");
  section.hidden = false;
  document.getElementById("tokens-h").textContent = "Personal tokens of " + o.email;
  fillTable(document.getElementById("tokens"), reply.json.items, [
    (t) => t.name,
    (t) => t.status,
    (t) => when(t.created_at),
    (t) => when(t.last_used_at) || "never",
    (t) => t.status === "active"
      ? changeButton("Revoke", () => revokeToken(o, t), true, { "aria-label": "Revoke token " + t.name, class: "danger" }) : "",
  ], "No tokens.");
}

async function revokeToken(o, t) {
  const reply = await api("POST", "/admin/operators/" + encodeURIComponent(o.id) + "/tokens/" +
    encodeURIComponent(t.id) + "/revoke");
  if (reply.status === 200) {
    say("Token " + t.name + " revoked.", false);
    await showTokens(o);
  } else {
    say(problem(reply));
  }
}

document.getElementById("new-token").addEventListener("click", async () => {
  if (!chosen) return;
  const form = await formDialog("New token for " + chosen.email,
    [["t-name", "Token name", input({ required: true, maxlength: 200 })]], "Create token");
  if (!form) return;
  const reply = await api("POST", "/admin/operators/" + encodeURIComponent(chosen.id) + "/tokens",
    { name: form.querySelector("#t-name").value });
  if (reply.status === 201) {
    await showTokens(chosen);
    showOnce("Token " + reply.json.name, reply.json.token);
  } else {
    say(problem(reply));
  }
});

if (isOwner()) await pager.first();
ready();
