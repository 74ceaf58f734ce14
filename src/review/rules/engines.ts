import type { Engine } from '../../domain/engine.js';

export const MYSQL: readonly Engine[] = ['mysql'];
export const POSTGRES: readonly Engine[] = ['postgres'];
export const BOTH: readonly Engine[] = ['mysql', 'postgres'];
