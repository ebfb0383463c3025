/** A data table: an optional (visually hidden) caption, column headers, and a row per item. */
import type { ComponentChildren, VNode } from 'preact';

interface DataTableProps<T> {
  readonly caption?: string;
  readonly columns: readonly ComponentChildren[];
  readonly rows: readonly T[];
  readonly row: (item: T, index: number) => VNode;
  /** Shown in one row across the table when there are no rows (without it, the body is empty). */
  readonly empty?: string;
  readonly class?: string;
}

export function DataTable<T>({ caption, columns, rows, row, empty, class: extra }: DataTableProps<T>) {
  return (
    <table class={extra ? `data-table ${extra}` : 'data-table'}>
      {caption !== undefined ? <caption class="visually-hidden">{caption}</caption> : null}
      <thead>
        <tr>
          {columns.map((c, i) => (
            <th key={i} scope="col">
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && empty !== undefined ? (
          <tr>
            <td colSpan={columns.length} class="muted">
              {empty}
            </td>
          </tr>
        ) : (
          rows.map(row)
        )}
      </tbody>
    </table>
  );
}
