import { STRINGS } from '../../main/contract/strings.js';
import { el } from '../dom.js';
import type { Model } from '../model.js';

/** Names typed as "Billing, Floor 2": trimmed, empty ones dropped, each once. */
function names(text: string): string[] {
  return [...new Set(text.split(',').map((n) => n.trim()))].filter((n) => n !== '');
}

/**
 * Which teams' workbins to show. GWS lists group workbins but not the groups an agent is
 * in, so the agent names them here. Built once and updated in place: a render never
 * replaces what is being typed.
 */
export class TeamsForm {
  readonly toggle = el('button', {
    text: STRINGS.teams.button,
    attrs: { type: 'button', 'aria-expanded': 'false', 'aria-controls': 'teams-form' },
  });
  readonly root = el('form', {
    class: 'teams',
    attrs: { id: 'teams-form', 'aria-labelledby': 'teams-title' },
  });
  private readonly agentGroups = el('input', { attrs: { name: 'agentGroups' } });
  private readonly placeGroups = el('input', { attrs: { name: 'placeGroups' } });
  private readonly watchUsers = el('input', { attrs: { name: 'watchUsers' } });

  constructor(
    onSave: (teams: { agentGroups: string[]; placeGroups: string[]; watchUsers: string[] }) => void,
  ) {
    const field = (label: string, input: HTMLInputElement) =>
      el('label', {}, el('span', { text: label }), input);
    const cancel = el('button', { text: STRINGS.teams.cancel, attrs: { type: 'button' } });
    this.root.append(
      el('h2', { text: STRINGS.teams.title, attrs: { id: 'teams-title' } }),
      el('p', { class: 'hint', text: STRINGS.teams.hint }),
      field(STRINGS.teams.agentGroups, this.agentGroups),
      field(STRINGS.teams.placeGroups, this.placeGroups),
      field(STRINGS.teams.watchUsers, this.watchUsers),
      el(
        'div',
        { class: 'actions' },
        el('button', { text: STRINGS.teams.save, attrs: { type: 'submit' } }),
        cancel,
      ),
    );
    this.root.hidden = true;
    this.toggle.addEventListener('click', () => this.open(this.root.hidden));
    cancel.addEventListener('click', () => this.open(false));
    this.root.addEventListener('submit', (event) => {
      event.preventDefault();
      onSave({
        agentGroups: names(this.agentGroups.value),
        placeGroups: names(this.placeGroups.value),
        watchUsers: names(this.watchUsers.value),
      });
      this.open(false);
    });
    this.root.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.open(false);
    });
  }

  render(model: Model): void {
    this.toggle.hidden = model.session === null;
    if (!this.root.hidden) return;
    this.agentGroups.value = model.settings.agentGroups.join(', ');
    this.placeGroups.value = model.settings.placeGroups.join(', ');
    this.watchUsers.value = model.settings.watchUsers.join(', ');
  }

  private open(open: boolean): void {
    this.root.hidden = !open;
    this.toggle.setAttribute('aria-expanded', String(open));
    if (open) this.agentGroups.focus();
    else this.toggle.focus();
  }
}
