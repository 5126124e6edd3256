/** Shortens free text to a field's limit, marking the cut so no reader mistakes it for the whole. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
