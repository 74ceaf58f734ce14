import { after } from 'node:test';
after(() => { setTimeout(() => { console.log('HANDLES', (process as any)._getActiveHandles().map((h: any) => `${h.constructor.name} ${h.remoteAddress ?? ''}:${h.remotePort ?? ''} ${h._idleTimeout ?? ''}`)); }, 2000).unref(); });
