/** A `--name` option that must be a TCP port (0 = any free one); exits 2 with a message if not. */
export function portOption(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    console.error(`--${name}: "${value}" is not a port number`);
    process.exit(2);
  }
  return n;
}
