import { api, ApiError } from '../../api.js';

/**
 * The admin API's consumer, grant and purpose objects as the console reads
 * and writes them (contracts/admin/v1/*.json; the browser code cannot import
 * the generated server types, so the shapes are restated here).
 */
export interface RatePolicy {
  limit: number;
  windowSeconds: number;
  burst?: number;
  burstWindowSeconds?: number;
}

export type ConsumerStatus = 'active' | 'suspended';

export interface Consumer {
  id: string;
  clientId: string;
  name: string;
  agency: string;
  contact?: { name?: string; email?: string; phone?: string };
  status: ConsumerStatus;
  rateLimit?: RatePolicy;
  createdAt?: string;
  updatedAt?: string;
}

export interface Grant {
  id?: string;
  consumerId: string;
  operation: string;
  purposes?: string[];
  fields: string[];
  validFrom?: string;
  validUntil?: string;
  quota?: RatePolicy;
  allowCachedResponses?: boolean;
  createdAt?: string;
  updatedAt?: string;
}

export type PurposeKind = 'code' | 'dossier';

export interface Purpose {
  code: string;
  name: string;
  kind: PurposeKind;
  legalBasis: string;
  unitCodePatterns?: string[];
  procedureCodes?: string[];
  createdAt?: string;
  updatedAt?: string;
}

/** One field of an operation's response contract a grant may release (GET /admin/v1/operations). */
export interface FieldNode {
  /** Dotted path from the response root: what a grant's `fields` names. */
  path: string;
  name: string;
  type: string;
  description?: string;
  children?: FieldNode[];
}

/** An operation a grant may name, with the tree of fields it may release. */
export interface Operation {
  id: string;
  connector: string;
  connectorTitle?: string;
  /** The route's short description (`title` in early drafts of the route, `summary` as it landed). */
  title?: string;
  summary?: string;
  method: string;
  path: string;
  personalData: boolean;
  responseContract: string;
  fields: FieldNode[];
}

/** What the console shows as an operation's name beside its id. */
export function operationTitle(operation: Operation): string {
  return operation.title ?? operation.summary ?? '';
}

/** The marker a grant uses to release every field of the response. */
export const allFields = '*';

interface Items<T> {
  items: T[];
}

const segment = encodeURIComponent;

export const consumersApi = {
  listConsumers: async (signal?: AbortSignal) => (await api.get<Items<Consumer>>('/consumers', undefined, signal)).items,
  getConsumer: (id: string, signal?: AbortSignal) => api.get<Consumer>(`/consumers/${segment(id)}`, undefined, signal),
  createConsumer: (consumer: Consumer) => api.post<Consumer>('/consumers', consumer),
  /** The consumer as a whole (the API has no partial update): suspending is a PUT with the status changed. */
  replaceConsumer: (consumer: Consumer) => api.put<Consumer>(`/consumers/${segment(consumer.id)}`, withoutTimestamps(consumer)),
  listGrantsOf: async (consumerId: string, signal?: AbortSignal) => (await api.get<Items<Grant>>(`/consumers/${segment(consumerId)}/grants`, undefined, signal)).items,
  createGrant: (grant: Grant) => api.post<Grant>('/grants', grant),
  replaceGrant: (id: string, grant: Grant) => api.put<Grant>(`/grants/${segment(id)}`, grant),
  deleteGrant: (id: string) => api.delete<void>(`/grants/${segment(id)}`),
  listPurposes: async (signal?: AbortSignal) => (await api.get<Items<Purpose>>('/purposes', undefined, signal)).items,
  createPurpose: (purpose: Purpose) => api.post<Purpose>('/purposes', purpose),
  /**
   * The operation catalog (GET /admin/v1/operations); undefined when this
   * gateway does not have the route yet (404), so pages can say so instead
   * of failing whole.
   */
  async listOperations(signal?: AbortSignal): Promise<Operation[] | undefined> {
    try {
      return (await api.get<Items<Operation>>('/operations', undefined, signal)).items;
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return undefined;
      throw error;
    }
  },
};

function withoutTimestamps<T extends { createdAt?: string; updatedAt?: string }>(value: T): T {
  const copy = { ...value };
  delete copy.createdAt;
  delete copy.updatedAt;
  return copy;
}
