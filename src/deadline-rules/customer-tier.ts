/** Customer tiers; a team's deadline policy may answer some tiers sooner (deadline-policy.ts). */
export const CUSTOMER_TIERS = ['standard', 'high_value', 'vip'] as const;
export type CustomerTier = (typeof CUSTOMER_TIERS)[number];
