export const ROOT: string;
export function distIsCurrent(): boolean;
