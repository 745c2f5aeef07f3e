/** Where a send step's message editor lives (for the flow page's links). */
export function messageEditorPath(flowId: string, stepId: string, lang?: string | null): string {
  return `/app/flows/${encodeURIComponent(flowId)}/messages/${encodeURIComponent(stepId)}${lang ? `?lang=${lang}` : ""}`;
}
