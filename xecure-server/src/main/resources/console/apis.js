// APIs and plans as the gateway routes them now; owners add, replace and delete them at run time.
import { api, changeButton, fillTable, list, problem, ready, say, startPage } from "./common.js";

await startPage();

function rate(plan) {
  return plan.rate ? plan.rate.limit + " per " + plan.rate.per : "none";
}

function quota(plan) {
  return plan.quota ? plan.quota.limit + " per " + plan.quota.per : "none";
}

async function load() {
  const [apis, plans] = await Promise.all([api("GET", "/admin/apis"), api("GET", "/admin/plans")]);
  if (apis.status !== 200 || plans.status !== 200) {
    say(problem(apis.status !== 200 ? apis : plans));
    return;
  }
  fillTable(document.getElementById("apis"), apis.json.items, [
    (a) => a.name,
    (a) => a.path,
    (a) => a.upstream.join(", "),
    (a) => (a.strip_path ? "yes" : "no"),
    (a) => a.timeout,
    (a) => [
      changeButton("Edit", () => editApi(a), true, { "aria-label": "Edit API " + a.name }),
      changeButton("Delete", () => deleteApi(a), true, { "aria-label": "Delete API " + a.name, class: "danger" }),
    ].reduce((box, b) => { box.append(b, " "); return box; }, document.createElement("div")),
  ], "No APIs.");
  fillTable(document.getElementById("plans"), plans.json.items, [
    (p) => p.name,
    rate,
    quota,
    (p) => p.limit_by,
    (p) => changeButton("Edit", () => editPlan(p), true, { "aria-label": "Edit plan " + p.name }),
  ], "No plans.");
}

function editApi(a) {
  document.getElementById("api-name").value = a.name;
  document.getElementById("api-path").value = a.path;
  document.getElementById("api-upstream").value = a.upstream.join(", ");
  document.getElementById("api-timeout").value = a.timeout;
  document.getElementById("api-strip").checked = a.strip_path;
  document.getElementById("api-name").focus();
}

async function deleteApi(a) {
  if (!window.confirm("Delete API " + a.name + "? Requests to " + a.path + " are no longer routed.")) return;
  const reply = await api("DELETE", "/admin/apis/" + encodeURIComponent(a.name));
  if (reply.status === 200) {
    say("API " + a.name + " deleted.", false);
    await load();
  } else {
    say(problem(reply));
  }
}

function editPlan(p) {
  document.getElementById("plan-name").value = p.name;
  document.getElementById("plan-rate").value = p.rate ? p.rate.limit : "";
  document.getElementById("plan-rate-per").value = p.rate ? p.rate.per : "";
  document.getElementById("plan-quota").value = p.quota ? p.quota.limit : "";
  document.getElementById("plan-quota-per").value = p.quota ? p.quota.per : "month";
  document.getElementById("plan-limit-by").value = p.limit_by;
  document.getElementById("plan-name").focus();
}

document.getElementById("api-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const name = document.getElementById("api-name").value.trim();
  const body = {
    path: document.getElementById("api-path").value.trim(),
    upstream: list(document.getElementById("api-upstream").value),
    strip_path: document.getElementById("api-strip").checked,
  };
  const timeout = document.getElementById("api-timeout").value.trim();
  if (timeout) body.timeout = timeout;
  const reply = await api("PUT", "/admin/apis/" + encodeURIComponent(name), body);
  if (reply.status === 200 || reply.status === 201) {
    say("API " + name + " saved; it routes now.", false);
    event.target.reset();
    await load();
  } else {
    say(problem(reply));
  }
});

document.getElementById("plan-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const name = document.getElementById("plan-name").value.trim();
  const body = { limit_by: document.getElementById("plan-limit-by").value };
  const rateLimit = document.getElementById("plan-rate").value;
  if (rateLimit) body.rate = { limit: Number(rateLimit), per: document.getElementById("plan-rate-per").value.trim() || "1s" };
  const quotaLimit = document.getElementById("plan-quota").value;
  if (quotaLimit) body.quota = { limit: Number(quotaLimit), per: document.getElementById("plan-quota-per").value };
  const reply = await api("PUT", "/admin/plans/" + encodeURIComponent(name), body);
  if (reply.status === 200 || reply.status === 201) {
    say("Plan " + name + " saved.", false);
    event.target.reset();
    await load();
  } else {
    say(problem(reply));
  }
});

await load();
ready();
