// The sign-in page: email and password to POST /admin/session; the session is an HttpOnly cookie.
import { api, problem, ready, say } from "./common.js";

const form = document.getElementById("sign-in");
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  say("");
  const password = document.getElementById("password");
  const reply = await api("POST", "/admin/session", {
    email: document.getElementById("email").value,
    password: password.value,
  });
  password.value = "";
  if (reply.status === 201) {
    window.location.assign("dashboard.html");
  } else {
    say(problem(reply));
  }
});
ready();
