// The MySQL corpus.
import { mysqlPairs } from './corpus/mysql.js';
import { roundTripSuite } from './round-trip.js';

roundTripSuite('mysql', mysqlPairs);
