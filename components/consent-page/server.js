/**
 * The admin-consent page's web server: dependency-free Node, run by App Service (`node server.js`) from the package
 * ConsentSite uploads, and by the browser test. Serves the static files next to it and `/config.json` built from the
 * app settings APP_ID and TENANT_DOMAIN. Nothing else: no cookies, no server-side OAuth, no secrets.
 * It is on the public internet: no request, however malformed, may throw out of the handler or stop the server.
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

/** The methods answered; anything else is 405 with this Allow header (RFC 9110 15.5.6). */
const ALLOW = "GET, HEAD";

/**
 * Headers on every answer: the page runs only its own script and styles, is never framed, leaks no URL, and is
 * reached over HTTPS only from the first visit on (HSTS for a year, subdomains included; App Service terminates TLS).
 */
const SECURITY_HEADERS = {
  "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cache-Control": "no-store",
  "X-Frame-Options": "DENY",
};

/**
 * The path of a request target, or undefined when it is not one this server can read. Origin-form (`/a?b`) is
 * split at `?`/`#` by hand: `new URL(target, base)` reads `//host:port/` as a host and throws on a bad one. The
 * absolute-form (`http://host/a`, which RFC 9112 3.2.2 says servers must accept) is parsed, inside a try.
 */
function pathOf(target) {
  if (typeof target !== "string" || target === "") return undefined;
  if (target.startsWith("/")) {
    const end = target.search(/[?#]/);
    return end < 0 ? target : target.slice(0, end);
  }
  if (/^https?:\/\//i.test(target)) {
    try {
      return new URL(target).pathname;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * @param {{ appId?: string, tenantDomain?: string, root?: string }} options
 * @returns {http.Server}
 */
function createServer(options = {}) {
  const root = options.root || __dirname;
  const config = JSON.stringify({ appId: options.appId || "", tenantDomain: options.tenantDomain || "" });
  const server = http.createServer((req, res) => {
    const send = (status, type, body, extra = {}) => {
      if (res.headersSent) return res.end();
      const data = Buffer.isBuffer(body) ? body : Buffer.from(body, "utf8");
      res.writeHead(status, { ...SECURITY_HEADERS, ...extra, "Content-Type": type, "Content-Length": data.length });
      // HEAD: the same status and headers as GET, no body (RFC 9110 9.3.2).
      res.end(req.method === "HEAD" ? undefined : data);
    };
    try {
      if (req.method !== "GET" && req.method !== "HEAD") return send(405, "text/plain; charset=utf-8", "Method not allowed\n", { Allow: ALLOW });
      const pathname = pathOf(req.url);
      if (pathname === undefined) return send(400, "text/plain; charset=utf-8", "Bad request\n");
      if (pathname === "/config.json") return send(200, "application/json; charset=utf-8", config);
      const file = Object.prototype.hasOwnProperty.call(FILES, pathname) ? FILES[pathname] : undefined;
      if (!file) return send(404, "text/plain; charset=utf-8", "Not found\n");
      fs.readFile(path.join(root, file[0]), (err, data) => (err ? send(500, "text/plain; charset=utf-8", "Error\n") : send(200, file[1], data)));
    } catch {
      send(500, "text/plain; charset=utf-8", "Error\n");
    }
  });
  // Requests Node's parser refuses (bad request line, headers over the size limit): a 400 with the same headers.
  server.on("clientError", (err, socket) => {
    if (!socket.writable || err.code === "ECONNRESET") return socket.destroy();
    const status = err.code === "HPE_HEADER_OVERFLOW" ? "431 Request Header Fields Too Large" : "400 Bad Request";
    const headers = Object.entries(SECURITY_HEADERS).map(([k, v]) => `${k}: ${v}\r\n`).join("");
    socket.end(`HTTP/1.1 ${status}\r\n${headers}Content-Length: 0\r\nConnection: close\r\n\r\n`);
  });
  return server;
}

module.exports = { createServer, FILES, SECURITY_HEADERS, ALLOW, pathOf };

if (require.main === module) {
  const port = Number(process.env.PORT || 8080);
  createServer({ appId: process.env.APP_ID, tenantDomain: process.env.TENANT_DOMAIN }).listen(port, () => {
    console.log(`Pexip Teams Connector admin-consent page on port ${port}`);
  });
}
