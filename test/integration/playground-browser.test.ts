import { fileURLToPath } from 'node:url';
import { getOperationAST, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { PlaygroundSettings } from '../../src/playground/playground-page.ts';
import { useBrowser } from '../support/browser.ts';
import { zopayCreateInput } from '../support/builders.ts';
import { useTestStack } from '../support/test-stack.ts';

// The playground as a person meets it: Chromium opens /graphql, runs a tab and shows its answer.

// A short freshness window: the subscription tab sees a Zopay payment at the next refresh.
const stack = useTestStack({ env: { INTENT_FRESHNESS_MS: '1000' } });
const browser = useBrowser();

/** The picture the README shows: rewritten when UPDATE_SCREENSHOTS=1, so a plain run changes no committed file. */
const SCREENSHOT = fileURLToPath(new URL('../../docs/playground.png', import.meta.url));
const screenshotPath = process.env.UPDATE_SCREENSHOTS === '1' ? SCREENSHOT : undefined;

describe('the playground in Chromium', () => {
  it('runs the Zopay create tab and shows its answer, asking nothing of any other host', async () => {
    const page = await browser().newPage({ viewport: { width: 1440, height: 900 } });
    try {
      const requested: string[] = [];
      page.on('request', (request) => requested.push(request.url()));
      // A blocked script, style or connection is reported on the console, as an error.
      const consoleErrors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || /Content.Security.Policy/i.test(message.text())) {
          consoleErrors.push(message.text());
        }
      });
      page.on('pageerror', (error) => consoleErrors.push(error.message));

      await page.goto(stack().app.graphqlUrl);
      const tabs = page.locator('.graphiql-tab');
      await tabs.first().waitFor();
      const settings = JSON.parse((await page.locator('#playground-settings').textContent())!) as PlaygroundSettings;
      const operationNames = settings.tabs.map((tab) => getOperationAST(parse(tab.query))?.name?.value);
      expect(operationNames).toHaveLength(7);
      expect(await tabs.allInnerTexts()).toEqual(operationNames);

      await page.getByRole('button', { name: /execute query/i }).click();
      const result = page.locator('.result-window');
      await result.getByText('"userErrors": []').waitFor();
      // The text of the result pane's editor (CodeMirror 5 keeps its instance on its element).
      const shown = await result.locator('.CodeMirror').evaluate((editor: any) => editor.CodeMirror.getValue());
      expect(JSON.parse(shown)).toMatchObject({
        data: {
          createPaymentIntent: {
            replayed: false,
            paymentIntent: { id: expect.stringMatching(/^zopay:pi_/), status: 'REQUIRES_PAYMENT_INSTRUMENT' },
            userErrors: [],
          },
        },
      });
      expect((await page.screenshot({ path: screenshotPath })).byteLength).toBeGreaterThan(0);

      // GraphiQL adds a <style> element while a dialog is open: the page's nonce must let it in.
      await page.getByRole('button', { name: /settings/i }).click();
      await page.getByRole('dialog').waitFor();

      const origin = new URL(stack().app.graphqlUrl).origin;
      // data: URLs (GraphiQL's inlined fonts and icons) are read from the page itself, not asked of a host.
      const elsewhere = requested.filter((url) => !url.startsWith('data:') && new URL(url).origin !== origin);
      expect(elsewhere).toEqual([]);
      expect(requested).toContain(`${origin}/playground/graphiql.js`);
      expect(consoleErrors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('runs the subscription tab over WebSocket: the intent now, then its change when it is paid', async () => {
    const page = await browser().newPage({ viewport: { width: 1440, height: 900 } });
    try {
      const created = await stack().graphql(
        'mutation ($input: CreatePaymentIntentInput!) { createPaymentIntent(input: $input) { paymentIntent { id providerId } } }',
        { input: zopayCreateInput({}, `browser-${Date.now()}`) },
      );
      const { id, providerId } = created.data!.createPaymentIntent.paymentIntent as { id: string; providerId: string };
      const consoleErrors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(message.text());
      });
      const sockets: string[] = [];
      page.on('websocket', (socket) => sockets.push(socket.url()));

      await page.goto(stack().app.graphqlUrl);
      const subscriptionTab = page.locator('.graphiql-tab').last();
      await subscriptionTab.click();
      // GraphiQL learns the new tab's operation name 100 ms after the switch (a debounced editor change);
      // a run before that sends the previous tab's name, which the server rightly refuses.
      const queryEditor = page.locator('.graphiql-query-editor .CodeMirror');
      await expect
        .poll(() => queryEditor.evaluate((editor: any) => editor.CodeMirror.operationName), { timeout: 10_000 })
        .toBe(await subscriptionTab.innerText());
      // The variables editor (CodeMirror 5 keeps its instance on its element).
      await page
        .locator('.graphiql-editor-tool .CodeMirror')
        .first()
        .evaluate((editor: any, variables) => editor.CodeMirror.setValue(variables), JSON.stringify({ id }));
      await page.getByRole('button', { name: /execute query/i }).click();
      const result = page.locator('.result-window');
      await result.getByText('"REQUIRES_PAYMENT_INSTRUMENT"', { exact: true }).waitFor();

      expect(stack().zopay.setStatus(providerId, 'completed')).toBe(true);
      await result.getByText('"COMPLETED"', { exact: true }).waitFor({ timeout: 15_000 });
      expect(sockets).toEqual([`${new URL(stack().app.graphqlUrl).origin.replace('http', 'ws')}/graphql`]);
      expect(consoleErrors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
