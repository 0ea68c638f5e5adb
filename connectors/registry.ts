import type { ConnectorDescriptor } from '../src/connector-kit/index.js';
import { judicialRecordsConnector } from './judicial-records/descriptor.js';
import { landConnector } from './land/descriptor.js';
import { paygovConnector } from './paygov/descriptor.js';
import { civilStatusConnector } from './civil-status/descriptor.js';
import { businessRegistryConnector } from './business-registry/descriptor.js';
import { populationConnector } from './population/descriptor.js';
import { postalDeliveryConnector } from './postal-delivery/descriptor.js';
import { publicServicePortalConnector } from './public-service-portal/descriptor.js';
import { socialInsuranceConnector } from './social-insurance/descriptor.js';
import { taxConnector } from './tax/descriptor.js';

/**
 * Every connector the gateway knows, in one explicit list (like Kong's list of
 * bundled plugins): adding an upstream means adding its folder and one line here.
 */
export const connectorDescriptors: ReadonlyArray<ConnectorDescriptor<any>> = [populationConnector, socialInsuranceConnector, landConnector, taxConnector, businessRegistryConnector, publicServicePortalConnector, paygovConnector, judicialRecordsConnector, postalDeliveryConnector, civilStatusConnector];
