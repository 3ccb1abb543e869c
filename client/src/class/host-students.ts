// The students by team: move one (they stay put when teams are rebalanced), rename, remove
// (asked twice), and let a removed student back in.

import { h, replace } from '../dom.js';
import { DrawnFrom, type HostContext, type HostPanel } from './host-panel.js';
import { teamLabel, type ClassView, type StudentV } from './view.js';

export class StudentsPanel implements HostPanel {
  readonly el = h('section', { class: 'card host-students', 'aria-label': 'Students' });
  private readonly drawn = new DrawnFrom();
  private renaming = '';
  private renameDraft = '';
  private confirmKick = '';

  constructor(private readonly ctx: HostContext) {}

  sync(v: ClassView): void {
    if (!this.drawn.changed([v.students, v.banned, v.teamCount, v.phase, this.renaming, this.confirmKick, v.teams.map((t) => t.name)])) return;
    const teams = Array.from({ length: Math.max(v.teamCount, ...v.students.map((s) => s.team + 1)) }, (_, t) => t);
    replace(
      this.el,
      h('h2', null, `Students by team`),
      v.students.length === 0 ? h('p', { class: 'muted' }, 'Names appear here as students join.') : null,
      h('div', { class: 'team-columns' }, teams.map((t) => {
        const members = v.students.filter((s) => s.team === t);
        return h('div', { class: 'team-col', 'data-team-col': t },
          h('h3', null, teamLabel(v, t), h('small', null, ` (${members.length})`)),
          h('ul', null, members.map((s) => this.studentRow(v, s, teams))));
      })),
      v.banned.length > 0
        ? h('div', { class: 'banned' }, h('h3', null, 'Removed'), h('ul', null, v.banned.map((b) =>
            h('li', null, h('span', null, b.nickname), h('button', { 'data-allow': b.id, onclick: () => this.ctx.send({ action: 'allow', student: b.id }) }, 'Let back in')))))
        : null,
      h('small', { class: 'note' }, 'Moving a student keeps them on that team when the teams are rebalanced.'),
    );
  }

  /** Draw again on the next frame, this panel's own state having changed. */
  private redraw(): void {
    this.drawn.forget();
    this.ctx.redraw();
  }

  private studentRow(v: ClassView, s: StudentV, teams: number[]): HTMLElement {
    if (this.renaming === s.id) {
      const input = h('input', { value: this.renameDraft || s.nickname, maxlength: 20, 'aria-label': `New name for ${s.nickname}`, 'data-rename-input': s.id });
      input.addEventListener('input', () => (this.renameDraft = input.value));
      const done = () => {
        this.renaming = '';
        this.renameDraft = '';
        this.redraw();
      };
      const save = () => {
        if (input.value.trim() !== '' && input.value.trim() !== s.nickname) this.ctx.send({ action: 'rename', student: s.id, nickname: input.value.trim() });
        done();
      };
      input.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') save();
        if (e.key === 'Escape') done();
      });
      queueMicrotask(() => input.focus());
      return h('li', { class: 'student editing' }, input, h('button', { class: 'primary', onclick: save }, 'Save'), h('button', { class: 'quiet', onclick: done }, 'Cancel'));
    }
    const move = h('select', { 'aria-label': `Team of ${s.nickname}`, 'data-move': s.id }, teams.map((t) => h('option', { value: String(t) }, teamLabel(v, t))));
    move.value = String(s.team);
    move.addEventListener('change', () => this.ctx.send({ action: 'move', student: s.id, team: Number(move.value) }));
    const kick = this.confirmKick === s.id
      ? h('button', { class: 'danger', 'data-kick': s.id, onclick: () => {
          this.confirmKick = '';
          this.ctx.send({ action: 'kick', student: s.id });
        } }, 'Sure? Remove')
      : h('button', { class: 'quiet', 'data-kick-ask': s.id, 'aria-label': `Remove ${s.nickname}`, onclick: () => {
          this.confirmKick = s.id;
          this.redraw();
          setTimeout(() => {
            if (this.confirmKick !== s.id) return;
            this.confirmKick = '';
            this.redraw();
          }, 4000);
        } }, 'Remove');
    return h(
      'li',
      { class: `student${s.connected ? '' : ' away'}`, 'data-student': s.nickname },
      h('span', { class: 'name' }, s.nickname, s.connected ? null : h('small', null, ' away'), s.pinned ? h('small', null, ' (placed by you)') : null),
      move,
      h('button', { class: 'quiet', 'data-rename': s.id, 'aria-label': `Rename ${s.nickname}`, onclick: () => {
        this.renaming = s.id;
        this.renameDraft = s.nickname;
        this.redraw();
      } }, 'Rename'),
      kick,
    );
  }
}
