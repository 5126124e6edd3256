export const ROLES = [
  'customer',
  'merchant_agent',
  'platform_agent',
  'finance',
  'warehouse',
  'system',
] as const;
export type Role = (typeof ROLES)[number];

/** Who did it. Every recorded action names its actor. */
export interface Actor {
  role: Role;
  id: string;
  /** Set for merchant agents: the merchant whose tickets they handle. */
  merchantId?: string;
}

export const SYSTEM_ACTOR: Actor = { role: 'system', id: 'system' };

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
