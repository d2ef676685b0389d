export function builtAfter(output: string, inputs: readonly string[], root: string): boolean;
