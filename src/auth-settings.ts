/** How long console sessions and password links live, and how many failures are tolerated. */
export interface AuthSettings {
  /** A session unused for this long ends. */
  sessionIdleMinutes: number;
  /** A session ends this long after sign-in, however busy. */
  sessionMaxMinutes: number;
  /** Failed sign-ins per account within the window before further tries get 429. */
  accountFailureLimit: number;
  /** Failed sign-ins per client address within the window before further tries get 429. */
  ipFailureLimit: number;
  /** Password-reset requests per client address within the window before 429. */
  ipResetLimit: number;
  failureWindowMinutes: number;
  /** Validity of an invitation (and of the first admin's link). */
  invitationValidityHours: number;
  /** Validity of a password-reset link. */
  resetValidityMinutes: number;
}

export const DEFAULT_AUTH_SETTINGS: AuthSettings = {
  sessionIdleMinutes: 12 * 60,
  sessionMaxMinutes: 7 * 24 * 60,
  accountFailureLimit: 5,
  ipFailureLimit: 20,
  ipResetLimit: 10,
  failureWindowMinutes: 15,
  invitationValidityHours: 72,
  resetValidityMinutes: 60,
};
