// One developer: profile (change, suspend, delete), its keys (issue with a copy-once dialog,
// revoke, rotate with a grace, edit rights, plan and expiry) and its usage over time.
import {
  Pager, api, canChange, changeButton, el, fillTable, formDialog, input, list, localValue,
  problem, rangeQuery, ready, say, select, showOnce, startPage, text, utc, when
} from "./common.js";
import { lineChart, outcomeSeries, sumSeries } from "./charts.js";

await startPage();
const id = new URLSearchParams(window.location.search).get("id") || "";
let developer = null;
let apis = [];
let plans = [];

async function loadProfile() {
  const reply = await api("GET", "/admin/developers/" + encodeURIComponent(id));
  if (reply.status !== 200) {
    say(reply.status === 404 ? "No developer has the id " + id + "." : problem(reply));
    return false;
  }
  developer = reply.json;
  document.title = developer.name + " · XecureAPI console";
  document.querySelector("h1").textContent = "Developer: " + developer.name;
  const facts = document.getElementById("profile");
  facts.replaceChildren();
  for (const [label, value] of [["ID", developer.id], ["Name", developer.name], ["Email", developer.email],
    ["Status", developer.status], ["Created", when(developer.created_at)]]) {
    facts.append(el("dt", {}, label), el("dd", { "data-field": label.toLowerCase() }, text(value)));
  }
  document.getElementById("dev-name").value = developer.name;
  document.getElementById("dev-email").value = developer.email;
  document.getElementById("suspend").textContent =
    developer.status === "suspended" ? "Reactivate" : "Suspend";
  return true;
}

async function patchDeveloper(body) {
  const reply = await api("PATCH", "/admin/developers/" + encodeURIComponent(id), body);
  if (reply.status === 200) {
    say("Saved.", false);
    await loadProfile();
  } else {
    say(problem(reply));
  }
}

document.getElementById("edit").addEventListener("submit", async (event) => {
  event.preventDefault();
  await patchDeveloper({
    name: document.getElementById("dev-name").value,
    email: document.getElementById("dev-email").value,
  });
});
document.getElementById("suspend").addEventListener("click", () =>
  patchDeveloper({ status: developer.status === "suspended" ? "active" : "suspended" }));
document.getElementById("delete").addEventListener("click", async () => {
  if (!window.confirm("Delete " + developer.name + " and revoke all its keys?")) return;
  const reply = await api("DELETE", "/admin/developers/" + encodeURIComponent(id));
  if (reply.status === 200) {
    window.location.assign("developers.html");
  } else {
    say(problem(reply));
  }
});

// --- keys

const keyStatus = document.getElementById("key-status");
const pager = new Pager("keys", (cursor) => api("GET", "/admin/keys?limit=50&developer=" +
  encodeURIComponent(id) + (keyStatus.value ? "&status=" + keyStatus.value : "") +
  (cursor ? "&cursor=" + encodeURIComponent(cursor) : "")), renderKeys);
keyStatus.addEventListener("change", () => pager.first());

function renderKeys(items) {
  fillTable(document.getElementById("keys"), items, [
    (k) => el("span", { class: "mono", title: k.id }, k.display_prefix + "…"),
    (k) => k.name,
    (k) => k.status + (k.grace_until ? " (until " + when(k.grace_until) + ")" : ""),
    (k) => k.apis.join(", "),
    (k) => k.scopes.join(", "),
    (k) => k.allowed_cidrs.join(", "),
    (k) => k.plan || "API default",
    (k) => when(k.expires_at) || "never",
    (k) => k.last_used_at ? when(k.last_used_at) + " from " + text(k.last_used_ip) : "never",
    (k) => keyActions(k),
  ], "No keys.");
}

function keyActions(key) {
  const actions = el("div", { class: "row-actions" });
  if (key.status !== "active") return actions;
  actions.append(
    changeButton("Edit", () => editKey(key), false, { "aria-label": "Edit key " + key.name }),
    changeButton("Rotate", () => rotateKey(key), false, { "aria-label": "Rotate key " + key.name }),
    changeButton("Revoke", () => revokeKey(key), false, { "aria-label": "Revoke key " + key.name, class: "danger" }),
  );
  return actions;
}

function apiOptions(chosen) {
  const box = el("fieldset", { class: "choices" }, el("legend", {}, "APIs it may call"));
  for (const a of apis) {
    const boxId = "api-" + a.name;
    box.append(el("label", { for: boxId, class: "choice" },
      el("input", { type: "checkbox", id: boxId, name: "apis", value: a.name, checked: chosen.includes(a.name) }),
      " " + a.name + " (" + a.path + ")"));
  }
  return box;
}

function keyFields(key) {
  return [
    ["k-name", "Name", input({ required: true, maxlength: 200, value: key ? key.name : "" })],
    ["k-scopes", "Scopes (comma separated)", input({ value: key ? key.scopes.join(", ") : "" })],
    ["k-cidrs", "Allowed client networks, CIDRs (comma separated; empty: anywhere)",
      input({ value: key ? key.allowed_cidrs.join(", ") : "", placeholder: "10.0.0.0/8" })],
    ["k-plan", "Plan", select([["", "the API's default"], ...plans.map((p) => [p.name, p.name])], key ? key.plan || "" : "")],
    ["k-expires", "Expires (UTC; empty: never)", input({ type: "datetime-local", value: key ? localValue(key.expires_at) : "" })],
  ];
}

function readKeyForm(form) {
  return {
    name: form.querySelector("#k-name").value,
    apis: [...form.querySelectorAll("input[name=apis]:checked")].map((b) => b.value),
    scopes: list(form.querySelector("#k-scopes").value),
    allowed_cidrs: list(form.querySelector("#k-cidrs").value),
    plan: form.querySelector("#k-plan").value || null,
    expires_at: utc(form.querySelector("#k-expires").value),
  };
}

async function keyDialog(title, key, submit) {
  const dialogForm = formDialog(title, keyFields(key), submit);
  // the API choices go before the buttons of the form the dialog just built
  const form = document.querySelector("dialog form");
  form.insertBefore(apiOptions(key ? key.apis : apis.length === 1 ? [apis[0].name] : []), form.querySelector(".actions"));
  return dialogForm;
}

document.getElementById("issue").addEventListener("click", async () => {
  const form = await keyDialog("Issue a key to " + developer.name, null, "Issue key");
  if (!form) return;
  const reply = await api("POST", "/admin/developers/" + encodeURIComponent(id) + "/keys", readKeyForm(form));
  if (reply.status === 201) {
    say("Key " + reply.json.id + " issued.", false);
    await pager.first();
    showOnce("New key " + reply.json.name, reply.json.key);
  } else {
    say(problem(reply));
  }
});

async function editKey(key) {
  const form = await keyDialog("Edit key " + key.name, key, "Save key");
  if (!form) return;
  const reply = await api("PATCH", "/admin/keys/" + encodeURIComponent(key.id), readKeyForm(form));
  if (reply.status === 200) {
    say("Key " + key.id + " saved.", false);
    await pager.show(pager.cursors[pager.cursors.length - 1]);
  } else {
    say(problem(reply));
  }
}

async function rotateKey(key) {
  const form = await formDialog("Rotate key " + key.name, [
    ["k-grace", "The old key keeps working for", select([["0s", "no grace: stop now"], ["1h", "1 hour"],
      ["24h", "24 hours"], ["168h", "7 days"]], "24h")],
  ], "Rotate key");
  if (!form) return;
  const reply = await api("POST", "/admin/keys/" + encodeURIComponent(key.id) + "/rotate",
    { grace: form.querySelector("#k-grace").value });
  if (reply.status === 200 || reply.status === 201) {
    say("Key " + key.id + " rotated to " + reply.json.id + ".", false);
    await pager.first();
    showOnce("Rotated key " + reply.json.name, reply.json.key);
  } else {
    say(problem(reply));
  }
}

async function revokeKey(key) {
  if (!window.confirm("Revoke key " + key.name + " now? Every request with it is refused from now on.")) return;
  const reply = await api("POST", "/admin/keys/" + encodeURIComponent(key.id) + "/revoke");
  if (reply.status === 200) {
    say("Key " + key.id + " revoked.", false);
    await pager.show(pager.cursors[pager.cursors.length - 1]);
  } else {
    say(problem(reply));
  }
}

// --- usage

const range = document.getElementById("range");
async function loadUsage() {
  const reply = await api("GET", "/admin/usage?group_by=key&limit=100&developer=" +
    encodeURIComponent(id) + "&" + rangeQuery(range.value));
  if (reply.status !== 200) {
    say(problem(reply));
    return;
  }
  const points = sumSeries(reply.json.series);
  const requests = points.reduce((n, p) => n + p.requests, 0);
  const denied = points.reduce((n, p) => n + p.denied, 0);
  document.getElementById("totals").textContent = requests + " requests, " + denied + " denied";
  lineChart(document.getElementById("usage-chart"), "Requests per " + reply.json.interval,
    points.map((p) => p.t), outcomeSeries(points));
}
range.addEventListener("change", loadUsage);

if (await loadProfile()) {
  const [apiList, planList] = await Promise.all([api("GET", "/admin/apis"), api("GET", "/admin/plans")]);
  apis = apiList.status === 200 ? apiList.json.items : [];
  plans = planList.status === 200 ? planList.json.items : [];
  await pager.first();
  await loadUsage();
}
if (!canChange()) document.getElementById("issue").disabled = true;
ready();
