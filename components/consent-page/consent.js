/**
 * The admin-consent flow, in the browser, with no framework: sends the admin to the Microsoft identity platform's
 * admin-consent endpoint for this app (https://learn.microsoft.com/en-us/entra/identity-platform/v2-admin-consent:
 * GET https://login.microsoftonline.com/{tenant}/v2.0/adminconsent?client_id&scope&redirect_uri&state, where
 * {tenant} is `organizations` for "the admin's own tenant" or a tenant ID / domain), with a random `state` kept in
 * sessionStorage and checked when Entra ID redirects back (admin_consent=True&tenant=... or error&error_description).
 * Everything shown comes from the URL or config.json and goes through textContent: never parsed as HTML.
 */
"use strict";
(function () {
  var STATE_KEY = "pexip-cvi-consent-state";
  var LOGIN = "https://login.microsoftonline.com";
  var SCOPE = "https://graph.microsoft.com/.default";
  var GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  var DOMAIN = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

  function $(id) { return document.getElementById(id); }
  function show(id, text) { var el = $(id); if (text !== undefined) el.textContent = text; el.hidden = false; }

  /** The tenant segment for a typed value, or null when it is neither a GUID nor a domain name. */
  function tenantFor(value) {
    var v = value.trim();
    if (GUID.test(v)) return v.toLowerCase();
    if (DOMAIN.test(v)) return v.toLowerCase();
    return null;
  }

  function randomState() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  /** The redirect URI registered on the app: this site's root. */
  function redirectUri() { return location.origin + "/"; }

  function consentUrl(tenant, appId, state) {
    var q = new URLSearchParams({ client_id: appId, scope: SCOPE, redirect_uri: redirectUri(), state: state });
    return LOGIN + "/" + encodeURIComponent(tenant) + "/v2.0/adminconsent?" + q.toString();
  }

  function start(tenant, appId) {
    var state = randomState();
    sessionStorage.setItem(STATE_KEY, state);
    location.assign(consentUrl(tenant, appId, state));
  }

  function renderReturn(params, appId) {
    var expected = sessionStorage.getItem(STATE_KEY);
    sessionStorage.removeItem(STATE_KEY);
    var result = $("result");
    result.hidden = false;
    // Drop the response from the address bar (and history) once read.
    history.replaceState(null, "", location.pathname);
    if (!expected || params.get("state") !== expected) {
      result.className = "failed";
      show("result-title", "Response refused: the state does not match the request this browser sent.");
      show("result-description", "This response was not started from this page in this browser session (or it was altered). Start the consent again below.");
      return;
    }
    if (params.has("error")) {
      result.className = "failed";
      show("result-title", "Admin consent was not granted.");
      show("result-error");
      $("error-code").textContent = params.get("error");
      show("result-description", params.get("error_description") || "");
      return;
    }
    if ((params.get("admin_consent") || "").toLowerCase() === "true") {
      result.className = "succeeded";
      show("result-title", "Admin consent granted.");
      show("result-details");
      $("result-tenant").textContent = params.get("tenant") || "(not returned)";
      $("result-app").textContent = appId;
      show("result-advice");
      return;
    }
    result.className = "failed";
    show("result-title", "Unexpected response: neither admin_consent=True nor an error was returned.");
  }

  function init(config) {
    var appId = config.appId || "";
    $("app-id").textContent = appId || "(not configured)";
    $("tenant-domain").textContent = config.tenantDomain || "(not configured)";

    var params = new URLSearchParams(location.search);
    if (params.has("state") || params.has("error") || params.has("admin_consent")) renderReturn(params, appId);

    $("consent-own").addEventListener("click", function () { start("organizations", appId); });
    $("consent-other").addEventListener("click", function () {
      var raw = $("tenant-input").value;
      var tenant = tenantFor(raw);
      var err = $("input-error");
      if (!tenant) {
        err.textContent = "Enter a tenant ID (a GUID such as 00000000-0000-0000-0000-000000000000) or a domain name (such as contoso.onmicrosoft.com).";
        err.hidden = false;
        return;
      }
      err.hidden = true;
      start(tenant, appId);
    });
    document.body.setAttribute("data-ready", "true");
  }

  document.addEventListener("DOMContentLoaded", function () {
    fetch("/config.json", { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(init, function () { init({}); });
  });
})();
