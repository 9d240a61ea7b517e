/**
 * The admin-consent page's web server: dependency-free Node, run by App Service (`node server.js`) from the package
 * ConsentSite uploads, and by the browser test. Serves the static files next to it and `/config.json` built from the
 * app settings APP_ID and TENANT_DOMAIN. Nothing else: no cookies, no server-side OAuth, no secrets.
 */
"use strict";
const fs = require("fs");
const http = require("http");
const path = require("path");

/** The only files served, with their content types (no directory walking, no traversal). */
const FILES = {
  "/": ["index.html", "text/html; charset=utf-8"],
  "/index.html": ["index.html", "text/html; charset=utf-8"],
  "/consent.js": ["consent.js", "text/javascript; charset=utf-8"],
  "/style.css": ["style.css", "text/css; charset=utf-8"],
};

/** Headers on every answer: the page runs only its own script and styles, is never framed and leaks no URL. */
const SECURITY_HEADERS = {
  "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cache-Control": "no-store",
  "X-Frame-Options": "DENY",
};

/**
 * @param {{ appId?: string, tenantDomain?: string, root?: string }} options
 * @returns {http.Server}
 */
function createServer(options = {}) {
  const root = options.root || __dirname;
  const config = JSON.stringify({ appId: options.appId || "", tenantDomain: options.tenantDomain || "" });
  return http.createServer((req, res) => {
    const url = new URL(req.url || "/", "http://localhost");
    const send = (status, type, body) => {
      res.writeHead(status, { ...SECURITY_HEADERS, "Content-Type": type });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    if (req.method !== "GET" && req.method !== "HEAD") return send(405, "text/plain; charset=utf-8", "Method not allowed\n");
    if (url.pathname === "/config.json") return send(200, "application/json; charset=utf-8", config);
    const file = FILES[url.pathname];
    if (!file) return send(404, "text/plain; charset=utf-8", "Not found\n");
    fs.readFile(path.join(root, file[0]), (err, data) => (err ? send(500, "text/plain; charset=utf-8", "Error\n") : send(200, file[1], data)));
  });
}

module.exports = { createServer, FILES, SECURITY_HEADERS };

if (require.main === module) {
  const port = Number(process.env.PORT || 8080);
  createServer({ appId: process.env.APP_ID, tenantDomain: process.env.TENANT_DOMAIN }).listen(port, () => {
    console.log(`Pexip Teams Connector admin-consent page on port ${port}`);
  });
}
