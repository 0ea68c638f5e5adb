/** Who is calling, as established from a verified access token. */
export interface Principal {
  /** The OAuth client the token was issued to (`azp`, else `client_id`). */
  clientId: string;
  /** `sub`: the user id, or the service-account user id for machine clients. */
  subject: string;
  /** `realm_access.roles`. */
  roles: string[];
  /** `preferred_username`, when the token names one. */
  username?: string;
  /** `jti`. */
  tokenId?: string;
  /** `exp`, seconds since the epoch. */
  expiresAt: number;
  scope?: string;
}
