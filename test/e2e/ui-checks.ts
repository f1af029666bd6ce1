/**
 * Small checks the recording and upload specs share: a definition-list value by its term, and
 * axe (WCAG 2.1 AA) with no violations.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { expect, type Locator, type Page } from '@playwright/test';

/** Where the specs put their screenshots (the config's output folder). */
export const SHOTS = 'test-results/e2e';

/** The value (`dd`) after the term `term` (a regex source, matched whole) in a definition list. */
export function fact(scope: Locator, term: string): Locator {
  return scope.locator('dt', { hasText: new RegExp(`^${term}$`) }).locator('xpath=following-sibling::dd[1]');
}

/** Fails with the rule ids and elements when axe finds WCAG 2.1 A/AA violations on the page. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`)).toEqual(
    [],
  );
}
