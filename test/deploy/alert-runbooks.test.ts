import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ALERT_RULES, RUNBOOK } from '../../deploy/monitoring/alert-rules.ts';
import { readCommittedManifests } from '../support/synthesized-manifests.ts';

// An alert that fires at night must say what it means and where its runbook section is.

const runbook = await readFile(new URL(`../../${RUNBOOK}`, import.meta.url), 'utf8');
/** GitHub's anchors of the runbook's headings. */
const anchors = new Set(
  [...runbook.matchAll(/^#{2,3} (.+)$/gm)].map(([, heading]) =>
    heading!
      .toLowerCase()
      .replaceAll(/[^\w\- ]/g, '')
      .replaceAll(' ', '-'),
  ),
);

describe('the alerting rules', () => {
  it.each(ALERT_RULES.map((rule) => [rule.alert, rule] as const))(
    '%s has a severity, a summary, a description and a runbook section of its own',
    (_, rule) => {
      expect(['critical', 'warning']).toContain(rule.labels.severity);
      expect(rule.annotations.summary).not.toBe('');
      expect(rule.annotations.description).not.toBe('');
      const [path, anchor] = rule.annotations.runbook_url.split('#');
      expect(path).toBe(RUNBOOK);
      expect(anchors).toContain(anchor);
    },
  );

  it('are all in every environment’s PrometheusRule, under unique names', async () => {
    expect(new Set(ALERT_RULES.map((rule) => rule.alert)).size).toBe(ALERT_RULES.length);
    for (const objects of (await readCommittedManifests()).values()) {
      const rules = objects.filter((object) => object.kind === 'PrometheusRule');
      expect(rules).toHaveLength(1);
      const { groups } = (rules[0] as unknown as { spec: { groups: { rules: { alert: string }[] }[] } }).spec;
      expect(groups.flatMap((group) => group.rules.map((rule) => rule.alert))).toEqual(
        ALERT_RULES.map((rule) => rule.alert),
      );
    }
  });
});
