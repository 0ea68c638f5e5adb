/** What createUpstreamAuth reads of a connector's configuration (the core's ConnectorConfig has these and more). */
export interface UpstreamAuthConfig {
  readonly baseUrl: string;
  readonly credentials: Readonly<Record<string, unknown>>;
  readonly settings: Readonly<Record<string, unknown>>;
}
