/**
 * The keys a table pull query is restricted to, for routing it to the servers holding them:
 * a top-level conjunct `K = literal` or `K IN (literals)` on a single-column key, with the
 * literals as the key column's runtime values. Undefined when the query may match any key (a
 * scan, OR, a range, an expression, a literal of another type): then every task is asked.
 */
import type { SqlType } from '../common/types.js';
import type { Expr } from '../parser/ast.js';

function literalAs(e: Expr, t: SqlType): unknown {
  if (e.type !== 'Literal' || e.value === null) return undefined;
  const v = e.value;
  switch (t.kind) {
    case 'STRING':
      return e.literalType === 'STRING' ? v : undefined;
    case 'INTEGER':
      return e.literalType === 'INTEGER' ? Number(v) : undefined;
    case 'BIGINT':
      if (e.literalType !== 'INTEGER' && e.literalType !== 'BIGINT') return undefined;
      try {
        return BigInt(String(v));
      } catch {
        return undefined;
      }
    case 'BOOLEAN':
      return e.literalType === 'BOOLEAN' ? v : undefined;
    default:
      return undefined;
  }
}

/** The terms of a WHERE clause joined by AND (the clause itself when it has none). */
export function conjuncts(where: Expr): Expr[] {
  const terms: Expr[] = [];
  const visit = (e: Expr): void => {
    if (e.type === 'Logical' && e.op === 'AND') {
      visit(e.left);
      visit(e.right);
    } else terms.push(e);
  };
  visit(where);
  return terms;
}

export function lookupKeys(where: Expr | undefined, key: { name: string; type: SqlType }[]): unknown[] | undefined {
  if (!where || key.length !== 1) return undefined;
  const k = key[0]!;
  const isKey = (e: Expr) => e.type === 'ColumnRef' && e.name === k.name;
  for (const t of conjuncts(where)) {
    let lits: Expr[] | undefined;
    if (t.type === 'Comparison' && t.op === '=') lits = isKey(t.left) ? [t.right] : isKey(t.right) ? [t.left] : undefined;
    else if (t.type === 'In' && !t.negated && isKey(t.operand)) lits = t.list;
    if (!lits) continue;
    const values = lits.map((l) => literalAs(l, k.type));
    if (values.every((v) => v !== undefined)) return values;
  }
  return undefined;
}
