// GitHub Actions workflow commands (`::error file=…::message`): data and property values escape differently.

function data(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function property(s: string): string {
  return data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** One annotation line; `props` are e.g. file, line, col, title (undefined ones are left out). */
export function annotation(
  level: 'error' | 'warning' | 'notice',
  props: Record<string, string | number | undefined>,
  message: string,
): string {
  const p = Object.entries(props)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${property(String(v))}`)
    .join(',');
  return `::${level}${p ? ` ${p}` : ''}::${data(message)}`;
}
