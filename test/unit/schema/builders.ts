// Small builders for schema models in unit tests: defaults for every field, overrides by name.
import type { Engine } from '../../../src/domain/engine.js';
import type {
  Column,
  Constraint,
  Domain,
  Index,
  MaterializedView,
  SchemaModel,
  Table,
  View,
} from '../../../src/schema/index.js';
import { emptyModel } from '../../../src/schema/index.js';

export function col(name: string, type: string, extra: Partial<Column> = {}): Column {
  return {
    name,
    type,
    nullable: true,
    default: null,
    identity: null,
    autoIncrement: false,
    generated: null,
    collation: null,
    comment: null,
    onUpdate: null,
    ...extra,
  };
}

export function table(name: string, columns: Column[], extra: Partial<Table> = {}): Table {
  return { schema: 'public', name, columns, constraints: [], indexes: [], comment: null, options: null, ...extra };
}

export function mysqlTable(name: string, columns: Column[], extra: Partial<Table> = {}): Table {
  return table(name, columns, {
    schema: '',
    options: { engine: 'InnoDB', charset: 'utf8mb4', collation: 'utf8mb4_general_ci' },
    ...extra,
  });
}

export function pk(name: string, columns: string[], definition = `PRIMARY KEY (${columns.join(', ')})`): Constraint {
  return { name, kind: 'primary-key', definition, columns, references: null };
}

export function fk(
  name: string,
  columns: string[],
  refTable: string,
  refColumns: string[],
  schema = 'public',
  definition?: string,
): Constraint {
  return {
    name,
    kind: 'foreign-key',
    definition:
      definition ??
      `FOREIGN KEY (${columns.join(', ')}) REFERENCES ${schema ? `${schema}.` : ''}${refTable}(${refColumns.join(', ')})`,
    columns,
    references: { schema, table: refTable, columns: refColumns },
  };
}

export function view(name: string, definition: string, schema = 'public'): View {
  return { schema, name, definition, options: [] };
}

export function matview(name: string, definition: string, extra: Partial<MaterializedView> = {}): MaterializedView {
  return { schema: 'public', name, definition, indexes: [], comment: null, ...extra };
}

export function index(name: string, definition: string, extra: Partial<Index> = {}): Index {
  return { name, unique: false, definition, comment: null, ...extra };
}

export function domain(name: string, type: string, extra: Partial<Domain> = {}): Domain {
  return { schema: 'public', name, type, default: null, notNull: false, constraints: [], comment: null, ...extra };
}

export function model(engine: Engine, parts: Partial<SchemaModel>): SchemaModel {
  return { ...emptyModel(engine), ...parts };
}
