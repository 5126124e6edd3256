export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined };

export const consoleLogger: Logger = {
  info: (m) => console.log(`[kafka] ${m}`),
  warn: (m) => console.warn(`[kafka] ${m}`),
};
