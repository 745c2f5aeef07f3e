import type { ReactNode } from "react";

// A small table that is a table where it has room and a list of labelled rows where it
// has not (a phone, where Polaris's DataTable scrolls sideways, or a narrow side column,
// where it wraps every cell). One markup for both (no second copy of the cells for tests
// or screen readers to meet): a container query on the table's own width stacks each
// row, every cell after its heading.

export interface StackedColumn {
  heading: string;
  numeric?: boolean;
}

// Polaris's own tokens, so the table sits in a Card like its DataTable does.
const CSS = `
.fm-stacked-box{container-type:inline-size}
.fm-stacked{width:100%;border-collapse:collapse;font-size:var(--p-font-size-325);line-height:var(--p-font-line-height-500)}
.fm-stacked th,.fm-stacked td{padding:var(--p-space-200) var(--p-space-300);text-align:start;vertical-align:top;border-block-end:var(--p-border-width-025) solid var(--p-color-border-secondary)}
.fm-stacked th{font-weight:var(--p-font-weight-medium);color:var(--p-color-text-secondary)}
.fm-stacked th:first-child,.fm-stacked td:first-child{padding-inline-start:0}
.fm-stacked th:last-child,.fm-stacked td:last-child{padding-inline-end:0}
.fm-stacked .fm-num{text-align:end;font-variant-numeric:tabular-nums}
.fm-stacked tbody tr:last-child td{border-block-end:0}
@container (max-width:32rem){
.fm-stacked thead{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.fm-stacked tbody,.fm-stacked tr{display:block}
.fm-stacked tr{padding-block:var(--p-space-200);border-block-end:var(--p-border-width-025) solid var(--p-color-border-secondary)}
.fm-stacked tbody tr:last-child{border-block-end:0}
.fm-stacked td,.fm-stacked tbody tr:last-child td{display:flex;justify-content:space-between;gap:var(--p-space-300);padding:var(--p-space-050) 0;border:0;text-align:end}
.fm-stacked td::before{content:attr(data-label);color:var(--p-color-text-secondary);text-align:start}
.fm-stacked td:first-child{font-weight:var(--p-font-weight-semibold)}
}`;

export function StackedTable({ columns, rows }: { columns: StackedColumn[]; rows: { key: string; cells: ReactNode[] }[] }) {
  const cls = (c: StackedColumn) => (c.numeric ? "fm-num" : undefined);
  return (
    <>
      <style>{CSS}</style>
      <div className="fm-stacked-box">
        <table className="fm-stacked">
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c.heading} scope="col" className={cls(c)}>
                  {c.heading}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key}>
                {r.cells.map((cell, i) => (
                  <td key={columns[i]!.heading} data-label={columns[i]!.heading} className={cls(columns[i]!)}>
                    {cell}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
