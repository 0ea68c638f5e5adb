import express, { type Router } from 'express';
import { grantableFieldTree, type FieldNode } from '../access/grantable-fields.js';
import { Roles } from '../auth/roles.js';
import type { TokenVerifier } from '../auth/token-verifier.js';
import type { ConnectorDescriptor } from '../connector-kit/descriptor.js';
import type { ContractRegistry } from '../contracts/contract-registry.js';
import { requireRole } from './require-role.js';

export type { FieldNode } from '../access/grantable-fields.js';

/** One operation as a grant editor needs it: what it is, whether grants must name purposes, and the fields they may name. */
export interface OperationCatalogItem {
  /** What a grant's `operation` names. */
  id: string;
  connector: string;
  connectorTitle: string;
  summary: string;
  description: string;
  method: 'GET' | 'POST' | 'PUT';
  /** The consumers' route, e.g. `/api/v1/population/citizens/{personalId}`. */
  path: string;
  /** A grant for it must name purposes (from /admin/v1/purposes); for the others it must name none. */
  personalData: boolean;
  /** $id of the response contract the fields come from. */
  responseContract: string;
  /** Every path a grant's `fields` may name (besides `*`), as a tree. */
  fields: FieldNode[];
}

export interface OperationsRouterOptions {
  tokenVerifier: Pick<TokenVerifier, 'verifyAuthorizationHeader'>;
  contracts: ContractRegistry;
  /** Operation id → $id of its response contract: exactly what grant validation accepts. */
  operations: ReadonlyMap<string, string>;
  personalDataOperations: ReadonlySet<string>;
  /** The mounted connectors, for the operations' titles, methods and paths. */
  connectors: ReadonlyArray<Pick<ConnectorDescriptor, 'id' | 'title' | 'operations'>>;
}

/**
 * GET /admin/v1/operations: the catalog a grant editor offers. The grant
 * facts (operation ids, personal data, response contracts) come from the
 * same maps grant validation uses, so what the catalog offers is what a
 * grant may say; the connectors only add the words around them.
 */
export function createOperationsRouter(options: OperationsRouterOptions): Router {
  const router = express.Router();
  const readers = requireRole(options.tokenVerifier, [Roles.admin, Roles.operator, Roles.auditor]);
  // Contracts and mounted connectors are fixed for the process's life: walk them once, on first use.
  let catalog: { items: OperationCatalogItem[] } | undefined;

  router.get('/operations', readers, (_req, res) => {
    catalog ??= { items: operationCatalog(options) };
    res.json(catalog);
  });
  return router;
}

export function operationCatalog(options: Omit<OperationsRouterOptions, 'tokenVerifier'>): OperationCatalogItem[] {
  const described = new Map(options.connectors.flatMap((connector) => connector.operations.map((operation) => [operation.id, { connector, operation }] as const)));
  return [...options.operations].map(([id, responseContract]) => {
    const found = described.get(id);
    if (!found) throw new Error(`operation ${id} is granted against but no mounted connector declares it`);
    const { connector, operation } = found;
    return {
      id,
      connector: connector.id,
      connectorTitle: connector.title,
      summary: operation.summary,
      description: operation.description,
      method: operation.method,
      path: `/api/v1${operation.path}`,
      personalData: options.personalDataOperations.has(id),
      responseContract,
      fields: grantableFieldTree(options.contracts, responseContract),
    };
  });
}
