// The tutorial's chapters and the glossary: every chapter teaches one concept with its own
// steps (all of the scenario's, each once, in order), every word the issue asks for has a
// definition, the glossary marks words a reader would expect and nothing inside other words,
// and a chapter's finish says what the learner's own choice did.

import { describe, expect, it } from 'vitest';
import { getScenario } from '../shared/scenarios/index.js';
import { GLOSSARY, glossaryEntry, glossPieces, type GlossPiece } from '../shared/words/glossary.js';
import { chapterOfStep, chapterWonText, consequenceText, ninesOf, STEP_ACTIONS, STEP_LABELS, TUTORIAL_CHAPTERS } from '../shared/words/tutorial.js';

const steps = getScenario('tutorial')!.tutorial!;
const marked = (pieces: GlossPiece[]) => pieces.flatMap((p) => (typeof p === 'string' ? [] : [p.id]));

describe('tutorial chapters', () => {
  it('cover the scenario’s steps, each once, in the scenario’s order', () => {
    expect(TUTORIAL_CHAPTERS.flatMap((c) => c.steps)).toEqual(steps.map((s) => s.id));
    for (const s of steps) expect(chapterOfStep(s.id), s.id).toBeDefined();
  });

  it('teach the concepts the issue names, one a chapter, each with a picture and a glossary word', () => {
    expect(TUTORIAL_CHAPTERS.map((c) => c.id)).toEqual(['node', 'leader', 'failover', 'quorum', 'partition', 'nines', 'scale']);
    expect(new Set(TUTORIAL_CHAPTERS.map((c) => c.picture)).size).toBe(TUTORIAL_CHAPTERS.length);
    for (const c of TUTORIAL_CHAPTERS) {
      // A sentence or two: short enough to read while the round runs.
      expect(c.idea.split(/[.!?](\s|$)/).filter((x) => x.trim().length > 1).length, c.id).toBeLessThanOrEqual(3);
      expect(marked(glossPieces(c.idea)).length, c.id).toBeGreaterThan(0);
    }
  });

  it('give every step a checklist label, and every step the learner does a "your turn" line', () => {
    for (const s of steps) {
      expect(STEP_LABELS[s.id], s.id).toBeTruthy();
      if (s.expects !== 'observe') expect(STEP_ACTIONS[s.id], s.id).toBeTruthy();
    }
  });

  it('end the partition chapter with what the learner’s own stance did', () => {
    const serve = chapterWonText('partition', { stance: 'serve', split: 'During the last split your node answered 80 reads, 12 of them stale.', splitSpent: 40 });
    const refuse = chapterWonText('partition', { stance: 'refuse', split: 'During the last split your node refused 300 requests.', splitSpent: 320 });
    expect(serve).toContain('You chose Serve');
    expect(serve).toContain('stale');
    expect(serve).not.toContain('Refuse');
    expect(refuse).toContain('You chose Refuse');
    expect(refuse).toContain('error budget');
    expect(refuse).toContain('320 failed requests');
    // While the split lasts: the budget spent, and the hot keys where the node's copy is behind.
    expect(consequenceText('serve', 12, ['note-3', 'note-7'])).toContain('your copies of note-3 and note-7 are behind');
    expect(consequenceText('refuse', 1, [])).toContain('1 failure.');
  });

  it('count nines the way the glossary explains them', () => {
    expect(ninesOf(0.99)).toBe('2');
    expect(ninesOf(0.999)).toBe('3');
    expect(ninesOf(0.96)).toBe('1.4');
    const nines = chapterWonText('nines', { target: 0.96, allowed: 1200, spent: 300, left: 900 });
    expect(nines).toContain('96 %');
    expect(nines).toContain('1,200 failures allowed');
    expect(nines).toContain('900 left');
    // Over the budget, it says the promise is broken rather than anything left.
    const over = chapterWonText('nines', { target: 0.96, allowed: 500, spent: 620, left: -120 });
    expect(over).toContain('120 more than allowed');
    expect(over).not.toContain('left');
  });
});

describe('the glossary', () => {
  it('defines every word the game underlines for a newcomer', () => {
    for (const id of ['leader', 'follower', 'quorum', 'shard', 'epoch', 'replica', 'p99', 'nines', 'stale-read', 'partition', 'error-budget', 'failover', 'node', 'stance', 'scale-out']) {
      const e = glossaryEntry(id);
      expect(e, id).toBeDefined();
      expect(e!.definition.length, id).toBeGreaterThan(30);
      // A definition is short: at most three sentences.
      expect(e!.definition.split(/\.(\s|$)/).filter((x) => x.trim().length > 1).length, id).toBeLessThanOrEqual(3);
    }
    expect(new Set(GLOSSARY.map((e) => e.id)).size).toBe(GLOSSARY.length);
  });

  it('marks each word once, whole words only, the longest form first', () => {
    const p = glossPieces('A stale read from a replica; more stale reads from replicas; the leaderboard is no leader.');
    expect(p.filter((x) => typeof x !== 'string')).toEqual([
      { text: 'stale read', id: 'stale-read' },
      { text: 'replica', id: 'replica' },
      { text: 'leader', id: 'leader' },
    ]);
    // The pieces put back together are the text, unchanged.
    expect(p.map((x) => (typeof x === 'string' ? x : x.text)).join('')).toBe('A stale read from a replica; more stale reads from replicas; the leaderboard is no leader.');
    expect(marked(glossPieces('The Error Budget is spent.'))).toEqual(['error-budget']);
    expect(marked(glossPieces('leader', new Set(['leader'])))).toEqual([]);
  });

  it('speaks plain language: no field names or dashed internal kinds in a definition', () => {
    for (const e of GLOSSARY) {
      expect(e.definition, e.id).not.toMatch(/\b[a-z]+[A-Z][a-zA-Z]*\b/);
      expect(e.definition, e.id).not.toMatch(/\b(slow-node|partition-random|partition-region|crash-disk-loss|load-surge)\b/);
    }
  });
});
