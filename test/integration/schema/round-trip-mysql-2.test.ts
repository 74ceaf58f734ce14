// MySQL fidelity pairs: default expressions, regular and generated columns, dependency order and declared renames.
import { mysqlFidelityPairs } from './corpus/mysql-fidelity.js';
import { roundTripSuite } from './round-trip.js';

roundTripSuite('mysql', mysqlFidelityPairs);
