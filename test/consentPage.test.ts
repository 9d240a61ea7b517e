/**
 * The admin-consent page in a real browser: the same server.js and static files App Service runs, served on 127.0.0.1,
 * driven in headless Chromium (Debian's `chromium` + playwright-core). No network: the navigation to
 * login.microsoftonline.com is intercepted and its URL asserted. Without Chromium the suite fails under CI and is
 * skipped locally with a message.
 */
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import type { AddressInfo } from "net";
import type { BrowserContext, Page } from "playwright-core";

// An empty CHROMIUM_PATH (e.g. `$(command -v chromium)` finding none) means unset.
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const HAVE_CHROMIUM = fs.existsSync(CHROMIUM);
const APP_ID = "c054d1cb-7961-48e1-b004-389e81356232";
const TENANT_DOMAIN = "contoso.onmicrosoft.com";
const STATE_KEY = "pexip-cvi-consent-state";

if (!HAVE_CHROMIUM && process.env.CI) {
  test("Chromium is installed for the consent page test", () => {
    throw new Error(`Chromium not found at ${CHROMIUM} (set CHROMIUM_PATH, or apt-get install -y chromium): the consent page test must run in CI`);
  });
} else if (!HAVE_CHROMIUM) {
  // eslint-disable-next-line no-console
  console.warn(`consentPage.test.ts: skipped, Chromium not found at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
  test.skip("consent page in headless Chromium (Chromium not installed)", () => undefined);
} else {
  describe("admin-consent page in headless Chromium", () => {
    let server: http.Server;
    let origin: string;
    let context: BrowserContext;
    let userDataDir: string;
    let page: Page;
    let intercepted: string[];

    beforeAll(async () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { createServer } = require("../components/consent-page/server.js") as { createServer: (o: object) => http.Server };
      server = createServer({ appId: APP_ID, tenantDomain: TENANT_DOMAIN });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "consent-chromium-"));
      const { chromium } = await import("playwright-core");
      // A throw-away profile (playwright passes it to Chromium as --user-data-dir).
      context = await chromium.launchPersistentContext(userDataDir, {
        executablePath: CHROMIUM,
        headless: true,
        args: [
          "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
          "--disable-component-update", "--disable-sync",
        ],
      });
    });

    afterAll(async () => {
      await page?.close();
      await context?.close();
      await new Promise((resolve) => server?.close(resolve));
      if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
    });

    // One tab for the whole suite (a Chromium tab costs about a second on a 2-core runner); each test starts clean.
    beforeEach(async () => {
      intercepted = [];
      if (page) {
        await page.goto(`${origin}/style.css`);
        await page.evaluate(() => sessionStorage.clear());
        return;
      }
      page = await context.newPage();
      // The only way out of the page: record it and answer locally.
      await page.route("https://login.microsoftonline.com/**", async (route) => {
        intercepted.push(route.request().url());
        await route.fulfill({ status: 200, contentType: "text/html", body: "<p>intercepted</p>" });
      });
      await page.route((url) => !url.href.startsWith(origin) && !url.href.startsWith("https://login.microsoftonline.com/"), (route) => route.abort());
    });

    async function open(query = ""): Promise<void> {
      await page.goto(`${origin}/${query}`);
      await page.waitForSelector("body[data-ready=true]");
    }

    async function clickAndCapture(selector: string): Promise<URL> {
      await Promise.all([page.waitForURL(/login\.microsoftonline\.com/), page.click(selector)]);
      expect(intercepted).toHaveLength(1);
      return new URL(intercepted[0]);
    }

    function expectConsentUrl(url: URL, tenant: string): string {
      expect(`${url.origin}${url.pathname}`).toBe(`https://login.microsoftonline.com/${tenant}/v2.0/adminconsent`);
      expect(url.searchParams.get("client_id")).toBe(APP_ID);
      expect(url.searchParams.get("scope")).toBe("https://graph.microsoft.com/.default");
      expect(url.searchParams.get("redirect_uri")).toBe(`${origin}/`);
      const state = url.searchParams.get("state") ?? "";
      expect(state).toMatch(/^[0-9a-f]{32}$/);
      return state;
    }

    test("shows the app ID and the tenant domain the app was registered in", async () => {
      await open();
      expect(await page.textContent("#app-id")).toBe(APP_ID);
      expect(await page.textContent("#tenant-domain")).toBe(TENANT_DOMAIN);
      expect(await page.isVisible("#result")).toBe(false);
    });

    test("\"Initiate the consent for your tenant\" goes to the organizations endpoint with a fresh state kept in sessionStorage", async () => {
      await open();
      expect(await page.textContent("#consent-own")).toBe("Initiate the consent for your tenant");
      const state = expectConsentUrl(await clickAndCapture("#consent-own"), "organizations");
      await page.goto(`${origin}/style.css`);
      expect(await page.evaluate((k) => sessionStorage.getItem(k), STATE_KEY)).toBe(state);
    });

    test("another tenant by ID", async () => {
      await open();
      await page.fill("#tenant-input", "  9C7A1F2E-3B4D-4E5F-8A9B-0C1D2E3F4A5B ");
      expectConsentUrl(await clickAndCapture("#consent-other"), "9c7a1f2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b");
    });

    test("another tenant by domain", async () => {
      await open();
      await page.fill("#tenant-input", "Fabrikam.onmicrosoft.com");
      expectConsentUrl(await clickAndCapture("#consent-other"), "fabrikam.onmicrosoft.com");
    });

    test("invalid tenant input is refused and nothing is requested", async () => {
      await open();
      for (const value of ["", "not a tenant", "fabrikam", "https://evil.example/x", "../common", "9c7a1f2e-3b4d-4e5f-8a9b", "contoso.onmicrosoft.com/x"]) {
        await page.$eval("#input-error", (el) => el.setAttribute("hidden", ""));
        await page.fill("#tenant-input", value);
        await page.click("#consent-other");
        await page.waitForSelector("#input-error:not([hidden])");
        expect([value, await page.textContent("#input-error")]).toEqual([value, expect.stringMatching(/^Enter a tenant ID \(a GUID/)]);
      }
      expect(intercepted).toEqual([]);
      expect(new URL(page.url()).origin).toBe(origin);
      expect(await page.evaluate((k) => sessionStorage.getItem(k), STATE_KEY)).toBeNull();
    });

    test("the full round trip: consent, then the success return shows tenant and app ID with the advice to save them", async () => {
      await open();
      const state = expectConsentUrl(await clickAndCapture("#consent-own"), "organizations");
      const tenant = "9c7a1f2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b";
      await open(`?admin_consent=True&tenant=${tenant}&state=${state}&scope=https%3a%2f%2fgraph.microsoft.com%2f.default`);
      expect(await page.textContent("#result-title")).toBe("Admin consent granted.");
      expect(await page.textContent("#result-tenant")).toBe(tenant);
      expect(await page.textContent("#result-app")).toBe(APP_ID);
      expect(await page.textContent("#result-advice")).toMatch(/We recommend saving the information shown on this page/);
      // Read once: the address bar is cleaned and the state cannot be replayed.
      expect(new URL(page.url()).search).toBe("");
      expect(await page.evaluate((k) => sessionStorage.getItem(k), STATE_KEY)).toBeNull();
    });

    test("an error return shows error and error_description as text (no HTML injection)", async () => {
      await open();
      await page.evaluate((k) => sessionStorage.setItem(k, "0123456789abcdef0123456789abcdef"), STATE_KEY);
      const description = "AADSTS65004: User declined to consent <img src=x onerror=\"document.body.dataset.pwned='1'\">";
      await open(`?error=access_denied&error_description=${encodeURIComponent(description)}&state=0123456789abcdef0123456789abcdef`);
      expect(await page.textContent("#result-title")).toBe("Admin consent was not granted.");
      expect(await page.textContent("#error-code")).toBe("access_denied");
      expect(await page.textContent("#result-description")).toBe(description);
      expect(await page.locator("#result img").count()).toBe(0);
      expect(await page.getAttribute("body", "data-pwned")).toBeNull();
      expect(await page.isVisible("#result-details")).toBe(false);
    });

    test("a tampered state is refused: no success shown", async () => {
      await open();
      const state = expectConsentUrl(await clickAndCapture("#consent-own"), "organizations");
      const tampered = state.slice(0, -1) + (state.endsWith("0") ? "1" : "0");
      await open(`?admin_consent=True&tenant=9c7a1f2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b&state=${tampered}`);
      expect(await page.textContent("#result-title")).toMatch(/^Response refused: the state does not match/);
      expect(await page.isVisible("#result-details")).toBe(false);
      expect(await page.textContent("#result-tenant")).toBe("");
    });

    test("a return with no state, or no request from this browser, is refused", async () => {
      await open();
      await page.evaluate((k) => sessionStorage.setItem(k, "0123456789abcdef0123456789abcdef"), STATE_KEY);
      await open("?admin_consent=True&tenant=9c7a1f2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b");
      expect(await page.textContent("#result-title")).toMatch(/^Response refused/);
      await open("?admin_consent=True&tenant=9c7a1f2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b&state=0123456789abcdef0123456789abcdef");
      // The stored state was consumed by the first return.
      expect(await page.textContent("#result-title")).toMatch(/^Response refused/);
      expect(await page.isVisible("#result-details")).toBe(false);
    });

    test("the server sends only its files, with a strict content security policy", async () => {
      const res = await page.goto(`${origin}/`);
      expect(res?.headers()["content-security-policy"]).toContain("script-src 'self'");
      expect(res?.headers()["referrer-policy"]).toBe("no-referrer");
      expect((await page.goto(`${origin}/server.js`))?.status()).toBe(404);
      expect((await page.goto(`${origin}/../package.json`))?.status()).toBe(404);
      const config = await page.goto(`${origin}/config.json`);
      expect(await config?.json()).toEqual({ appId: APP_ID, tenantDomain: TENANT_DOMAIN });
    });
  });
}
