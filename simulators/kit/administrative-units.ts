/** The 2025 units live in the connector kit (connectors check addresses against them); the sandboxes read the same list. */
export { defaultAdministrativeUnitsFile, loadAdministrativeUnits2025, type Commune2025, type Province2025 } from '../../src/connector-kit/administrative-units-2025.js';
