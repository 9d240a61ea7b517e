/**
 * The consent page's server.js against hostile requests, over raw sockets on loopback (issue 15): malformed
 * request targets (`//a:99999/`, `//[`, absolute-form, huge), odd methods, HEAD. No request may crash it; every
 * answer carries HSTS; 405 names the allowed methods. After each case the server must still serve the page.
 */
import * as http from "http";
import * as net from "net";
import type { AddressInfo } from "net";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createServer, pathOf } = require("../components/consent-page/server.js") as { createServer: (o: object) => http.Server; pathOf: (t: string) => string | undefined };

const HSTS = "max-age=31536000; includeSubDomains";
let server: http.Server;
let port: number;

beforeAll(async () => {
  server = createServer({ appId: "c054d1cb-7961-48e1-b004-389e81356232", tenantDomain: "contoso.onmicrosoft.com" });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends raw bytes, reads until the server closes or a full response (by Content-Length) has arrived. */
function raw(request: string | Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    const done = () => {
      const text = Buffer.concat(chunks).toString("latin1");
      const [head, ...rest] = text.split("\r\n\r\n");
      const [statusLine, ...lines] = head.split("\r\n");
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]));
      resolve({ status: Number(statusLine.split(" ")[1]), headers, body: rest.join("\r\n\r\n") });
    };
    socket.setTimeout(5000, () => {
      socket.destroy();
      reject(new Error("no answer within 5 s"));
    });
    socket.on("data", (d) => {
      chunks.push(d);
      const text = Buffer.concat(chunks).toString("latin1");
      const sep = text.indexOf("\r\n\r\n");
      const len = /content-length:\s*(\d+)/i.exec(text.slice(0, sep));
      if (sep >= 0 && len && Buffer.byteLength(text.slice(sep + 4), "latin1") >= Number(len[1]) && !/^HEAD /.test(String(request))) {
        socket.end();
      }
      if (sep >= 0 && /^HEAD /.test(String(request))) socket.end();
    });
    socket.on("end", done);
    socket.on("error", (e) => (chunks.length > 0 ? done() : reject(e)));
    socket.write(request);
  });
}

const get = (target: string, method = "GET") => raw(`${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);

async function stillServes(): Promise<void> {
  const r = await get("/");
  expect([r.status, r.body]).toEqual([200, expect.stringContaining("<html")]);
}

describe("malformed request targets never crash the server", () => {
  test.each([
    ["//a:99999/", 404],
    ["//[", 404],
    ["//[::1", 404],
    ["//user:pass@[::1]:0/x", 404],
    ["/%", 404],
    ["/%zz", 404],
    ["/?%", 200],
    ["/\u00e9", 400],
    ["http://[/", 400],
    ["http://a:99999/", 400],
    ["http://example.com/index.html?x=1", 200],
    ["HTTP://EXAMPLE.COM/", 200],
    ["*", 400],
    ["example.com:443", 400],
    ["/__proto__", 404],
    ["/constructor", 404],
    ["/../../etc/passwd", 404],
    ["/index.html/..", 404],
    ["/?admin_consent=True&tenant=c054d1cb", 200],
  ])("GET %s: %i", async (target, status) => {
    const r = await get(target);
    expect(r.status).toBe(status);
    expect(r.headers["strict-transport-security"]).toBe(HSTS);
    await stillServes();
  });

  test("a request line of 100 KB is refused (431) and the server goes on", async () => {
    const r = await get(`/${"a".repeat(100_000)}`);
    expect(r.status).toBe(431);
    expect(r.headers["strict-transport-security"]).toBe(HSTS);
    await stillServes();
  });

  test("garbage that is no HTTP at all gets a 400", async () => {
    const r = await raw("\x00\x01\x02 not http\r\n\r\n");
    expect(r.status).toBe(400);
    expect(r.headers["strict-transport-security"]).toBe(HSTS);
    await stillServes();
  });

  test("a client that hangs up mid-request leaves the server running", async () => {
    await new Promise<void>((resolve) => {
      const s = net.connect(port, "127.0.0.1", () => {
        s.write("GET /index.html HTTP/1.1\r\nHost: x\r\n");
        s.destroy();
        resolve();
      });
    });
    await stillServes();
  });
});

describe("methods and headers", () => {
  test.each(["POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "PROPFIND"])("%s: 405 with Allow: GET, HEAD and HSTS", async (method) => {
    const r = await raw(`${method} / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    expect([r.status, r.headers.allow, r.headers["strict-transport-security"]]).toEqual([405, "GET, HEAD", HSTS]);
  });

  test("HEAD: the same status and headers as GET, Content-Length included, no body", async () => {
    const g = await get("/consent.js");
    const h = await get("/consent.js", "HEAD");
    expect(h.status).toBe(200);
    expect(h.body).toBe("");
    expect(h.headers["content-length"]).toBe(String(Buffer.byteLength(g.body, "latin1")));
    const { date: _d1, ...gh } = g.headers;
    const { date: _d2, ...hh } = h.headers;
    expect(hh).toEqual(gh);
  });

  test.each(["/", "/index.html", "/consent.js", "/style.css", "/config.json", "/missing"])("%s carries HSTS and the security headers", async (target) => {
    const r = await get(target);
    expect(r.headers).toMatchObject({ "strict-transport-security": HSTS, "x-content-type-options": "nosniff", "x-frame-options": "DENY", "referrer-policy": "no-referrer" });
  });
});

describe("pathOf", () => {
  test("origin-form is split by hand, absolute-form parsed, the rest refused", () => {
    expect(pathOf("/a?b#c")).toBe("/a");
    expect(pathOf("//a:99999/x")).toBe("//a:99999/x");
    expect(pathOf("https://h/p?q")).toBe("/p");
    expect(pathOf("http://[/")).toBeUndefined();
    expect(pathOf("*")).toBeUndefined();
    expect(pathOf("")).toBeUndefined();
  });
});
