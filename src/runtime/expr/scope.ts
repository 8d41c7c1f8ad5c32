/**
 * Name resolution for expressions: the columns visible to an expression, each bound to a slot
 * of the row array the operator evaluates against, with ksqlDB's rules and error messages for
 * unknown and ambiguous names.
 */
import { KsqlError } from '../../common/errors.js';
import type { SqlType } from '../../common/types.js';
import type { ColumnRefExpr } from '../../parser/ast.js';

export interface ScopeColumn {
  /** the column's name in the row's schema (for joins: `A_COL`) */
  name: string;
  type: SqlType;
  /** slot in the row array */
  index: number;
  /** the source (name or alias) the column came from, for `A.COL` references */
  qualifier?: string;
  /** the column's name within its source (for joins: `COL`) */
  baseName?: string;
}

export class ExprScope {
  private readonly byName = new Map<string, ScopeColumn[]>();

  constructor(
    readonly columns: ScopeColumn[],
    /** clause for error messages: 'SELECT', 'WHERE', ... */
    readonly clause?: string,
    /** names of the sources in scope (names and aliases), for qualified references */
    readonly qualifiers: string[] = [],
  ) {
    for (const c of columns) {
      for (const n of new Set([c.name, c.baseName ?? c.name])) {
        const list = this.byName.get(n) ?? [];
        list.push(c);
        this.byName.set(n, list);
      }
    }
  }

  withClause(clause: string): ExprScope {
    return new ExprScope(this.columns, clause, this.qualifiers);
  }

  tryResolve(ref: { source?: string; name: string }): ScopeColumn | undefined {
    if (ref.source !== undefined) {
      return this.columns.find((c) => c.qualifier === ref.source && (c.baseName ?? c.name) === ref.name) ?? this.columns.find((c) => c.qualifier === ref.source && c.name === ref.name);
    }
    const exact = this.columns.filter((c) => c.name === ref.name);
    if (exact.length === 1) return exact[0];
    const list = this.byName.get(ref.name);
    if (list && list.length === 1) return list[0];
    return undefined;
  }

  resolve(ref: ColumnRefExpr): ScopeColumn {
    const found = this.tryResolve(ref);
    if (found) return found;
    if (ref.source === undefined) {
      const list = this.byName.get(ref.name) ?? [];
      if (list.length > 1) {
        const names = list.map((c) => `${c.qualifier}.${c.baseName ?? c.name}`);
        throw new KsqlError(`Column '${ref.name}' is ambiguous. Could be ${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}.`, ref.loc);
      }
    } else if (this.qualifiers.length > 0 && !this.qualifiers.includes(ref.source)) {
      throw new KsqlError(`Source '${ref.source}' does not exist.`, ref.loc);
    }
    const full = ref.source !== undefined ? `${ref.source}.${ref.name}` : ref.name;
    const clause = this.clause ? `${this.clause} column` : 'Column';
    throw new KsqlError(`${clause} '${full}' cannot be resolved.`, ref.loc);
  }
}
