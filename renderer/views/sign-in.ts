import { STRINGS } from '../../main/contract/strings.js';
import { el, setAttr, setText } from '../dom.js';
import type { Model } from '../model.js';

/** Server, user and password, with the core's explanation when sign-in fails. */
export class SignInForm {
  readonly root = el('form', {
    class: 'sign-in',
    attrs: { 'aria-labelledby': 'sign-in-title', novalidate: '' },
  });
  private readonly server = el('input', {
    attrs: { name: 'server', type: 'url', autocomplete: 'url', required: '' },
  });
  private readonly user = el('input', {
    attrs: { name: 'user', autocomplete: 'username', required: '' },
  });
  private readonly password = el('input', {
    attrs: { name: 'password', type: 'password', autocomplete: 'current-password', required: '' },
  });
  private readonly error = el('p', {
    class: 'error',
    attrs: { role: 'alert', id: 'sign-in-error' },
  });
  private readonly submit = el('button', {
    text: STRINGS.signIn.submit,
    attrs: { type: 'submit' },
  });

  constructor(onSubmit: (server: string, user: string, password: string) => void) {
    const field = (label: string, input: HTMLInputElement) =>
      el('label', {}, el('span', { text: label }), input);
    this.root.append(
      el('h1', { text: STRINGS.signIn.title, attrs: { id: 'sign-in-title' } }),
      field(STRINGS.signIn.server, this.server),
      field(STRINGS.signIn.user, this.user),
      field(STRINGS.signIn.password, this.password),
      this.error,
      this.submit,
    );
    this.root.addEventListener('submit', (event) => {
      event.preventDefault();
      onSubmit(this.server.value, this.user.value, this.password.value);
    });
  }

  /** Focus where typing starts: the first empty field (the password, after a sign-out). */
  focusFirstEmpty(): void {
    const empty = [this.server, this.user, this.password].find((input) => !input.value);
    (empty ?? this.password).focus();
  }

  render(model: Model): void {
    // Only the app knows whether anyone is signed in: until it says, the form would be a guess.
    this.root.hidden =
      model.link !== 'live' || (model.session !== null && model.status.state !== 'signed-out');
    if (!this.server.value && model.session) this.server.value = model.session.server;
    if (!this.user.value && model.session) this.user.value = model.session.user;
    const error =
      model.signInError ?? (model.status.state === 'signed-out' ? STRINGS.status.signedOut : '');
    setText(this.error, error);
    this.error.hidden = !error;
    setAttr(this.password, 'aria-invalid', String(Boolean(model.signInError)));
    this.submit.disabled = model.signingIn;
    setText(this.submit, model.signingIn ? STRINGS.signIn.working : STRINGS.signIn.submit);
  }
}
