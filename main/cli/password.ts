import { createInterface } from 'node:readline';

/** Reads a password from the terminal without echoing it. */
export async function promptPassword(question: string): Promise<string> {
  const input = process.stdin;
  const output = process.stderr;
  if (!input.isTTY) throw new Error('no terminal to ask for a password on');
  const rl = createInterface({ input, output, terminal: true });
  const muted = rl as unknown as { _writeToOutput: (text: string) => void };
  output.write(question);
  muted._writeToOutput = () => {};
  try {
    return await new Promise<string>((resolve) => rl.question('', resolve));
  } finally {
    rl.close();
    output.write('\n');
  }
}
