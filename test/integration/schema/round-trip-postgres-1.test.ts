// First half of the PostgreSQL corpus (split so the halves run in parallel: shadow databases are slow to create).
import { postgresPairs } from './corpus/postgres.js';
import { roundTripSuite } from './round-trip.js';

roundTripSuite('postgres', postgresPairs.slice(0, Math.ceil(postgresPairs.length / 2)));
