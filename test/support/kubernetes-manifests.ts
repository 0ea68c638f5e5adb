import ts from 'typescript';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Service, ServiceAccount } from 'kubernetes-models/v1';
import { PrometheusRule, ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { fromProjectRoot } from '../../src/paths.js';

/**
 * Rendered manifests checked against the Kubernetes (and Prometheus Operator) schemas of the
 * kubernetes-models packages — their validate() — plus what those schemas let through: a field the
 * object does not have (a typo such as `readinesProbe`, or a field at the wrong level), found from the
 * models' own TypeScript declarations, as `kubeconform -strict` would.
 */
interface ModelClass {
  new (data: never): { validate(): void };
}

const models: Record<string, { model: ModelClass; typeName: string }> = {
  'apps/v1/Deployment': { model: Deployment as unknown as ModelClass, typeName: 'Deployment' },
  'autoscaling/v2/HorizontalPodAutoscaler': { model: HorizontalPodAutoscaler as unknown as ModelClass, typeName: 'HorizontalPodAutoscaler' },
  'batch/v1/Job': { model: Job as unknown as ModelClass, typeName: 'Job' },
  'networking.k8s.io/v1/Ingress': { model: Ingress as unknown as ModelClass, typeName: 'Ingress' },
  'networking.k8s.io/v1/NetworkPolicy': { model: NetworkPolicy as unknown as ModelClass, typeName: 'NetworkPolicy' },
  'policy/v1/PodDisruptionBudget': { model: PodDisruptionBudget as unknown as ModelClass, typeName: 'PodDisruptionBudget' },
  'v1/ConfigMap': { model: ConfigMap as unknown as ModelClass, typeName: 'ConfigMap' },
  'v1/Service': { model: Service as unknown as ModelClass, typeName: 'Service' },
  'v1/ServiceAccount': { model: ServiceAccount as unknown as ModelClass, typeName: 'ServiceAccount' },
  'monitoring.coreos.com/v1/PrometheusRule': { model: PrometheusRule as unknown as ModelClass, typeName: 'PrometheusRule' },
  'monitoring.coreos.com/v1/ServiceMonitor': { model: ServiceMonitor as unknown as ModelClass, typeName: 'ServiceMonitor' },
};

/** Problems of one manifest: the schema's (validate() message) and every unknown field's path. Empty: valid. */
export function manifestProblems(document: Record<string, unknown>): string[] {
  const key = `${String(document.apiVersion)}/${String(document.kind)}`;
  const entry = models[key];
  if (!entry) return [`${key}: no model for this kind (add it to test/support/kubernetes-manifests.ts)`];
  const problems: string[] = [];
  try {
    new entry.model(document as never).validate();
  } catch (error) {
    problems.push(`${key}: ${(error as Error).message}`);
  }
  problems.push(...unknownFields(document, entry.typeName).map((path) => `${key}: unknown field ${path}`));
  return problems;
}

// The models' declarations, read once with the TypeScript compiler (the file imports every model).
let checkerCache: { checker: ts.TypeChecker; types: Map<string, ts.Type> } | undefined;

function declarations(): { checker: ts.TypeChecker; types: Map<string, ts.Type> } {
  if (checkerCache) return checkerCache;
  const file = fromProjectRoot('test/support/kubernetes-manifests.ts');
  const program = ts.createProgram([file], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    skipLibCheck: true,
    noEmit: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file)!;
  const types = new Map<string, ts.Type>();
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement)) continue;
    for (const element of statement.importClause?.namedBindings && ts.isNamedImports(statement.importClause.namedBindings) ? statement.importClause.namedBindings.elements : []) {
      const symbol = checker.getSymbolAtLocation(element.name);
      if (!symbol) continue;
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      if (target.flags & ts.SymbolFlags.Class) types.set(element.name.text, checker.getDeclaredTypeOfSymbol(target));
    }
  }
  checkerCache = { checker, types };
  return checkerCache;
}

/** Paths of the fields of `value` its model's declared type does not have. */
export function unknownFields(value: unknown, typeName: string): string[] {
  const { checker, types } = declarations();
  const root = types.get(typeName);
  if (!root) throw new Error(`no declared type ${typeName}`);
  const found: string[] = [];
  const walk = (node: unknown, type: ts.Type, path: string) => {
    const objectTypes = (type.isUnion() ? type.types : [type]).filter((member) => member.flags & ts.TypeFlags.Object);
    if (Array.isArray(node)) {
      for (const member of objectTypes) {
        const element = checker.isArrayType(member) ? checker.getTypeArguments(member as ts.TypeReference)[0] : undefined;
        if (element) node.forEach((item, index) => walk(item, element, `${path}[${index}]`));
      }
      return;
    }
    if (!node || typeof node !== 'object' || objectTypes.length === 0) return;
    const objectType = objectTypes[0]!;
    const index = checker.getIndexInfoOfType(objectType, ts.IndexKind.String);
    const properties = new Map(checker.getPropertiesOfType(objectType).map((symbol) => [symbol.getName(), symbol]));
    // A model class exposes its data's fields plus methods (validate, toJSON …): only data fields count.
    for (const [key, child] of Object.entries(node as Record<string, unknown>)) {
      const property = properties.get(key);
      if (property && !(property.flags & ts.SymbolFlags.Method)) {
        walk(child, checker.getNonNullableType(checker.getTypeOfSymbol(property)), `${path}.${key}`);
      } else if (index) {
        walk(child, index.type, `${path}.${key}`);
      } else if (properties.size > 0) {
        found.push(`${path}.${key}`);
      }
    }
  };
  walk(value, root, '');
  return found.map((path) => path.replace(/^\./, ''));
}
