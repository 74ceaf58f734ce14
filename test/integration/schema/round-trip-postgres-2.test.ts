// Second half of the PostgreSQL corpus.
import { postgresPairs } from './corpus/postgres.js';
import { roundTripSuite } from './round-trip.js';

roundTripSuite('postgres', postgresPairs.slice(Math.ceil(postgresPairs.length / 2)));
