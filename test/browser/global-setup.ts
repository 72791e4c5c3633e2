/** The browser tier tests the console as `npm start` serves it: built from the sources first. */
import { buildConsole } from '#infra/local/console-build.ts';

export default async function setup(): Promise<void> {
  await buildConsole();
}
