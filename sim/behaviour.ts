import { HttpError } from './http-util.js';

/**
 * How the simulator behaves where GWS may behave in more than one way. The defaults follow
 * the vendor's documentation where it says something, and the kind reading where it does not;
 * every switch lets a test make the simulator as unkind as a real deployment can be.
 */
export interface SimBehaviour {
  /**
   * Put `referenceId` on the Subscribed/Unsubscribed answer of an agent's own or a watched
   * user's workbin. The docs' examples of those answers carry none (only group workbins'
   * do), so off by default.
   */
  referenceIdInAnswers: boolean;
  /** How long after the Subscribe request its answer arrives on /v2/me/workbins, ms. */
  subscriptionDelay: number;
  /** Send X-CSRF-HEADER / X-CSRF-TOKEN only on the answer that started the session. */
  csrfOnlyAtSignIn: boolean;
  /** Require the CSRF header on CometD POSTs too (the docs: on every POST, PUT, DELETE). */
  csrfOnNotifications: boolean;
  /** Workbins API subscriptions end with the user's CometD session. */
  subscriptionsEndWithCometd: boolean;
  /** A sign-in (basic auth) is answered this much later, ms. */
  signInDelay: number;
  /** A workbin contents answer is computed and sent this much later, ms. */
  contentsDelay: number;
  /** 401 and 5xx answers carry an HTML error page, as a servlet container's own errors do. */
  htmlErrors: boolean;
  /**
   * An Interaction Server older than 8.5.103.05: group workbin subscriptions (documented as
   * needing that version) are taken and never answered.
   */
  oldInteractionServer: boolean;
  /**
   * The network, not GWS: every answer's body is sent in packets of about this many bytes
   * (from 1 to twice as many, varying), 1 ms apart, so that a client reads it in as many
   * pieces, cut anywhere (inside a UTF-8 character too), as a proxy or a slow link delivers
   * it. 0: each body in one write.
   */
  packetBytes: number;
}

export const DEFAULT_BEHAVIOUR: SimBehaviour = {
  referenceIdInAnswers: false,
  subscriptionDelay: 5,
  csrfOnlyAtSignIn: false,
  csrfOnNotifications: false,
  subscriptionsEndWithCometd: false,
  signInDelay: 0,
  contentsDelay: 0,
  htmlErrors: false,
  oldInteractionServer: false,
  packetBytes: 0,
};

/** A change of behaviour from the control API; unknown keys and wrong types are refused. */
export function parseBehaviourPatch(body: unknown): Partial<SimBehaviour> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new HttpError(400, 'expected an object of behaviour switches');
  const patch: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (!Object.hasOwn(DEFAULT_BEHAVIOUR, key)) throw new HttpError(400, `unknown switch ${key}`);
    const expected = typeof DEFAULT_BEHAVIOUR[key as keyof SimBehaviour];
    const fits =
      typeof value === expected &&
      (expected !== 'number' || (Number.isFinite(value) && (value as number) >= 0));
    if (!fits) throw new HttpError(400, `${key}: expected a ${expected}`);
    patch[key] = value;
  }
  return patch as Partial<SimBehaviour>;
}
