// PostgreSQL fidelity pairs: dependency order, partitions, row security, inheritance, identity
// options, triggers, composite types, storage options and declared renames.
import { postgresFidelityPairs } from './corpus/postgres-fidelity.js';
import { roundTripSuite } from './round-trip.js';

roundTripSuite('postgres', postgresFidelityPairs);
