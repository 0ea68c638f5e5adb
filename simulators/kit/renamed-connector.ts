import type { ConnectorDescriptor, OperationDescriptor } from '../../src/connector-kit/index.js';

/**
 * A shipped connector under another id, for tests and the benchmark: the
 * same client and mapping, its operations renamed (`<from>.x` → `<id>.x`)
 * and moved (`/<from>/…` → `/<id>/…`, their lookup forms too), so the copy
 * mounts beside the original without a clash. `operation` may change each
 * renamed operation further.
 */
export function renamedConnector<Client>(
  descriptor: ConnectorDescriptor<Client>,
  id: string,
  options: { title: string; sandbox?: ConnectorDescriptor<Client>['sandbox']; operation?: (operation: OperationDescriptor<Client, any>) => Partial<OperationDescriptor<Client, any>> },
): ConnectorDescriptor<Client> {
  const from = descriptor.id;
  const path = (value: string) => value.replace(`/${from}/`, `/${id}/`).replace(new RegExp(`^/${from}$`), `/${id}`);
  return {
    ...descriptor,
    id,
    title: options.title,
    ...(options.sandbox !== undefined && { sandbox: options.sandbox }),
    operations: descriptor.operations.map((operation): OperationDescriptor<Client, any> => {
      const renamed = {
        ...operation,
        id: operation.id.replace(`${from}.`, `${id}.`),
        path: path(operation.path),
        ...(operation.lookup && { lookup: { ...operation.lookup, path: path(operation.lookup.path) } }),
      };
      return { ...renamed, ...options.operation?.(renamed) };
    }),
  };
}
